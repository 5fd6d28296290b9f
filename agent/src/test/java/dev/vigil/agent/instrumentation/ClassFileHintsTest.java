package dev.vigil.agent.instrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw class-file look that lets structural matchers skip classes naming nothing of their library. */
class ClassFileHintsTest {
    private final ElementMatcher<TypeDescription> jdbc = ClassFileHints.mayReference("java.sql.", "javax.sql.");
    private final ElementMatcher<TypeDescription> jms = ClassFileHints.mayReference("jakarta.jms.");

    /** Describes {@code bytes} the way the agent does for a class about to be defined, registering its hint. */
    private static TypeDescription defining(String name, byte[] bytes) {
        ClassFileHints.defining(name, ClassFileHints.scan(bytes));
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                ClassFileLocator.ForClassLoader.of(ClassFileHintsTest.class.getClassLoader()));
        return new SharedSuperTypes().typePool(locator, ClassFileHintsTest.class.getClassLoader(), name)
                .describe(name).resolve();
    }

    @AfterEach
    void done() {
        ClassFileHints.done();
    }

    @Test
    void aClassNamingAJdbcTypeOnlyInAMethodSignaturePasses() {
        byte[] bytes = new ByteBuddy().subclass(Object.class).name("test.HasResultSet")
                .defineMethod("results", ResultSet.class, Visibility.PUBLIC).intercept(FixedValue.nullValue())
                .make().getBytes();
        TypeDescription type = defining("test.HasResultSet", bytes);
        assertThat(jdbc.matches(type)).isTrue();
        assertThat(jms.matches(type)).isFalse();
    }

    @Test
    void aClassNamingNothingOfTheLibraryIsSkipped() {
        byte[] bytes = new ByteBuddy().subclass(Object.class).name("test.Plain").make().getBytes();
        TypeDescription type = defining("test.Plain", bytes);
        assertThat(jdbc.matches(type)).isFalse();
        assertThat(jms.matches(type)).isFalse();
    }

    @Test
    void afterTheClassFileIsDoneWithTheFullCheckDecides() {
        TypeDescription type = defining("test.Plain", new ByteBuddy().subclass(Object.class).name("test.Plain").make()
                .getBytes());
        ClassFileHints.done();
        assertThat(jdbc.matches(type)).isTrue();
    }

    @Test
    void withoutTheClassFileTheFullCheckDecides() {
        defining("test.Plain", new ByteBuddy().subclass(Object.class).name("test.Plain").make().getBytes());
        // another type than the one being defined on this thread (a loaded class, a super type): no hint
        assertThat(jdbc.matches(TypeDescription.ForLoadedType.of(String.class))).isTrue();
    }
}

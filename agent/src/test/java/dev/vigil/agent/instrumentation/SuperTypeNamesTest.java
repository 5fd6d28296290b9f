package dev.vigil.agent.instrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.util.AbstractList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SuperTypeNamesTest {
    /** Closeable through its super class only; Iterable through AbstractList's super interfaces. */
    abstract static class Base extends AbstractList<String> implements Closeable {
    }

    abstract static class Derived extends Base {
    }

    @Test
    void seesInterfacesOfSuperClassesAndSuperInterfaces() {
        TypeDescription derived = TypeDescription.ForLoadedType.of(Derived.class);
        assertThat(SuperTypeNames.inheritsAnyOf("java.io.Closeable").matches(derived)).isTrue();
        assertThat(SuperTypeNames.inheritsAnyOf("java.lang.AutoCloseable").matches(derived)).isTrue(); // Closeable's
        assertThat(SuperTypeNames.inheritsAnyOf("java.lang.Iterable", "java.sql.Statement").matches(derived)).isTrue();
        assertThat(SuperTypeNames.inheritsAnyOf(Derived.class.getName()).matches(derived)).isTrue(); // itself
        assertThat(SuperTypeNames.inheritsAnyOf("java.sql.Statement", "java.util.Map").matches(derived)).isFalse();
    }

    @Test
    void aMissingSuperTypeEndsThatBranchWithoutFailingTheMatch() {
        // a class whose super class exists nowhere, described from its bytes alone, as a loader missing an optional
        // dependency would present it
        byte[] bytes = new ByteBuddy().subclass(Object.class).name("test.Orphan")
                .implement(Closeable.class).make().getBytes();
        TypePool pool = TypePool.Default.of(new ClassFileLocator.Simple(Map.of("test.Orphan", bytes)));
        TypeDescription orphan = pool.describe("test.Orphan").resolve();
        // java.lang.Object and Closeable are not in the bytes-only pool: the walk stops there instead of throwing
        assertThat(SuperTypeNames.inheritsAnyOf("java.io.Closeable").matches(orphan)).isFalse();
        assertThat(SuperTypeNames.inheritsAnyOf("test.Orphan").matches(orphan)).isTrue();
    }
}

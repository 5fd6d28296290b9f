package dev.vigil.agent.instrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.none;
import static org.assertj.core.api.Assertions.assertThat;

/** Only the class files some instrumentation lists reach Byte Buddy, with their hint recorded while it matches. */
class CandidateFilterTest {
    private final ElementMatcher<TypeDescription> jdbcHint = ClassFileHints.mayReference("java.sql.");
    private final ElementMatcher<TypeDescription> jmsHint = ClassFileHints.mayReference("jakarta.jms.");
    /** What Byte Buddy's matchers saw: the type's name and, for each, what the JDBC and JMS hints answered. */
    private final List<String> seen = new ArrayList<>();
    private final ResettableClassFileTransformer filter = CandidateFilter.of(Candidates.named("test.Named")
                    .or(Candidates.nameStartsWith("test.Prefixed$")).or(Candidates.referencing("java.sql.")))
            .decorate((ResettableClassFileTransformer) new AgentBuilder.Default().ignore(none()).type(type -> {
                seen.add(type.getName() + " jdbc=" + jdbcHint.matches(type) + " jms=" + jmsHint.matches(type));
                return false;
            }).transform((builder, type, loader, module, domain) -> builder).makeRaw());

    private static byte[] plain(String name) {
        return new ByteBuddy().subclass(Object.class).name(name).make().getBytes();
    }

    private byte[] define(String name, byte[] bytes, Class<?> redefined) throws Exception {
        return filter.transform(getClass().getModule(), getClass().getClassLoader(), name.replace('.', '/'), redefined,
                null, bytes);
    }

    @Test
    void aClassNeitherListedNorNamingAListedPackageNeverReachesByteBuddy() throws Exception {
        assertThat(define("test.Plain", plain("test.Plain"), null)).isNull();
        assertThat(seen).isEmpty();
    }

    @Test
    void listedNamesAndPrefixesReachByteBuddy() throws Exception {
        define("test.Named", plain("test.Named"), null);
        define("test.Prefixed$Inner", plain("test.Prefixed$Inner"), null);
        define("test.Prefixed", plain("test.Prefixed"), null);
        assertThat(seen).containsExactly("test.Named jdbc=false jms=false", "test.Prefixed$Inner jdbc=false jms=false");
    }

    @Test
    void aClassNamingAListedPackageReachesByteBuddyWithItsHint() throws Exception {
        byte[] bytes = new ByteBuddy().subclass(Object.class).name("test.HasResultSet")
                .defineMethod("results", ResultSet.class, Visibility.PUBLIC).intercept(FixedValue.nullValue())
                .make().getBytes();
        define("test.HasResultSet", bytes, null);
        assertThat(seen).containsExactly("test.HasResultSet jdbc=true jms=false");
        // the hint lasts while Byte Buddy matches that class file only
        assertThat(jmsHint.matches(TypeDescription.ForLoadedType.of(CandidateFilterTest.class))).isTrue();
    }

    @Test
    void aLoadedClassBeingRetransformedAlwaysReachesByteBuddyWithoutAHint() throws Exception {
        String name = CandidateFilterTest.class.getName();
        define(name, plain(name), CandidateFilterTest.class);
        assertThat(seen).containsExactly(CandidateFilterTest.class.getName() + " jdbc=true jms=true");
    }

    @Test
    void aLoadedClassIsACandidateByNameOrByASuperTypeInAListedPackage() {
        Candidates candidates = Candidates.named("java.lang.Thread")
                .or(Candidates.nameStartsWith("java.util.concurrent.")).or(Candidates.referencing("java.sql."));
        assertThat(CandidateFilter.loadedCandidate(Thread.class, candidates)).isTrue();
        assertThat(CandidateFilter.loadedCandidate(java.util.concurrent.ForkJoinPool.class, candidates)).isTrue();
        assertThat(CandidateFilter.loadedCandidate(java.sql.Timestamp.class, candidates)).isTrue();
        // implements java.sql.Wrapper through DataSource (javax.sql), not named: a candidate by its super type
        assertThat(CandidateFilter.loadedCandidate(DataSourceStub.class, candidates)).isTrue();
        assertThat(CandidateFilter.loadedCandidate(String.class, candidates)).isFalse();
        assertThat(CandidateFilter.loadedCandidate(CandidateFilterTest.class, candidates)).isFalse();
    }

    @Test
    void theInstallationPassIgnoresLoadedNonCandidatesOnly() {
        AgentBuilder.RawMatcher ignore = CandidateFilter.loadedNonCandidates(Candidates.named("java.lang.Thread"));
        TypeDescription string = TypeDescription.ForLoadedType.of(String.class);
        assertThat(ignore.matches(string, null, null, String.class, null)).isTrue();
        TypeDescription thread = TypeDescription.ForLoadedType.of(Thread.class);
        assertThat(ignore.matches(thread, null, null, Thread.class, null)).isFalse();
        // a class file being defined went through the filter already
        assertThat(ignore.matches(string, null, null, null, null)).isFalse();
    }

    /** A JDBC type only through its super types. */
    abstract static class DataSourceStub implements javax.sql.DataSource {
    }
}

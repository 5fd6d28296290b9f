package dev.vigil.agent.instrumentation;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

/**
 * One instrumented library: what to match and which advice applies where. Nothing else: the logic lives in the
 * hook the advice calls.
 */
public interface VigilInstrumentation {
    /** The switch name: {@code vigil.instrumentation.<name>.enabled=false} turns it off. */
    String name();

    /**
     * The class files worth handing to Byte Buddy at all, by name or by the packages they name: a superset of
     * {@link #types()}, checked before Byte Buddy parses anything ({@link CandidateFilter}).
     */
    Candidates candidates();

    /** Types to transform, among the {@link #candidates()}: by default all of them. Put cheap name matchers first. */
    default ElementMatcher<TypeDescription> types() {
        return candidates().matcher();
    }

    /**
     * Class loaders worth looking at: by default any. Instrumentations of third-party libraries narrow this to
     * loaders that can see the library, which skips type matching everywhere else.
     */
    default ElementMatcher<ClassLoader> classLoaders() {
        return net.bytebuddy.matcher.ElementMatchers.any();
    }

    /**
     * Whether the configuration asks for this instrumentation at all, beyond its switch: features that are off
     * by default (bind capture) or can be turned off (leak tracking) are then not woven in, so they cost nothing.
     */
    default boolean wanted(dev.vigil.agent.config.Config config) {
        return true;
    }

    /** Method matcher to advice class name. */
    Map<ElementMatcher<? super MethodDescription>, String> advice();

    /**
     * Byte-code visitors applied after the advice, for what advice cannot express (a call-site substitution
     * inside a JDK loop). They must not change the class format. None by default.
     */
    default List<AsmVisitorWrapper> visitors() {
        return List.of();
    }
}

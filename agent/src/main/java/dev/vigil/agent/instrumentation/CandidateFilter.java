package dev.vigil.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stands in front of Byte Buddy's class file transformer and hands it only the class files some enabled
 * instrumentation lists among its {@link Candidates}: by name, or by the packages the class file names
 * ({@link ClassFileHints}, scanned here once per class). Every other class the application defines is returned
 * unchanged before Byte Buddy builds a type pool, a description and its matchers for it. Those per-class steps,
 * run for each of the thousands of classes an application loads at start-up, made Byte Buddy's matching code hot
 * enough for the JIT to compile a thousand of its methods while the application was starting.
 *
 * <p>Retransformations (a loaded class, {@code classBeingRedefined} set) always reach Byte Buddy: its redefinition
 * strategy picked those classes with the full matchers.
 */
final class CandidateFilter extends ResettableClassFileTransformer.WithDelegation {
    private final Set<String> names = new HashSet<>();
    private final String[] prefixes;
    private final long packages;

    private CandidateFilter(ResettableClassFileTransformer byteBuddy, Candidates candidates) {
        super(byteBuddy);
        for (String name : candidates.names()) {
            names.add(name.replace('.', '/'));
        }
        this.prefixes = candidates.prefixes().stream().map(prefix -> prefix.replace('.', '/')).toArray(String[]::new);
        this.packages = candidates.packages().isEmpty() ? 0
                : ClassFileHints.register(candidates.packages().toArray(new String[0]));
    }

    /** The decorator that puts the filter in front of the transformer the agent builder installs. */
    static AgentBuilder.TransformerDecorator of(Candidates candidates) {
        return byteBuddy -> new CandidateFilter(byteBuddy, candidates);
    }

    /**
     * For the installation's pass over the classes already loaded: those that cannot be candidates, to be ignored
     * before Byte Buddy's matchers. A loaded class has no class file to look at, so for {@link Candidates#referencing}
     * it counts when it or one of its super types lies in one of the packages: every structural matcher asks for a
     * super type there. Class files being defined ({@code classBeingRedefined} null) are never ignored here.
     */
    static AgentBuilder.RawMatcher loadedNonCandidates(Candidates candidates) {
        return (type, loader, module, loaded, domain) -> loaded != null && !loadedCandidate(loaded, candidates);
    }

    static boolean loadedCandidate(Class<?> type, Candidates candidates) {
        return candidates.byName(type.getName())
                || !candidates.packages().isEmpty() && inPackagesOrInheriting(type, candidates.packages());
    }

    private static boolean inPackagesOrInheriting(Class<?> type, List<String> packages) {
        for (String pkg : packages) {
            if (type.getName().startsWith(pkg)) {
                return true;
            }
        }
        Class<?> superclass = type.getSuperclass();
        if (superclass != null && inPackagesOrInheriting(superclass, packages)) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (inPackagesOrInheriting(implemented, packages)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link Candidates#byName} for the JVM's internal names ({@code a/b/C}): no conversion of every class file's
     * name on the way.
     */
    private boolean namedCandidate(String internalName) {
        if (names.contains(internalName)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether Byte Buddy should see the class file being defined; if so, its hint is recorded for the thread until
     * {@link ClassFileHints#done()}.
     */
    private boolean candidate(String internalName, byte[] classFile) {
        long found = packages == 0 ? 0 : ClassFileHints.scan(classFile);
        if ((found & packages) == 0 && !namedCandidate(internalName)) {
            return false;
        }
        ClassFileHints.defining(internalName.replace('/', '.'), found);
        return true;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
        return filtered(internalName, classBeingRedefined, classFile, () -> classFileTransformer.transform(module,
                loader, internalName, classBeingRedefined, domain, classFile));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
        return filtered(internalName, classBeingRedefined, classFile, () -> classFileTransformer.transform(loader,
                internalName, classBeingRedefined, domain, classFile));
    }

    private byte[] filtered(String internalName, Class<?> classBeingRedefined, byte[] classFile, ByteBuddyCall call)
            throws IllegalClassFormatException {
        if (classBeingRedefined != null || internalName == null) {
            return call.transform();
        }
        if (!candidate(internalName, classFile)) {
            return null;
        }
        try {
            return call.transform();
        } finally {
            ClassFileHints.done();
        }
    }

    /** Byte Buddy's transformer, called through whichever of the two entry points the JVM used. */
    private interface ByteBuddyCall {
        byte[] transform() throws IllegalClassFormatException;
    }
}

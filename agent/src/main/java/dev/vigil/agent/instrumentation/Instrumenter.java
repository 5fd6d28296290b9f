package dev.vigil.agent.instrumentation;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.instrumentation.concurrent.CompletableFutureInstrumentation;
import dev.vigil.agent.instrumentation.concurrent.ExecutorInstrumentation;
import dev.vigil.agent.instrumentation.concurrent.ForkJoinInstrumentation;
import dev.vigil.agent.instrumentation.concurrent.ThreadInstrumentation;
import dev.vigil.agent.instrumentation.concurrent.VirtualThreadInstrumentation;
import dev.vigil.agent.instrumentation.http.apache5.ApacheAsyncClientInstrumentation;
import dev.vigil.agent.instrumentation.http.apache5.ApacheClassicClientInstrumentation;
import dev.vigil.agent.instrumentation.http.httpserver.JdkHttpServerInstrumentation;
import dev.vigil.agent.instrumentation.http.jaxrs.jersey.JerseyInstrumentation;
import dev.vigil.agent.instrumentation.http.jdkclient.JdkHttpClientInstrumentation;
import dev.vigil.agent.instrumentation.http.servlet.jakarta.JakartaServletInstrumentation;
import dev.vigil.agent.instrumentation.http.servlet.javax.JavaxServletInstrumentation;
import dev.vigil.agent.instrumentation.http.urlconnection.HttpUrlConnectionInstrumentation;
import dev.vigil.agent.instrumentation.jdbc.JdbcBindInstrumentation;
import dev.vigil.agent.instrumentation.jdbc.JdbcConnectionInstrumentation;
import dev.vigil.agent.instrumentation.jdbc.JdbcLeakInstrumentation;
import dev.vigil.agent.instrumentation.jdbc.JdbcStatementInstrumentation;
import dev.vigil.agent.instrumentation.jdbc.hikari.HikariPoolInstrumentation;
import dev.vigil.agent.instrumentation.leak.ListenerInstrumentation;
import dev.vigil.agent.instrumentation.leak.TimerInstrumentation;
import dev.vigil.agent.instrumentation.messaging.jms.JmsInstrumentation;
import dev.vigil.agent.instrumentation.messaging.rabbitmq.RabbitMqInstrumentation;
import dev.vigil.agent.instrumentation.messaging.kafka.KafkaInstrumentation;
import dev.vigil.agent.instrumentation.netty.NettyEventLoopInstrumentation;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bridge.AdviceErrors;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Installs every enabled instrumentation with one Byte Buddy {@link AgentBuilder}.
 *
 * <p>Retransformation is on, so classes loaded before the agent (attach into a running JVM) are instrumented as
 * well; class format changes are off, so retransformation is always allowed. Advice exceptions go to
 * {@link AdviceErrors}, never to the application.
 */
public final class Instrumenter {
    /** How often the descriptions kept for super-type matching are let go once class loading has calmed down. */
    static final long SUPER_TYPES_IDLE_SECONDS = 30;
    private Instrumenter() {
    }

    /** Every instrumentation the agent knows, enabled or not. */
    public static List<VigilInstrumentation> all() {
        return List.of(
                new JakartaServletInstrumentation(),
                new JavaxServletInstrumentation(),
                new JerseyInstrumentation(),
                new JdkHttpServerInstrumentation(),
                new JdkHttpClientInstrumentation(),
                new HttpUrlConnectionInstrumentation(),
                new ApacheClassicClientInstrumentation(),
                new ApacheAsyncClientInstrumentation(),
                new ExecutorInstrumentation(),
                new ForkJoinInstrumentation(),
                new CompletableFutureInstrumentation(),
                new ThreadInstrumentation(),
                new VirtualThreadInstrumentation(),
                new JdbcConnectionInstrumentation(),
                new JdbcStatementInstrumentation(),
                new JdbcLeakInstrumentation(),
                new JdbcBindInstrumentation(),
                new ListenerInstrumentation(),
                new TimerInstrumentation(),
                new HikariPoolInstrumentation(),
                new JmsInstrumentation(),
                new RabbitMqInstrumentation(),
                new KafkaInstrumentation(),
                new NettyEventLoopInstrumentation());
    }

    /**
     * @param scheduler runs the periodic release of the super-type descriptions kept for matching (see
     *                  {@link SharedSuperTypes#clearIfIdle()})
     */
    public static List<String> install(Instrumentation inst, Config config, ClassLoader agentLoader,
                                       ScheduledExecutorService scheduler) throws Exception {
        SharedSuperTypes superTypes = new SharedSuperTypes();
        WovenAtLoad wovenAtLoad = new WovenAtLoad();
        scheduler.scheduleWithFixedDelay(superTypes::clearIfIdle, SUPER_TYPES_IDLE_SECONDS, SUPER_TYPES_IDLE_SECONDS,
                TimeUnit.SECONDS);
        Advice.ExceptionHandler onAdviceError = new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
                new MethodDescription.ForLoadedMethod(AdviceErrors.class.getMethod("record", Throwable.class))));

        List<VigilInstrumentation> active = new ArrayList<>();
        List<String> enabled = new ArrayList<>();
        Candidates candidates = Candidates.named();
        List<String> switchedOff = new ArrayList<>();
        for (VigilInstrumentation instrumentation : all()) {
            if (!config.instrumentationEnabled(instrumentation.name())) {
                if (AgentLog.enabled(AgentLog.Level.INFO) && !switchedOff.contains(instrumentation.name())) {
                    switchedOff.add(instrumentation.name());
                    AgentLog.info("instrumentation " + instrumentation.name() + " is switched off by configuration");
                }
                continue;
            }
            if (!instrumentation.wanted(config)) {
                continue;
            }
            active.add(instrumentation);
            candidates = candidates.or(instrumentation.candidates());
            if (!enabled.contains(instrumentation.name())) {
                enabled.add(instrumentation.name()); // jakarta and javax servlet share one switch
            }
        }

        // Byte Buddy's Nexus (self-initialising generated types) is not used with InitializationStrategy.NoOp, but
        // the builder's default constructor would set it up and, on JDK 24+, make the JVM warn about
        // sun.misc.Unsafe. The property is read under Byte Buddy's (relocated) package name.
        System.setProperty(ByteBuddy.class.getPackageName() + ".nexus.disabled", "true");
        ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(agentLoader);
        // Advice goes into the methods a class declares, so Byte Buddy need not work out the methods it inherits,
        // nor key those it declares by signature (DeclaredMethodGraph).
        AgentBuilder builder = new AgentBuilder.Default(
                new ByteBuddy().with(DeclaredMethodGraph.INSTANCE))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Classes whose loading straddles the installation (bytes read before the transformer was added,
                // defined after the snapshot of loaded classes) are missed by a single pass; with the asynchronous
                // start-up this happened to HikariCP's ProxyConnection in one run out of two, so close() went
                // unseen. Re-reading the loaded classes until nothing new appears closes that window.
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(superTypes)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new ErrorListener())
                .with(wovenAtLoad)
                // inlined advice in named modules (java.net.http, jdk.httpserver) calls the bridge
                .assureReadEdgeTo(inst, Hooks.class)
                // the agent's own packages; dev.vigil.* application code (the sample shop, test apps) is traced
                .ignore(nameStartsWith("dev.vigil.agent.")
                        .or(nameStartsWith("dev.vigil.bridge."))
                        .or(nameStartsWith("dev.vigil.bootstrap."))
                        .or(nameStartsWith("dev.vigil.shaded."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("jdk.internal.reflect."))
                        .or(nameStartsWith("java.lang.invoke."))
                        .or(nameStartsWith("sun.reflect.")))
                // the agent's own classes, whatever their names (ignore(types, loaders) would need both to match)
                .or(any(), (ElementMatcher<ClassLoader>) loader -> loader == agentLoader)
                // loaded classes no instrumentation could want, before the installation matches them one by one
                .or(CandidateFilter.loadedNonCandidates(candidates))
                // and those woven as they loaded while the installation ran
                .or(wovenAtLoad);

        for (VigilInstrumentation instrumentation : active) {
            Weaving weaving = new Weaving(instrumentation, adviceLocator, onAdviceError);
            builder = builder
                    // synthetic types are left alone, checked after the type matcher: a modifier check in
                    // ignore() would make Byte Buddy parse every class file loaded, even where nothing can match
                    .type(new ElementMatcher.Junction.Conjunction<TypeDescription>(instrumentation.types(),
                            not(isSynthetic())), instrumentation.classLoaders())
                    .transform((type, description, loader, module, domain) -> weaving.apply(type, loader));
        }
        // only the class files some instrumentation could want reach Byte Buddy's matchers
        try {
            builder.with(CandidateFilter.of(candidates)).installOn(inst);
        } finally {
            wovenAtLoad.installed();
        }
        return enabled;
    }

    /**
     * Classes woven as they loaded while the installation ran (the transformer is registered before the pass over
     * the loaded classes), which that pass then found loaded and wove a second time: {@code ForkJoinPool} and
     * {@code NotificationBroadcasterSupport} on the orders service, large classes both. The pass now leaves them
     * alone. Only the installation's window is recorded; a later retransformation (another agent's) is not
     * affected. Keyed by name and loader, the loader held weakly.
     */
    static final class WovenAtLoad extends AgentBuilder.Listener.Adapter implements AgentBuilder.RawMatcher {
        private final List<Woven> woven = new CopyOnWriteArrayList<>();
        private volatile boolean installing = true;

        private record Woven(String name, WeakReference<ClassLoader> loader) {
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            if (!loaded && installing) {
                woven.add(new Woven(typeDescription.getName(), new WeakReference<>(classLoader)));
            }
        }

        @Override
        public boolean matches(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                               Class<?> classBeingRedefined, ProtectionDomain protectionDomain) {
            if (classBeingRedefined == null || !installing) {
                return false;
            }
            for (Woven w : woven) {
                if (w.name.equals(typeDescription.getName()) && w.loader.get() == classLoader) {
                    return true;
                }
            }
            return false;
        }

        void installed() {
            installing = false;
            woven.clear();
        }
    }

    /**
     * What one instrumentation does to a class: its advice, then its visitors. The advice is resolved on the first
     * class the instrumentation transforms in a class loader, and kept for that loader: advice names library types
     * ({@code jakarta.jms.Message}), which only the application's loader can describe. Byte Buddy's
     * {@code Transformer.ForAdvice} parsed every advice class again for every class it was woven into, which was
     * a third of the cost of weaving at start-up; resolving all of it at installation would cost as much for
     * libraries the application does not have.
     */
    private static final class Weaving {
        private final VigilInstrumentation instrumentation;
        private final ClassFileLocator adviceLocator;
        private final Advice.ExceptionHandler onAdviceError;
        /**
         * Per class loader, weakly: the values reach their loader only through a weakly referencing locator.
         * Two threads racing on a loader's first class both compute the same wrappers.
         */
        private final WeakIdentityMap<List<AsmVisitorWrapper>> byLoader = new WeakIdentityMap<>();
        private volatile List<AsmVisitorWrapper> forBootLoader;

        Weaving(VigilInstrumentation instrumentation, ClassFileLocator adviceLocator,
                Advice.ExceptionHandler onAdviceError) {
            this.instrumentation = instrumentation;
            this.adviceLocator = adviceLocator;
            this.onAdviceError = onAdviceError;
        }

        DynamicType.Builder<?> apply(DynamicType.Builder<?> type, ClassLoader loader) {
            List<AsmVisitorWrapper> resolved = loader == null ? forBootLoader : byLoader.get(loader);
            if (resolved == null) {
                resolved = resolve(loader);
                if (loader == null) {
                    forBootLoader = resolved;
                } else {
                    byLoader.put(loader, resolved);
                }
            }
            DynamicType.Builder<?> visited = type;
            for (AsmVisitorWrapper visitor : resolved) {
                visited = visited.visit(visitor);
            }
            return visited;
        }

        private List<AsmVisitorWrapper> resolve(ClassLoader loader) {
            TypePool pool = TypePool.Default.WithLazyResolution.of(new ClassFileLocator.Compound(adviceLocator,
                    loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                            : ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader)));
            AsmVisitorWrapper.ForDeclaredMethods advice = new AsmVisitorWrapper.ForDeclaredMethods();
            for (Map.Entry<ElementMatcher<? super MethodDescription>, String> entry
                    : instrumentation.advice().entrySet()) {
                advice = advice.invokable(entry.getKey(), Advice.to(pool.describe(entry.getValue()).resolve(),
                        adviceLocator).withExceptionHandler(onAdviceError));
            }
            List<AsmVisitorWrapper> resolved = new ArrayList<>();
            resolved.add(advice);
            resolved.addAll(instrumentation.visitors());
            return resolved;
        }
    }

    /** Logs a transformation failure once per type: the class then runs uninstrumented. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            if (throwable instanceof TypePool.Resolution.NoSuchTypeException) {
                // a supertype of a class the matchers looked at is missing (an optional dependency, like Netty's
                // Log4J2Logger without Log4j): such a class cannot be one the agent instruments; not worth a warning
                AgentLog.debug("skipped " + typeName + " (" + throwable.getMessage() + ")");
                return;
            }
            AgentLog.warnOnce("transform:" + typeName, "could not instrument " + typeName + " (" + throwable
                    + "); it runs uninstrumented");
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            if (AgentLog.enabled(AgentLog.Level.DEBUG)) {
                AgentLog.debug("instrumented " + typeDescription.getName() + (loaded ? " (retransformed)" : ""));
            }
        }
    }
}

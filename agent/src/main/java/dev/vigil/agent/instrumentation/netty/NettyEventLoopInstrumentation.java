package dev.vigil.agent.instrumentation.netty;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty 4.1/4.2 event loops: {@code SingleThreadEventExecutor.doStartThread()}, the one private method through which
 * every event loop (NIO, epoll, kqueue, io_uring, {@code DefaultEventExecutor}) starts its thread, lazily, on its
 * first task; in 4.2 also when a suspended loop resumes. Hooking the start rather than the constructor means only
 * loops that run get a probe (a group of 2 × cores loops often uses a few), and loops constructed before the
 * agent finished starting are still found when they start. Loops already running when the agent is attached are
 * not found.
 */
public final class NettyEventLoopInstrumentation implements VigilInstrumentation {
    static final String EXECUTOR = "io.netty.util.concurrent.SingleThreadEventExecutor";

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(EXECUTOR);
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed(EXECUTOR);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(named("doStartThread").and(takesArguments(0)), EventLoopStartAdvice.class.getName());
    }
}

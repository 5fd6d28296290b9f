package dev.vigil.agent.trace;

import dev.vigil.agent.util.WeakIdentityMap;

import dev.vigil.agent.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.bridge.AdviceErrors;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.ContextHook;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries the OpenTelemetry context across threads for the JDK's executors, fork/join tasks,
 * {@code CompletableFuture} async stages and thread starts (platform and virtual).
 *
 * <h2>Design: capture by task identity, restore where the JDK runs that object</h2>
 * When work is handed over, the current context is stored in a weak identity map keyed by the task object the
 * JDK will run; when that same object starts running, the context is taken out of the map and made current,
 * and restored afterwards. Nothing wraps the task, because a wrapper changes its identity:
 * {@code ThreadPoolExecutor.remove(task)} stops working, {@code shutdownNow()} and {@code getQueue()} return
 * wrappers that are no longer the caller's {@code Future}s, {@code afterExecute(r, t)} overrides that test
 * {@code r instanceof Future} (the pattern the JDK's own Javadoc shows) break, as do rejection handlers, the
 * {@code RunnableScheduledFuture} from {@code decorateTask} and the {@code ForkJoinTask} subtypes. No field can
 * be added to JDK classes (retransformation forbids class format changes), hence the side map. Where:
 * <ul>
 * <li>{@code ThreadPoolExecutor.execute} captures the submitted {@code Runnable} (a {@code FutureTask} for
 *     {@code submit}/{@code invokeAll}); {@code ScheduledThreadPoolExecutor.delayedExecute} captures the
 *     (possibly decorated) {@code RunnableScheduledFuture} before it is queued. Periodic tasks are not
 *     captured: they outlive the request that scheduled them.</li>
 * <li>The worker loop's {@code task.run()} call in {@code runWorker} is framed by {@code ContextTasks.before} and
 *     {@code after} ({@link #attachOrRoot}, {@link #detach}), inline, so the task's stack has no frame of Vigil's:
 *     one place, whatever {@code beforeExecute}/{@code afterExecute} a subclass overrides.
 *     A task with nothing captured runs in the root context, so a task never inherits its worker's context.</li>
 * <li>Fork/join: {@code ForkJoinPool}'s single submission funnel ({@code externalSubmit} on 17,
 *     {@code poolSubmit}/{@code externalSubmit} on 21+) and {@code ForkJoinTask.fork()} capture the task;
 *     {@code ForkJoinTask.doExec()}, through which every fork/join task runs, restores it. A task run inline
 *     ({@code invoke}, {@code invokeAll}, a join that executes it) keeps the caller's context.</li>
 * <li>{@code CompletableFuture}: an async stage captures when it is registered (constructors of
 *     {@code AsyncSupply}, {@code AsyncRun} and of a {@code UniCompletion} with an executor), not when its
 *     source completes on some other thread; the stage restores in its own {@code run()} (any executor) or
 *     through {@code doExec} (fork/join pools). The first capture wins, so the executor's later capture of the
 *     same object does not replace the registration context.</li>
 * <li>{@code Thread.start()} captures the thread, {@code Thread.run()} restores; a subclass that overrides
 *     {@code run()} is not captured (the restore point would never run, and such classes are mostly long-lived
 *     loops); virtual threads: {@code VirtualThread.start}
 *     captures, its private {@code run(Runnable)} restores on the virtual thread itself.</li>
 * </ul>
 *
 * <h2>Never leak</h2>
 * <ul>
 * <li>Only a valid span context is captured (sampled or not, so parent-based sampling stays consistent): with
 *     no span, capture is one thread-local read and allocates nothing.</li>
 * <li>{@link #detach} puts back exactly the context the thread had before {@code attach}, even if the task left
 *     a scope open; the map entry is removed when the task starts, and entries of tasks that never run go away
 *     with the task (weak keys). The map is capped at {@value #MAX_ENTRIES} entries (beyond, capture stops and
 *     is counted) so that a flood of never-running, still-referenced tasks cannot grow it without bound.</li>
 * <li>A serial executor's drain task, which runs the tasks that many threads queued, is not captured
 *     ({@link #SERIAL_DRAIN_TASKS}): its tasks run in the root context rather than in the context of whichever
 *     request scheduled the drain.</li>
 * <li>Nothing propagates into long-lived pool threads: threads started by {@code ThreadPoolExecutor.addWorker}
 *     and {@code ForkJoinWorkerThread}s are not captured, nor is the agent's own work ({@link AgentThread}s,
 *     executors built on {@link AgentThreads}).</li>
 * <li>The JDK's virtual-thread machinery is left alone: the scheduler pool and the timer executors that
 *     park/unpark virtual threads (their thread factories are declared in {@code java.lang.VirtualThread}) are
 *     never captured for, and nothing is restored on carrier threads. Doing either would put a request's
 *     context on a carrier thread and take locks inside mount/unmount (what went wrong in OpenTelemetry's agent).</li>
 * </ul>
 * Limitations: the same {@code Runnable} instance queued twice concurrently gets the first capture for its
 * first run only; executors that are not the JDK's (Netty, custom queues) are not covered; a long-lived thread
 * that an application starts itself inside a traced request (not through a JDK pool) keeps that request's
 * context for its {@code run()}, as an {@code InheritableThreadLocal} would; switch {@code thread} off if that
 * matters.
 *
 * <p>Thread-safe. No method throws: errors go to {@link AdviceErrors}.
 */
public final class ContextPropagation extends ContextHook {
    static final int MAX_ENTRIES = 100_000;
    private static final Class<?> CARRIER_THREAD = carrierThreadClass();
    private static final ClassValue<Boolean> INTERNAL_FACTORY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.getName().startsWith("java.lang.VirtualThread") || AgentThreads.class.isAssignableFrom(type);
        }
    };

    /**
     * Thread classes whose {@code run()} replaces {@code Thread.run()}: the restore point never runs for them,
     * and they are mostly long-lived loops (selectors, event loops, pool workers), so they are not captured.
     */
    private static final ClassValue<Boolean> OVERRIDES_RUN = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.getName().equals("java.lang.VirtualThread")) {
                return false; // its run() is a no-op; VirtualThread.run(Runnable) restores
            }
            try {
                for (Class<?> c = type; c != null && c != Thread.class; c = c.getSuperclass()) {
                    for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                        if (m.getName().equals("run") && m.getParameterCount() == 0 && !m.isBridge()) {
                            return true;
                        }
                    }
                }
                return false;
            } catch (Throwable unresolvable) {
                return true; // cannot tell: do not capture
            }
        }
    };

    /**
     * Prefixes of the class names of serial executors' drain tasks. Such an executor (an actor, an ordered
     * executor) queues the application's tasks itself and hands the pool one task that runs whatever is queued when
     * it starts, tasks from many threads in one go. The pool only ever sees that drain task, so capturing it would
     * run every task of the batch in the context of the thread that happened to schedule the drain: a wrong parent
     * for the spans they make, and a capture per batch for nothing. OpenTelemetry's agent skips HornetQ's drain task
     * for the same reason; Artemis's successor is a lambda of {@code ProcessorBase}
     * ({@code ProcessorBase$$Lambda$12/0x…} on 17, {@code ProcessorBase$$Lambda/0x…} on 21+), behind its
     * {@code OrderedExecutor} and every other actor of the client and the broker.
     */
    static final String[] SERIAL_DRAIN_TASKS = {"org.apache.activemq.artemis.utils.actors.ProcessorBase$$Lambda"};
    private static final ClassValue<Boolean> SERIAL_DRAIN = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (String prefix : SERIAL_DRAIN_TASKS) {
                if (type.getName().startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    };

    private final WeakIdentityMap<Context> captured = new WeakIdentityMap<>();
    private final ThreadLocal<int[]> workerStarts = ThreadLocal.withInitial(() -> new int[1]);
    private final AtomicLong dropped = new AtomicLong();

    public ContextPropagation() {
        warmUp();
    }

    @Override
    public void capture(Object task, Object executor) {
        try {
            Context context = Context.current();
            if (context == Context.root() || !Span.fromContext(context).getSpanContext().isValid()
                    || task == null || AgentThread.current()) {
                return;
            }
            if (task instanceof Thread) {
                if (task instanceof AgentThread || task instanceof ForkJoinWorkerThread
                        || OVERRIDES_RUN.get(task.getClass()) || workerStarts.get()[0] > 0) {
                    return;
                }
            } else if (task instanceof RunnableScheduledFuture && ((RunnableScheduledFuture<?>) task).isPeriodic()
                    || SERIAL_DRAIN.get(task.getClass())) {
                return;
            }
            if (executor != null && internalExecutor(executor)) {
                return;
            }
            if (captured.size() >= MAX_ENTRIES) {
                captured.expunge();
                if (captured.size() >= MAX_ENTRIES) {
                    if (dropped.getAndIncrement() == 0) {
                        AgentLog.warnOnce("context.full", MAX_ENTRIES + " tasks hold a captured trace context and"
                                + " have not run yet; context is no longer propagated to new tasks until they run");
                    }
                    return;
                }
            }
            captured.putIfAbsent(task, context);
        } catch (Throwable error) {
            AdviceErrors.record(error);
        }
    }

    @Override
    public Object attach(Object task) {
        try {
            if (captured.isEmpty() || onCarrierThread()) {
                return null;
            }
            Context context = captured.remove(task);
            if (context == null) {
                return null;
            }
            return swap(context);
        } catch (Throwable error) {
            AdviceErrors.record(error);
            return null;
        }
    }

    @Override
    public Object attachOrRoot(Object task) {
        try {
            Context context = captured.isEmpty() ? null : captured.remove(task);
            if (context == null) {
                if (Context.current() == Context.root()) {
                    return null;
                }
                context = Context.root();
            }
            return swap(context);
        } catch (Throwable error) {
            AdviceErrors.record(error);
            return null;
        }
    }

    /** Makes {@code context} current and returns the context to restore. */
    private static Object swap(Context context) {
        Context before = Context.current();
        if (before == context) {
            return null;
        }
        ContextStorage.get().attach(context);
        return before;
    }

    @Override
    public void detach(Object scope) {
        try {
            if (scope instanceof Context) {
                // Not Scope.close(): that refuses to restore when the task left another context current.
                ContextStorage.get().attach((Context) scope);
            }
        } catch (Throwable error) {
            AdviceErrors.record(error);
        }
    }

    @Override
    public void enterWorkerStart() {
        workerStarts.get()[0]++;
    }

    @Override
    public void exitWorkerStart() {
        int[] depth = workerStarts.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
    }

    /** Tasks holding a captured context that have not started yet (including collected, not yet expunged). */
    public long pending() {
        captured.expunge();
        return captured.size();
    }

    /** Captures refused because {@value #MAX_ENTRIES} tasks were pending. */
    public long dropped() {
        return dropped.get();
    }

    private static boolean internalExecutor(Object executor) {
        Object factory = executor instanceof ThreadPoolExecutor ? ((ThreadPoolExecutor) executor).getThreadFactory()
                : executor instanceof ForkJoinPool ? ((ForkJoinPool) executor).getFactory() : null;
        return factory != null && INTERNAL_FACTORY.get(factory.getClass());
    }

    private static boolean onCarrierThread() {
        return CARRIER_THREAD != null && Thread.currentThread().getClass() == CARRIER_THREAD;
    }

    private static Class<?> carrierThreadClass() {
        try {
            return Class.forName("jdk.internal.misc.CarrierThread", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // before Java 21
        }
    }

    /**
     * Loads and initialises everything the hot paths touch (OpenTelemetry's context storage, the map, the class
     * value) now, so that advice inlined into {@code java.lang.Thread} or the executors never triggers class
     * loading or initialisation of agent classes from inside the JDK's own code.
     */
    private void warmUp() {
        Object probe = new Object();
        Context context = Context.root().with(Span.wrap(io.opentelemetry.api.trace.SpanContext.getInvalid()));
        captured.putIfAbsent(probe, context);
        captured.get(probe);
        captured.remove(probe);
        detach(swap(context));
        detach(attachOrRoot(probe));
        INTERNAL_FACTORY.get(Object.class);
        OVERRIDES_RUN.get(Thread.class);
        enterWorkerStart();
        exitWorkerStart();
        onCarrierThread();
    }
}

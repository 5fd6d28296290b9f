package dev.vigil.agent.trace;

import dev.vigil.agent.AgentThreads;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.ContextHook;
import dev.vigil.bridge.ContextTasks;
import dev.vigil.bridge.Hooks;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.activemq.artemis.utils.actors.OrderedExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ContextPropagationTest {
    /** The SDK hands out a no-op tracer when there is no span processor. */
    static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
            .addSpanProcessor(new SpanProcessor() {
                @Override
                public void onStart(Context parent, ReadWriteSpan span) {
                }

                @Override
                public boolean isStartRequired() {
                    return false;
                }

                @Override
                public void onEnd(ReadableSpan span) {
                }

                @Override
                public boolean isEndRequired() {
                    return false;
                }
            }).build();
    static final Tracer TRACER = PROVIDER.get("test");

    final ContextPropagation propagation = new ContextPropagation();

    @AfterEach
    void rootAgain() {
        assertThat(Context.current()).as("test left a context on the thread").isSameAs(Context.root());
    }

    @AfterAll
    static void close() {
        PROVIDER.close();
    }

    /** Runs {@code body} on a fresh thread and returns the span current there. */
    static Span onAnotherThread(Runnable body, AtomicReference<Span> seen) throws InterruptedException {
        Thread thread = new Thread(body);
        thread.start();
        thread.join(10_000);
        return seen.get();
    }

    @Test
    void withoutASpanNothingIsCaptured() {
        Object task = new Object();
        propagation.capture(task, null);
        assertThat(propagation.pending()).isZero();
        assertThat(propagation.attach(task)).isNull();

        try (Scope ignored = Context.root().with(Span.getInvalid()).makeCurrent()) {
            propagation.capture(task, null);
        }
        assertThat(propagation.pending()).as("a context without a valid span is not captured").isZero();
    }

    @Test
    void theCapturedSpanIsCurrentWhereTheTaskRunsAndOnlyThere() throws Exception {
        Object task = new Object();
        Span span = TRACER.spanBuilder("request").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            propagation.capture(task, null);
        } finally {
            span.end();
        }
        assertThat(propagation.pending()).isOne();

        AtomicReference<Span> during = new AtomicReference<>();
        AtomicReference<Span> after = new AtomicReference<>();
        onAnotherThread(() -> {
            Object scope = propagation.attach(task);
            during.set(Span.current());
            propagation.detach(scope);
            after.set(Span.current());
        }, during);
        assertThat(during.get().getSpanContext()).isEqualTo(span.getSpanContext());
        assertThat(after.get().getSpanContext().isValid()).as("restored after the task").isFalse();
        assertThat(propagation.pending()).as("consumed when the task starts").isZero();
        assertThat(propagation.attach(task)).as("a second run gets nothing").isNull();
    }

    @Test
    void theFirstCaptureWinsSoAnAsyncStageKeepsItsRegistrationContext() {
        Object stage = new Object();
        Span registering = TRACER.spanBuilder("registering").startSpan();
        Span completing = TRACER.spanBuilder("completing").startSpan();
        try (Scope ignored = registering.makeCurrent()) {
            propagation.capture(stage, null);
        }
        try (Scope ignored = completing.makeCurrent()) {
            propagation.capture(stage, null);
        }
        Object scope = propagation.attach(stage);
        try {
            assertThat(Span.current().getSpanContext()).isEqualTo(registering.getSpanContext());
        } finally {
            propagation.detach(scope);
        }
    }

    @Test
    void detachRestoresThePreviousContextEvenIfTheTaskLeakedAScope() {
        Span outer = TRACER.spanBuilder("outer").startSpan();
        Span captured = TRACER.spanBuilder("captured").startSpan();
        Object task = new Object();
        try (Scope ignored = captured.makeCurrent()) {
            propagation.capture(task, null);
        }
        try (Scope ignored = outer.makeCurrent()) {
            Object scope = propagation.attach(task);
            assertThat(Span.current()).isSameAs(captured);
            Context.current().with(TRACER.spanBuilder("leaked").startSpan()).makeCurrent(); // never closed
            propagation.detach(scope);
            assertThat(Span.current()).isSameAs(outer);
        }
    }

    @Test
    void aPooledTaskWithNothingCapturedRunsInTheRootContextNotInItsWorkersContext() {
        Span stale = TRACER.spanBuilder("stale").startSpan();
        try (Scope ignored = stale.makeCurrent()) {
            Object scope = propagation.attachOrRoot(new Object());
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
            propagation.detach(scope);
            assertThat(Span.current()).isSameAs(stale);
        }
        assertThat(propagation.attachOrRoot(new Object())).as("nothing to do on a clean thread").isNull();
    }

    @Test
    void theWorkerLoopSubstituteRunsEachTaskInItsOwnContext() {
        ContextHook previous = Hooks.context;
        Hooks.context = propagation;
        try {
            Span span = TRACER.spanBuilder("request").startSpan();
            AtomicReference<Span> seen = new AtomicReference<>();
            Runnable traced = () -> seen.set(Span.current());
            try (Scope ignored = span.makeCurrent()) {
                propagation.capture(traced, null);
            }
            runAsTheWorkerLoopDoes(traced);
            assertThat(seen.get()).isSameAs(span);
            runAsTheWorkerLoopDoes(traced);
            assertThat(seen.get().getSpanContext().isValid()).as("second run has no context").isFalse();
        } finally {
            Hooks.context = previous;
        }
    }

    @Test
    void agentThreadsLoopThreadsPoolWorkersAndPeriodicTasksAreNeverCaptured() throws Exception {
        Span span = TRACER.spanBuilder("request").startSpan();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        ThreadPoolExecutor agentPool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), new AgentThreads("test"));
        try (Scope ignored = span.makeCurrent()) {
            propagation.capture(new AgentThread(() -> { }, "agent"), null);
            propagation.capture(ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(ForkJoinPool.commonPool()), null);
            var periodic = scheduler.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
            propagation.capture(periodic, scheduler);
            propagation.capture(new FutureTask<>(() -> null), agentPool);
            propagation.capture(new Thread() {
                @Override
                public void run() {
                }
            }, null);
            propagation.enterWorkerStart();
            try {
                propagation.capture(new Thread(() -> { }), null);
            } finally {
                propagation.exitWorkerStart();
            }
            assertThat(propagation.pending()).isZero();

            AtomicReference<Long> pendingAfterAgentThreadCapture = new AtomicReference<>();
            Context context = Context.current();
            Thread agent = new AgentThread(() -> {
                try (Scope s = context.makeCurrent()) {
                    propagation.capture(new Object(), null);
                }
                pendingAfterAgentThreadCapture.set(propagation.pending());
            }, "agent-capture");
            agent.start();
            agent.join(10_000);
            assertThat(pendingAfterAgentThreadCapture.get()).as("capture on an agent thread").isZero();

            propagation.capture(new Thread(() -> { }), null);
            assertThat(propagation.pending()).as("an ordinary thread start is captured").isOne();
        } finally {
            scheduler.shutdownNow();
            agentPool.shutdownNow();
        }
    }

    /** What {@code runWorker}'s substituted {@code task.run()} call does. */
    private static void runAsTheWorkerLoopDoes(Runnable task) {
        ContextTasks.before(task);
        task.run();
        ContextTasks.after(task);
    }

    @Test
    void anArtemisActorsDrainTaskIsNotCapturedForItRunsOtherRequestsTasksToo() {
        List<Runnable> handedToThePool = new ArrayList<>();
        // the pool's execute is where the executor advice captures: here it captures what the actor hands over
        OrderedExecutor actor = new OrderedExecutor(task -> {
            handedToThePool.add(task);
            propagation.capture(task, null);
        });
        Span span = TRACER.spanBuilder("request").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            actor.execute(() -> { });
            assertThat(handedToThePool).as("the actor schedules its drain task").hasSize(1);
            assertThat(propagation.pending()).as("the drain task is not captured").isZero();

            propagation.capture(new FutureTask<>(() -> null), null);
            assertThat(propagation.pending()).as("an ordinary task still is").isOne();
        } finally {
            span.end();
        }
    }

    @Test
    void tasksThatNeverRunDoNotKeepTheirContext() {
        Span span = TRACER.spanBuilder("request").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            for (int i = 0; i < 100; i++) {
                propagation.capture(new Object(), null);
            }
        }
        assertThat(propagation.pending()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return propagation.pending() == 0;
        });
    }

    @Test
    void theDefaultHookDoesNothing() {
        ContextHook none = new ContextHook();
        Span span = TRACER.spanBuilder("request").startSpan();
        Object task = new Object();
        try (Scope ignored = span.makeCurrent()) {
            none.capture(task, null);
        }
        assertThat(none.attach(task)).isNull();
        assertThat(none.attachOrRoot(task)).isNull();
    }

    @SuppressWarnings("unused")
    private static boolean isWorker(Thread t) {
        return t instanceof ForkJoinWorkerThread;
    }
}

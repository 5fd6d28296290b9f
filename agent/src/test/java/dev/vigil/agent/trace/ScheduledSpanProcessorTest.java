package dev.vigil.agent.trace;

import dev.vigil.exporters.AgentScheduler;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The span processor on the shared scheduler: bounded queue, batch size, delay, flush, failures. */
class ScheduledSpanProcessorTest {
    private static final long HOUR = TimeUnit.HOURS.toMillis(1);
    private final AgentScheduler scheduler = new AgentScheduler(Thread::new);
    private final RecordingExporter exporter = new RecordingExporter();
    private ScheduledSpanProcessor processor;

    @AfterEach
    void stop() {
        if (processor != null) {
            processor.shutdown().join(5, TimeUnit.SECONDS);
        }
        scheduler.shutdownNow();
    }

    private Tracer tracer(ScheduledSpanProcessor processor) {
        this.processor = processor;
        return new VigilTracer(Sampler.alwaysOn(), processor, Resource.empty(), "test", null);
    }

    private static void spans(Tracer tracer, int n) {
        for (int i = 0; i < n; i++) {
            tracer.spanBuilder("span-" + i).startSpan().end();
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(exporter, scheduler, 10, 5, HOUR, HOUR);
        Tracer tracer = tracer(processor);
        CountDownLatch release = new CountDownLatch(1);
        scheduler.execute(() -> awaitQuietly(release)); // the shared thread is busy: nothing is exported meanwhile

        long start = System.nanoTime();
        spans(tracer, 25);
        assertThat(System.nanoTime() - start).as("onEnd never waits").isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(processor.dropped()).isEqualTo(15);
        assertThat(processor.queued()).isEqualTo(10);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.exported() == 10);
        assertThat(exporter.batchSizes).containsExactly(5, 5);
        assertThat(processor.dropped()).isEqualTo(15);
    }

    @Test
    void aBatchWorthIsExportedAtOnceTheRestWaitsForTheDelayOrAFlush() {
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(exporter, scheduler, 100, 5, HOUR, HOUR);
        Tracer tracer = tracer(processor);
        spansWhileSchedulerBusy(tracer, 12);
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.exported() == 10);
        assertThat(exporter.batchSizes).containsExactly(5, 5);
        assertThat(processor.queued()).isEqualTo(2);

        assertThat(processor.forceFlush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(exporter.batchSizes).containsExactly(5, 5, 2);
    }

    @Test
    void lessThanABatchIsExportedAfterTheDelay() {
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(exporter, scheduler, 100, 50, 100, HOUR);
        spans(tracer(processor), 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.exported() == 3);
        assertThat(exporter.batchSizes).containsExactly(3);
    }

    @Test
    void oneExportInFlightAtATimeTheNextStartsWhenItCompletes() {
        exporter.hold = true;
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(exporter, scheduler, 100, 5, HOUR, HOUR);
        spansWhileSchedulerBusy(tracer(processor), 15);
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.pending.size() == 1);
        assertThat(exporter.maxInFlight.get()).isEqualTo(1);
        exporter.hold = false;
        exporter.pending.get(0).succeed();
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.exported() == 15);
        assertThat(exporter.maxInFlight.get()).isEqualTo(1);
        assertThat(exporter.batchSizes).containsExactly(5, 5, 5);
    }

    @Test
    void anExportThatNeverCompletesIsGivenUpAfterTheTimeout() {
        exporter.hold = true;
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(exporter, scheduler, 100, 5, HOUR, 200);
        spansWhileSchedulerBusy(tracer(processor), 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.pending.size() == 2);
        assertThat(exporter.maxInFlight.get()).as("the second batch started once the first was given up").isEqualTo(2);
    }

    @Test
    void shutdownExportsEverythingQueuedThenShutsTheExporterDown() {
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(exporter, scheduler, 100, 50, HOUR, HOUR);
        spans(tracer(processor), 7);
        assertThat(exporter.exported()).isZero();
        assertThat(processor.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(exporter.exported()).isEqualTo(7);
        assertThat(exporter.shutdown.get()).isTrue();
        processor.onEnd(endedSpan());
        assertThat(processor.dropped()).as("a span after shutdown is dropped").isEqualTo(1);
    }

    @Test
    void aFailedExportIsCountedAndTheNextOneStillRuns() {
        exporter.fail = true;
        CountingSpanExporter counting = new CountingSpanExporter(exporter, "test");
        ScheduledSpanProcessor processor = new ScheduledSpanProcessor(counting, scheduler, 100, 50, HOUR, HOUR);
        Tracer tracer = tracer(processor);
        spans(tracer, 3);
        assertThat(processor.forceFlush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(counting.failedSpans.get()).isEqualTo(3);
        assertThat(counting.failedRequests.get()).isEqualTo(1);

        exporter.fail = false;
        spans(tracer, 2);
        processor.forceFlush().join(5, TimeUnit.SECONDS);
        assertThat(counting.exported.get()).isEqualTo(2);
    }

    private static io.opentelemetry.sdk.trace.ReadableSpan endedSpan() {
        SdkTracerProvider other = SdkTracerProvider.builder()
                .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(new RecordingExporter()))
                .build();
        io.opentelemetry.api.trace.Span span = other.get("other").spanBuilder("late").startSpan();
        span.end();
        return (io.opentelemetry.sdk.trace.ReadableSpan) span;
    }

    /**
     * Ends {@code n} spans while the scheduler's thread is busy, so that the batches cut afterwards do not depend
     * on how the test thread and the scheduler interleave.
     */
    private void spansWhileSchedulerBusy(Tracer tracer, int n) {
        CountDownLatch release = new CountDownLatch(1);
        scheduler.execute(() -> awaitQuietly(release));
        spans(tracer, n);
        release.countDown();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class RecordingExporter implements SpanExporter {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final List<CompletableResultCode> pending = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicBoolean shutdown = new AtomicBoolean();
        volatile boolean fail;
        volatile boolean hold;

        int exported() {
            return batchSizes.stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableResultCode result = new CompletableResultCode();
            result.whenComplete(() -> {
                inFlight.decrementAndGet();
                batchSizes.add(spans.size());
            });
            if (hold) {
                pending.add(result);
            } else if (fail) {
                result.fail();
            } else {
                result.succeed();
            }
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            shutdown.set(true);
            return CompletableResultCode.ofSuccess();
        }
    }
}

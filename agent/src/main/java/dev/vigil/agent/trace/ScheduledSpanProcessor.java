package dev.vigil.agent.trace;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches sampled spans and exports them from the agent's shared scheduler: the SDK's batch span processor
 * without its worker thread.
 *
 * <p>Guarantees (the batch processor's): {@link #onEnd} never blocks and never waits for a lock: a sampled span
 * goes to a bounded queue, and when the queue is full it is dropped and counted ({@link #dropped()}). A batch of up
 * to {@code maxBatch} spans is exported every {@code delayMillis}, or at once when a batch's worth is queued (one
 * signal to the scheduler, not one task per span). At most one export is in flight; the next batch starts when it
 * completes, or after {@code exportTimeoutMillis} if it never does (as the SDK's processor gives up waiting on an
 * exporter; the OTLP sender completes within its own timeout, this is the safety net). {@link #forceFlush} and
 * {@link #shutdown} export everything queued; the caller bounds the wait.
 */
public final class ScheduledSpanProcessor implements SpanProcessor {
    private final SpanExporter exporter;
    private final ScheduledExecutorService scheduler;
    private final int capacity;
    private final int maxBatch;
    private final long exportTimeoutMillis;
    private final Queue<ReadableSpan> queue = new ConcurrentLinkedQueue<>();
    /** Spans in {@link #queue}; the queue's own size() is O(n). */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    /** An export job is submitted and has not started yet: further full batches need no second one. */
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicBoolean exporting = new AtomicBoolean();
    private final Queue<CompletableResultCode> flushes = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> timer;
    private volatile boolean shutdown;

    public ScheduledSpanProcessor(SpanExporter exporter, ScheduledExecutorService scheduler, int capacity, int maxBatch,
                                  long delayMillis, long exportTimeoutMillis) {
        this.exporter = exporter;
        this.exportTimeoutMillis = exportTimeoutMillis;
        this.scheduler = scheduler;
        this.capacity = capacity;
        this.maxBatch = Math.max(1, Math.min(maxBatch, capacity));
        this.timer = scheduler.scheduleWithFixedDelay(this::exportNext, delayMillis, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled()) {
            return;
        }
        if (shutdown) {
            dropped.incrementAndGet();
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(span);
        if (queued.get() >= maxBatch && !exporting.get() && signalled.compareAndSet(false, true)) {
            signal();
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** Sampled spans dropped because the queue was full (or ended after shutdown). */
    public long dropped() {
        return dropped.get();
    }

    /** Spans waiting for export. */
    public int queued() {
        return queued.get();
    }

    private void signal() {
        try {
            scheduler.execute(this::exportNext);
        } catch (RejectedExecutionException e) {
            signalled.set(false); // the agent is stopping; whatever is queued is flushed by shutdown or lost
        }
    }

    /** Starts the export of the next batch unless one is in flight; completes flushes once nothing is left. */
    private void exportNext() {
        signalled.set(false);
        if (!exporting.compareAndSet(false, true)) {
            return; // the running export starts the next one when it completes
        }
        List<SpanData> batch = new ArrayList<>(Math.min(maxBatch, Math.max(1, queued.get())));
        ReadableSpan span;
        while (batch.size() < maxBatch && (span = queue.poll()) != null) {
            queued.decrementAndGet();
            batch.add(span.toSpanData());
        }
        if (batch.isEmpty()) {
            exporting.set(false);
            completeFlushes();
            return;
        }
        CompletableResultCode result;
        try {
            result = exporter.export(batch);
        } catch (RuntimeException e) {
            result = CompletableResultCode.ofFailure();
        }
        AtomicBoolean finished = new AtomicBoolean();
        Runnable done = () -> {
            if (finished.compareAndSet(false, true)) {
                exported();
            }
        };
        result.whenComplete(done);
        if (!result.isDone()) {
            try {
                ScheduledFuture<?> guard = scheduler.schedule(done, exportTimeoutMillis, TimeUnit.MILLISECONDS);
                result.whenComplete(() -> guard.cancel(false));
            } catch (RejectedExecutionException e) {
                // stopping: the export completes or the JVM ends
            }
        }
    }

    private void exported() {
        exporting.set(false);
        if ((queued.get() >= maxBatch || !flushes.isEmpty()) && signalled.compareAndSet(false, true)) {
            signal();
        }
    }

    /**
     * Nothing queued, nothing in flight: completes the flushes asked for so far. They are taken off first and the
     * queue checked after, so that a flush asked for meanwhile (after spans the test of the queue would miss) waits
     * for the next round.
     */
    private void completeFlushes() {
        List<CompletableResultCode> ready = new ArrayList<>();
        CompletableResultCode flush;
        while ((flush = flushes.poll()) != null) {
            ready.add(flush);
        }
        if (queued.get() > 0) {
            flushes.addAll(ready);
            if (signalled.compareAndSet(false, true)) {
                signal(); // spans arrived meanwhile
            }
            return;
        }
        ready.forEach(CompletableResultCode::succeed);
    }

    /** Completes when everything queued now (and meanwhile) is exported. */
    @Override
    public CompletableResultCode forceFlush() {
        CompletableResultCode flush = new CompletableResultCode();
        flushes.add(flush);
        if (signalled.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::exportNext);
            } catch (RejectedExecutionException e) {
                signalled.set(false);
                flush.fail();
            }
        }
        return flush;
    }

    /** Stops accepting spans, exports the queued ones, then shuts the exporter down. */
    @Override
    public CompletableResultCode shutdown() {
        shutdown = true;
        timer.cancel(false);
        CompletableResultCode done = new CompletableResultCode();
        CompletableResultCode flush = forceFlush();
        flush.whenComplete(() -> {
            CompletableResultCode closed = exporter.shutdown();
            closed.whenComplete(() -> {
                if (flush.isSuccess() && closed.isSuccess()) {
                    done.succeed();
                } else {
                    done.fail();
                }
            });
        });
        return done;
    }
}

package dev.vigil.agent.trace;

import dev.vigil.agent.log.AgentLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps the real exporter to count what was exported and what failed, and to report an unreachable collector
 * in one warning (and one line when it recovers) instead of one line per batch.
 */
final class CountingSpanExporter implements SpanExporter {
    private static final String DOWN_KEY = "export.traces.down";
    private final SpanExporter delegate;
    private final String destination;
    final AtomicLong exported = new AtomicLong();
    final AtomicLong failedSpans = new AtomicLong();
    final AtomicLong failedRequests = new AtomicLong();

    CountingSpanExporter(SpanExporter delegate, String destination) {
        this.delegate = delegate;
        this.destination = destination;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        int size = spans.size();
        CompletableResultCode result;
        try {
            result = delegate.export(spans);
        } catch (RuntimeException e) {
            onFailure(size, e);
            return CompletableResultCode.ofFailure();
        }
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                exported.addAndGet(size);
                if (failedRequests.get() > 0 && AgentLog.warnOnce("export.traces.recovered." + failedRequests.get(),
                        "span export to " + destination + " works again")) {
                    AgentLog.rearm(DOWN_KEY);
                }
            } else {
                onFailure(size, result.getFailureThrowable());
            }
        });
        return result;
    }

    private void onFailure(int size, Throwable cause) {
        failedSpans.addAndGet(size);
        failedRequests.incrementAndGet();
        AgentLog.warnOnce(DOWN_KEY, "span export to " + destination + " failed" + (cause == null ? "" : " (" + cause + ")")
                + "; spans are dropped and counted in vigil_agent_spans_export_failed_total, the application is not"
                + " affected. Further failures are not logged until export works again.");
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}

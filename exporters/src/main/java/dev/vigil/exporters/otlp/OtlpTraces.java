package dev.vigil.exporters.otlp;

import dev.vigil.exporters.ExportSettings;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** OTLP/HTTP protobuf span export over the JDK {@code HttpClient} (no OkHttp, no Kotlin in the agent jar). */
public final class OtlpTraces {
    private OtlpTraces() {
    }

    public static SpanExporter exporter(ExportSettings settings, ThreadFactory threads) {
        // The sender runs requests on this executor: agent threads, so the JDK HttpClient instrumentation
        // recognises (and ignores) the exporter's own calls.
        ExecutorService executor = Executors.newSingleThreadExecutor(threads);
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.tracesEndpoint())
                .setTimeout(settings.otlpTimeout())
                .setExecutorService(executor)
                .setServiceClassLoader(OtlpTraces.class.getClassLoader());
        for (Map.Entry<String, String> header : settings.otlpHeaders().entrySet()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        return builder.build();
    }
}

package dev.vigil.exporters.otlp;

import dev.vigil.exporters.ExportSettings;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Map;

/**
 * OTLP/HTTP protobuf span export over the agent's shared transports ({@link SharedHttpSender} on
 * {@link HttpTransports}: no OkHttp, no Kotlin, and for {@code http://} no thread of its own).
 */
public final class OtlpTraces {
    private OtlpTraces() {
    }

    public static SpanExporter exporter(ExportSettings settings, HttpTransports transports) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.tracesEndpoint())
                .setTimeout(settings.otlpTimeout())
                .setConnectTimeout(settings.otlpTimeout())
                // the request marshalers are pooled and reused instead of allocated per export; safe with any
                // number of exports in flight (the pool hands each its own)
                .setMemoryMode(MemoryMode.REUSABLE_DATA)
                .setComponentLoader(transports.componentLoader());
        for (Map.Entry<String, String> header : settings.otlpHeaders().entrySet()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        return builder.build();
    }
}

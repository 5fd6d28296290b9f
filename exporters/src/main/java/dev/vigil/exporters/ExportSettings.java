package dev.vigil.exporters;

import io.opentelemetry.sdk.resources.Resource;

import java.time.Duration;
import java.util.Map;

/**
 * What the agent tells the exporters, already validated by the agent's configuration.
 *
 * @param tracesEndpoint  full OTLP/HTTP URL for spans, or null when span export is off
 * @param metricsEndpoint full OTLP/HTTP URL for metrics, or null when metric push is off
 * @param metricsInterval time between two metric pushes
 * @param otlpHeaders    headers for every OTLP request (secrets: never logged)
 * @param otlpTimeout    timeout of one export request
 * @param prometheusHost address the scrape endpoint binds to
 * @param prometheusPort port of the scrape endpoint; 0 disables it
 * @param resource       resource attributes of pushed metrics (the same as the spans')
 */
public record ExportSettings(String tracesEndpoint, String metricsEndpoint, Duration metricsInterval,
                             Map<String, String> otlpHeaders, Duration otlpTimeout,
                             String prometheusHost, int prometheusPort, Resource resource) {
}

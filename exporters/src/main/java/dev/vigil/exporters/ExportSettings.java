package dev.vigil.exporters;

import java.time.Duration;
import java.util.Map;

/**
 * What the agent tells the exporters, already validated by the agent's configuration.
 *
 * @param tracesEndpoint full OTLP/HTTP URL for spans, or null when span export is off
 * @param otlpHeaders    headers for every OTLP request (secrets: never logged)
 * @param otlpTimeout    timeout of one export request
 * @param prometheusHost address the scrape endpoint binds to
 * @param prometheusPort port of the scrape endpoint; 0 disables it
 */
public record ExportSettings(String tracesEndpoint, Map<String, String> otlpHeaders, Duration otlpTimeout,
                             String prometheusHost, int prometheusPort) {
}

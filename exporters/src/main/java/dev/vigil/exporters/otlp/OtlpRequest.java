package dev.vigil.exporters.otlp;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One export's HTTP request, built once (message serialised and compressed) and sent unchanged by every attempt.
 *
 * @param endpoint    the collector's URL
 * @param headers     every header to send, in order (content type, encoding and the exporter's own), names checked:
 *                    no header the transport sets itself ({@code Host}, {@code Content-Length}, {@code Connection},
 *                    …) and no line breaks
 * @param body        the message; only its first {@code bodyLength} bytes are sent (the array is the writer's
 *                    buffer, handed over without a copy: never modified after building)
 * @param bodyLength  bytes of {@code body} to send
 * @param maxResponseBytes longest response body accepted; a longer one fails the attempt
 */
record OtlpRequest(URI endpoint, List<Map.Entry<String, String>> headers, byte[] body, int bodyLength,
                   long maxResponseBytes) {
}

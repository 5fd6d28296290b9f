package dev.vigil.exporters.otlp;

import io.opentelemetry.sdk.common.export.HttpResponse;

/** A collector's answer as the exporters read it: status, reason phrase (or the status when there is none), body. */
record OtlpResponse(int status, String message, byte[] body) implements HttpResponse {
    @Override
    public int getStatusCode() {
        return status;
    }

    @Override
    public String getStatusMessage() {
        return message;
    }

    @Override
    public byte[] getResponseBody() {
        return body;
    }
}

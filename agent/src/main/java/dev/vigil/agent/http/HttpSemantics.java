package dev.vigil.agent.http;

import java.util.Set;

/** Shared HTTP semantic-convention rules (method normalisation, error type) for server and client spans. */
final class HttpSemantics {
    static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "QUERY");
    static final String OTHER_METHOD = "_OTHER";

    private HttpSemantics() {
    }

    static String method(String method) {
        return method != null && KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    /** {@code error.type}: the exception class, else the status code when it counts as an error, else null. */
    static String errorType(int status, Throwable error, boolean server) {
        if (error != null) {
            return error.getClass().getName();
        }
        if (status >= 500 || (!server && status >= 400)) {
            return Integer.toString(status);
        }
        return null;
    }
}

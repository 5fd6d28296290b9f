package dev.vigil.agent.http;

import java.util.Set;

/** Shared HTTP semantic-convention rules (method normalisation, error type) for server and client spans. */
final class HttpSemantics {
    static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "QUERY");
    static final String OTHER_METHOD = "_OTHER";

    /** Advised histogram buckets of the HTTP duration metrics, seconds. */
    static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

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

package dev.vigil.agent.http;

import java.util.Locale;
import java.util.Set;

/**
 * Keeps secrets out of recorded URLs: values of sensitive query parameters and any user-info become
 * {@code REDACTED}. Never throws; linear in the input.
 */
public final class UrlRedaction {
    static final String REDACTED = "REDACTED";
    private static final Set<String> SENSITIVE = Set.of(
            "password", "passwd", "pwd", "pass", "secret", "client_secret", "token", "access_token", "refresh_token",
            "id_token", "api_key", "apikey", "api-key", "key", "auth", "authorization", "session", "sessionid",
            "jsessionid", "sig", "signature", "x-goog-signature", "awsaccesskeyid", "x-amz-signature",
            "x-amz-credential", "x-amz-security-token", "code", "credentials", "private_token");

    private UrlRedaction() {
    }

    /** The query string with sensitive values replaced; null stays null. */
    public static String query(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length());
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            String pair = query.substring(start, end);
            int eq = pair.indexOf('=');
            if (eq >= 0 && isSensitive(pair.substring(0, eq))) {
                out.append(pair, 0, eq + 1).append(REDACTED);
            } else {
                out.append(pair);
            }
            if (amp < 0) {
                break;
            }
            out.append('&');
            start = amp + 1;
        }
        return out.toString();
    }

    /** A full URL with user-info and sensitive query values redacted. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String result = url;
        int scheme = result.indexOf("://");
        if (scheme > 0) {
            int authorityStart = scheme + 3;
            int authorityEnd = indexOfAny(result, authorityStart, "/?#");
            int at = result.lastIndexOf('@', authorityEnd - 1);
            if (at >= authorityStart) {
                result = result.substring(0, authorityStart) + REDACTED + ":" + REDACTED + result.substring(at);
            }
        }
        int q = result.indexOf('?');
        if (q >= 0) {
            int hash = result.indexOf('#', q);
            String query = hash < 0 ? result.substring(q + 1) : result.substring(q + 1, hash);
            result = result.substring(0, q + 1) + query(query) + (hash < 0 ? "" : result.substring(hash));
        }
        return result;
    }

    private static boolean isSensitive(String name) {
        return SENSITIVE.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}

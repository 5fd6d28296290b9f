package dev.vigil.agent.messaging;

import java.nio.charset.StandardCharsets;

/** Header and property naming and decoding shared by the messaging instrumentations. */
final class PropertyNames {
    /** Replaces {@code -} in JMS property names (which must be Java identifiers), as other agents do. */
    static final String JMS_DASH = "_$dash$_";

    private PropertyNames() {
    }

    /**
     * A JMS-legal property name for a propagation header: {@code -} becomes {@value #JMS_DASH}, and any other
     * character that is not a Java identifier part becomes {@code _}. {@code traceparent}, {@code tracestate}
     * and {@code baggage} stay as they are.
     */
    static String jmsIdentifier(String header) {
        StringBuilder out = null;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            boolean legal = i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
            if (legal && c != '$') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(header.length() + 8).append(header, 0, i);
            }
            out.append(c == '-' ? JMS_DASH : "_");
        }
        return out == null ? header : out.toString();
    }

    /** The text of a header value as a client library holds it: String, UTF-8 bytes, or anything's toString. */
    static String text(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof String) {
            return (String) raw;
        }
        if (raw instanceof byte[]) {
            return new String((byte[]) raw, StandardCharsets.UTF_8);
        }
        return raw.toString();
    }
}

package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the W3C {@code tracestate} list (Trace Context Level 1 section 3.3).
 *
 * <p>Reading: several header fields are one list, joined with commas (RFC 7230 field order). Optional whitespace
 * (SP, HTAB) around members is ignored and empty members are skipped. The list is all-or-nothing: more than 32
 * members, a duplicated key, or any member that does not match the grammar makes the whole header invalid, and
 * it is dropped (the {@code traceparent} stays valid) - a vendor must not propagate an invalid list, and
 * truncation is only for a vendor's own additions or size limits. Keys follow the Level 1 grammar:
 * <pre>
 * simple-key       = lcalpha 0*255( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
 * multi-tenant-key = tenant-id "@" system-id
 * tenant-id        = ( lcalpha / DIGIT ) 0*240( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
 * system-id        = lcalpha 0*13( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
 * </pre>
 * Values are 1 to 256 printable ASCII characters (0x20-0x7E) other than {@code ,} and {@code =}, not ending in
 * a space; leading spaces belong to the value, trailing ones are optional whitespace.
 *
 * <p>Writing: members in order, {@code key=value} joined by a plain comma (optional whitespace dropped, which the
 * spec allows); nothing is written for an empty list. Vigil adds no entry of its own. Stateless, thread-safe.
 */
public final class TraceStateHeader {
    static final int MAX_MEMBERS = 32;
    static final int MAX_KEY_LENGTH = 256;
    static final int MAX_TENANT_LENGTH = 241;
    static final int MAX_SYSTEM_LENGTH = 14;
    static final int MAX_VALUE_LENGTH = 256;

    private TraceStateHeader() {
    }

    /** The combined list of every {@code tracestate} field value; empty when absent or invalid. */
    public static TraceState parse(Iterator<String> fieldValues) {
        if (fieldValues == null || !fieldValues.hasNext()) {
            return TraceState.getDefault();
        }
        StringBuilder combined = new StringBuilder();
        while (fieldValues.hasNext()) {
            String v = fieldValues.next();
            if (v != null) {
                if (combined.length() > 0) {
                    combined.append(',');
                }
                combined.append(v);
            }
        }
        List<String[]> members = members(combined.toString());
        if (members == null || members.isEmpty()) {
            return TraceState.getDefault();
        }
        // OpenTelemetry's builder puts each new key in front, so add from the right-most member.
        TraceStateBuilder builder = TraceState.builder();
        for (int i = members.size() - 1; i >= 0; i--) {
            builder.put(members.get(i)[0], members.get(i)[1]);
        }
        TraceState state = builder.build();
        // The builder silently skips what it rejects; a list it cannot hold whole is not propagated.
        return state.size() == members.size() ? state : TraceState.getDefault();
    }

    /** {@code key=value,...} in order, or the empty string for an empty list. */
    public static String format(TraceState state) {
        if (state == null || state.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(64);
        state.forEach((key, value) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(key).append('=').append(value);
        });
        return sb.toString();
    }

    /** The members of a combined list as {key, value} pairs, or {@code null} when the list is invalid. */
    static List<String[]> members(String list) {
        List<String[]> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int length = list.length();
        int from = 0;
        while (from <= length) {
            int comma = list.indexOf(',', from);
            int to = comma < 0 ? length : comma;
            int start = from;
            int end = to;
            while (start < end && TraceParent.isOws(list.charAt(start))) {
                start++;
            }
            while (end > start && TraceParent.isOws(list.charAt(end - 1))) {
                end--;
            }
            if (start < end) {
                int eq = list.indexOf('=', start);
                if (eq < 0 || eq >= end) {
                    return null;
                }
                String key = list.substring(start, eq);
                String value = list.substring(eq + 1, end);
                if (!isValidKey(key) || !isValidValue(value) || !keys.add(key) || out.size() == MAX_MEMBERS) {
                    return null;
                }
                out.add(new String[] {key, value});
            }
            from = to + 1;
        }
        return out;
    }

    static boolean isValidKey(String key) {
        int at = key.indexOf('@');
        if (at < 0) {
            return key.length() <= MAX_KEY_LENGTH && isKey(key, 0, key.length(), false);
        }
        return key.indexOf('@', at + 1) < 0
                && at <= MAX_TENANT_LENGTH && isKey(key, 0, at, true)
                && key.length() - at - 1 <= MAX_SYSTEM_LENGTH && isKey(key, at + 1, key.length(), false);
    }

    /** {@code first 0*n(keychar)} over [from, to): first is lcalpha, or lcalpha / DIGIT for a tenant id. */
    private static boolean isKey(String s, int from, int to, boolean digitFirst) {
        if (from >= to) {
            return false;
        }
        char first = s.charAt(from);
        if (!(first >= 'a' && first <= 'z' || digitFirst && first >= '0' && first <= '9')) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '*' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    static boolean isValidValue(String value) {
        int length = value.length();
        if (length == 0 || length > MAX_VALUE_LENGTH || value.charAt(length - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }
}

package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * Reads and writes the W3C {@code traceparent} value ({@code version-traceid-parentid-flags}).
 *
 * <p>Reading follows Trace Context Level 1 section 3.2 and Level 2's flag bits:
 * <ul>
 *   <li>optional whitespace (SP, HTAB) around the value is ignored, as for any HTTP field value;</li>
 *   <li>every field is lowercase hex ({@code HEXDIGLC}); version {@code ff} is invalid;</li>
 *   <li>version {@code 00} is exactly 55 characters; a higher version is read with the {@code 00} layout and may
 *       carry more data only after a dash following the flags;</li>
 *   <li>an all-zero trace id or parent id is invalid;</li>
 *   <li>of the flags only {@code sampled} (0x01) and {@code random-trace-id} (0x02, Level 2) are kept; the
 *       other bits are reserved, ignored on input and never sent.</li>
 * </ul>
 * Writing always produces version {@code 00}. Stateless and thread-safe.
 */
public final class TraceParent {
    /** Length of a version-00 value, also the minimum length of any version. */
    static final int LENGTH = 55;
    /** The flag bits this implementation understands: sampled and random-trace-id. */
    static final int KNOWN_FLAGS = 0x01 | 0x02;
    /** The flags field with its separator, by {@code flags & KNOWN_FLAGS}. */
    private static final String[] FLAGS = {"-00", "-01", "-02", "-03"};

    private static final int TRACE_ID_OFFSET = 3;
    private static final int PARENT_ID_OFFSET = 36;
    private static final int FLAGS_OFFSET = 53;

    private TraceParent() {
    }

    /**
     * The remote parent described by {@code value}, with an empty trace state, or {@code null} when the value is
     * absent or invalid (the caller then starts a new trace).
     */
    public static SpanContext parse(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        String s = start == 0 && end == value.length() ? value : value.substring(start, end);
        int length = s.length();
        if (length < LENGTH || !isLowerHex(s, 0, 2) || s.charAt(2) != '-') {
            return null;
        }
        boolean version00 = s.charAt(0) == '0' && s.charAt(1) == '0';
        if (s.charAt(0) == 'f' && s.charAt(1) == 'f') {
            return null;
        }
        if (version00 ? length != LENGTH : length > LENGTH && s.charAt(LENGTH) != '-') {
            return null;
        }
        if (s.charAt(PARENT_ID_OFFSET - 1) != '-' || s.charAt(FLAGS_OFFSET - 1) != '-'
                || !isLowerHex(s, TRACE_ID_OFFSET, PARENT_ID_OFFSET - 1)
                || !isLowerHex(s, PARENT_ID_OFFSET, FLAGS_OFFSET - 1)
                || !isLowerHex(s, FLAGS_OFFSET, LENGTH)
                || allZero(s, TRACE_ID_OFFSET, PARENT_ID_OFFSET - 1)
                || allZero(s, PARENT_ID_OFFSET, FLAGS_OFFSET - 1)) {
            return null;
        }
        int flags = Character.digit(s.charAt(FLAGS_OFFSET), 16) << 4 | Character.digit(s.charAt(FLAGS_OFFSET + 1), 16);
        return SpanContext.createFromRemoteParent(
                s.substring(TRACE_ID_OFFSET, PARENT_ID_OFFSET - 1),
                s.substring(PARENT_ID_OFFSET, FLAGS_OFFSET - 1),
                TraceFlags.fromByte((byte) (flags & KNOWN_FLAGS)),
                TraceState.getDefault());
    }

    /** The version-00 value for {@code context}; reserved flag bits are cleared. */
    public static String format(SpanContext context) {
        // one concatenation: the JDK sizes the result first and allocates only the string's own array
        return "00-" + context.getTraceId() + '-' + context.getSpanId()
                + FLAGS[context.getTraceFlags().asByte() & KNOWN_FLAGS];
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}

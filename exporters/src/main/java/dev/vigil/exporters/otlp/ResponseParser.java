package dev.vigil.exporters.otlp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from bytes as they arrive, in any split: status line, headers, and the body delimited
 * by {@code Content-Length}, {@code Transfer-Encoding: chunked} (extensions and trailers skipped) or the end of the
 * connection. Interim {@code 1xx} responses are skipped; {@code 204} and {@code 304} have no body.
 *
 * <p>Limits, each failing the response with an {@link IOException} that says which: a line of at most
 * {@value #MAX_LINE} bytes, headers of at most {@value #MAX_HEADER_BYTES} bytes in all, a body of at most the
 * caller's {@code maxBodyBytes}. Not thread-safe: one parser per response.
 */
final class ResponseParser {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADER_BYTES = 65536;

    private enum State { STATUS, HEADERS, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BODY_UNTIL_CLOSE, DONE }

    private final long maxBodyBytes;
    private State state = State.STATUS;
    /** Grows up to {@value #MAX_LINE} bytes; a collector's lines are short. */
    private byte[] line = new byte[128];
    private int lineLength;
    private int headerBytes;
    private boolean started;

    private int status;
    private String reason;
    private boolean http10;
    private long contentLength = -1;
    private boolean chunked;
    private boolean closeRequested;
    private boolean keepAliveRequested;

    private long remaining;
    private byte[] body = new byte[0];
    private int bodyLength;

    ResponseParser(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Consumes bytes from {@code in} up to the end of the response (bytes after it are left in the buffer). */
    void feed(ByteBuffer in) throws IOException {
        if (in.hasRemaining()) {
            started = true;
        }
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case BODY_LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    append(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.BODY_LENGTH ? State.DONE : State.CHUNK_END;
                    }
                }
                case BODY_UNTIL_CLOSE -> append(in, in.remaining());
                default -> {
                    if (readLine(in)) {
                        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
                        lineLength = 0;
                        onLine(text);
                    }
                }
            }
        }
    }

    /** The peer closed the connection: ends a body delimited by the close, or fails an incomplete response. */
    void endOfInput() throws IOException {
        if (state == State.BODY_UNTIL_CLOSE) {
            state = State.DONE;
        } else if (state != State.DONE) {
            throw new IOException(started ? "connection closed before the end of the response"
                    : "connection closed before any response");
        }
    }

    boolean started() {
        return started;
    }

    boolean complete() {
        return state == State.DONE;
    }

    /** True when the connection may carry another request after this (complete) response. */
    boolean keepAlive() {
        return state == State.DONE && !closeRequested && (!http10 || keepAliveRequested);
    }

    OtlpResponse response() {
        return new OtlpResponse(status, reason.isEmpty() ? String.valueOf(status) : reason,
                bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength));
    }

    /** Appends to the line buffer up to a line feed; true when a whole line (without CR LF) is in it. */
    private boolean readLine(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (state == State.STATUS || state == State.HEADERS) {
                if (++headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("response headers longer than " + MAX_HEADER_BYTES + " bytes");
                }
            }
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == line.length) {
                if (lineLength == MAX_LINE) {
                    throw new IOException("response line longer than " + MAX_LINE + " bytes");
                }
                line = Arrays.copyOf(line, Math.min(MAX_LINE, lineLength * 2));
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private void onLine(String text) throws IOException {
        switch (state) {
            case STATUS -> status(text);
            case HEADERS -> {
                if (text.isEmpty()) {
                    endOfHeaders();
                } else {
                    header(text);
                }
            }
            case CHUNK_SIZE -> {
                long size = chunkSize(text);
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    checkBody(bodyLength + size);
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (!text.isEmpty()) {
                    throw new IOException("malformed chunked response: no line break after a chunk");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void status(String text) throws IOException {
        if (text.isEmpty()) {
            return; // tolerated before the status line
        }
        // HTTP/1.1 200 OK
        if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x response: " + abbreviated(text));
        }
        try {
            status = Integer.parseInt(text.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP/1.x response: " + abbreviated(text));
        }
        http10 = text.startsWith("HTTP/1.0");
        reason = text.length() > 13 ? text.substring(13).trim() : "";
        state = State.HEADERS;
    }

    private void header(String text) throws IOException {
        int colon = text.indexOf(':');
        if (colon <= 0 || text.charAt(0) == ' ' || text.charAt(0) == '\t') {
            return; // obsolete line folding or garbage: nothing we read
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        switch (name) {
            case "content-length" -> {
                long length;
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("invalid Content-Length: " + abbreviated(value));
                }
                if (length < 0 || (contentLength >= 0 && contentLength != length)) {
                    throw new IOException("invalid Content-Length: " + abbreviated(value));
                }
                contentLength = length;
            }
            case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            case "connection" -> {
                for (String token : value.toLowerCase(Locale.ROOT).split(",")) {
                    closeRequested |= token.trim().equals("close");
                    keepAliveRequested |= token.trim().equals("keep-alive");
                }
            }
            default -> {
            }
        }
    }

    private void endOfHeaders() throws IOException {
        if (status >= 100 && status < 200) {
            if (status == 101) {
                throw new IOException("unexpected 101 Switching Protocols");
            }
            // interim response (100 Continue, 103 Early Hints): the real one follows
            contentLength = -1;
            chunked = closeRequested = keepAliveRequested = false;
            state = State.STATUS;
            return;
        }
        if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            checkBody(contentLength);
            body = new byte[(int) contentLength];
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.BODY_LENGTH;
        } else {
            // neither length nor chunks: the body ends with the connection, which cannot be reused
            closeRequested = true;
            state = State.BODY_UNTIL_CLOSE;
        }
    }

    private static long chunkSize(String text) throws IOException {
        int end = text.indexOf(';');
        String hex = (end < 0 ? text : text.substring(0, end)).trim();
        try {
            long size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("malformed chunked response: chunk size " + abbreviated(text));
    }

    private void checkBody(long bytes) throws IOException {
        if (bytes > maxBodyBytes) {
            throw new IOException("response body larger than " + maxBodyBytes + " bytes: not read");
        }
    }

    private void append(ByteBuffer in, int n) throws IOException {
        checkBody((long) bodyLength + n);
        if (bodyLength + n > body.length) {
            body = Arrays.copyOf(body, Math.max(bodyLength + n, Math.min((int) Math.min(maxBodyBytes, Integer.MAX_VALUE - 8),
                    Math.max(256, body.length * 2))));
        }
        in.get(body, bodyLength, n);
        bodyLength += n;
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}

package dev.vigil.exporters.otlp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Responses as a collector may send them, fed in every split the network may make. */
class ResponseParserTest {
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
            + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
    private static final String LENGTH = "HTTP/1.1 400 Bad Request\r\nContent-Length: 7\r\n\r\ninvalid";

    @Test
    void chunkedBodyInEverySplit() throws IOException {
        for (int split = 0; split <= CHUNKED.length(); split++) {
            ResponseParser parser = fed(CHUNKED, split);
            assertThat(parser.complete()).as("split at %d", split).isTrue();
            assertThat(new String(parser.response().body(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
            assertThat(parser.keepAlive()).isTrue();
        }
    }

    @Test
    void lengthDelimitedBodyInEverySplit() throws IOException {
        for (int split = 0; split <= LENGTH.length(); split++) {
            ResponseParser parser = fed(LENGTH, split);
            assertThat(parser.complete()).isTrue();
            assertThat(parser.response().status()).isEqualTo(400);
            assertThat(parser.response().message()).isEqualTo("Bad Request");
            assertThat(new String(parser.response().body(), StandardCharsets.US_ASCII)).isEqualTo("invalid");
        }
    }

    @Test
    void bytesAfterTheResponseAreLeftInTheBuffer() throws IOException {
        ResponseParser parser = new ResponseParser(1000);
        ByteBuffer in = ascii(LENGTH + "HTTP/1.1");
        parser.feed(in);
        assertThat(parser.complete()).isTrue();
        assertThat(in.remaining()).isEqualTo(8);
    }

    @Test
    void aBodyUntilCloseEndsWithTheConnectionAndIsNotKeptAlive() throws IOException {
        ResponseParser parser = fed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", 20);
        assertThat(parser.complete()).isFalse();
        parser.endOfInput();
        assertThat(parser.complete()).isTrue();
        assertThat(parser.keepAlive()).isFalse();
        assertThat(new String(parser.response().body(), StandardCharsets.US_ASCII)).isEqualTo("all of it");
    }

    @Test
    void connectionCloseAndHttp10AreNotKeptAlive() throws IOException {
        assertThat(fed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 3).keepAlive()).isFalse();
        assertThat(fed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 3).keepAlive()).isFalse();
        assertThat(fed("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 3).keepAlive()).isTrue();
    }

    @Test
    void interimResponsesAreSkippedAnd204HasNoBody() throws IOException {
        ResponseParser parser = fed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 30);
        assertThat(parser.complete()).isTrue();
        assertThat(parser.response().status()).isEqualTo(204);
        assertThat(parser.response().body()).isEmpty();
    }

    @Test
    void bodiesOverTheLimitFail() {
        assertThatThrownBy(() -> fed("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n", 0, 1000))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than 1000 bytes");
        assertThatThrownBy(() -> fed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(1000)
                + "\r\n1\r\n", 0, 1000)).isInstanceOf(IOException.class).hasMessageContaining("larger than 1000 bytes");
        assertThatThrownBy(() -> fed("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(1001), 0, 1000))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void malformedResponsesFail() throws IOException {
        assertThatThrownBy(() -> fed("SSH-2.0-OpenSSH\r\n", 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP/1.x response");
        assertThatThrownBy(() -> fed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0))
                .hasMessageContaining("chunk size");
        assertThatThrownBy(() -> fed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0))
                .hasMessageContaining("Content-Length");
        ResponseParser cut = fed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0);
        assertThatThrownBy(cut::endOfInput).hasMessageContaining("before the end of the response");
        ResponseParser nothing = new ResponseParser(1000);
        assertThat(nothing.started()).isFalse();
        assertThatThrownBy(nothing::endOfInput).hasMessageContaining("before any response");
    }

    @Test
    void longHeaderLinesUpToTheLimit() throws IOException {
        String value = "v".repeat(ResponseParser.MAX_LINE - 10);
        ResponseParser parser = fed("HTTP/1.1 200 OK\r\nX-Long: " + value + "\r\nContent-Length: 0\r\n\r\n", 100);
        assertThat(parser.complete()).isTrue();
        assertThatThrownBy(() -> fed("HTTP/1.1 200 OK\r\nX-Long: " + value + "vvvvvvvvvv\r\n\r\n", 100))
                .hasMessageContaining("line longer than");
    }

    private static ResponseParser fed(String response, int split) throws IOException {
        return fed(response, split, 1000);
    }

    /** Feeds the response in two parts, split at {@code split}. */
    private static ResponseParser fed(String response, int split, long maxBody) throws IOException {
        ResponseParser parser = new ResponseParser(maxBody);
        parser.feed(ascii(response.substring(0, Math.min(split, response.length()))));
        parser.feed(ascii(response.substring(Math.min(split, response.length()))));
        return parser;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}

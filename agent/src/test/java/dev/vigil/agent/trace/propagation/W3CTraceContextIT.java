package dev.vigil.agent.trace.propagation;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * W3C Trace Context and Baggage, through real servers: the test writes crafted raw requests (repeated headers,
 * odd name casing, whitespace the JDK client would refuse) to app A's {@code /front}, which calls app B's
 * {@code /echo} with the JDK HttpClient; B answers with the propagation headers it received. Both run with the
 * agent. Each case says whether A continued the incoming trace or restarted it, the flags B received, and the
 * {@code tracestate} and {@code baggage} B received. {@code {T}} and {@code {P}} stand for a fresh trace id and
 * parent id per case.
 */
class W3CTraceContextIT {
    enum Outcome { CONTINUED, RESTARTED }

    /** One rule: raw request headers (name, value, name, value...) and what must come out of A. */
    record Case(String rule, List<String> headers, Outcome outcome, String flags, String tracestate, String baggage) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static final String T = "{T}";
    static final String P = "{P}";
    static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    static final String VALUE_CHARS = " !\"#$%&'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    static OtlpReceiver receiver;
    static ForkedJvm front;
    static ForkedJvm back;
    static int frontPort;
    static int backPort;

    static Case continued(String rule, String flags, String... headers) {
        return new Case(rule, List.of(headers), Outcome.CONTINUED, flags, null, null);
    }

    static Case restarted(String rule, String... headers) {
        return new Case(rule, List.of(headers), Outcome.RESTARTED, "03", null, null);
    }

    static Case withState(Case c, String tracestate) {
        return new Case(c.rule, c.headers, c.outcome, c.flags, tracestate, c.baggage);
    }

    static Case withBaggage(Case c, String baggage) {
        return new Case(c.rule, c.headers, c.outcome, c.flags, c.tracestate, baggage);
    }

    static String tp(String flags) {
        return "00-" + T + "-" + P + "-" + flags;
    }

    static String members(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append(i > from ? "," : "").append(String.format("bar%02d=%02d", i, i));
        }
        return sb.toString();
    }

    static Stream<Case> rules() {
        String valid = tp("01");
        return Stream.of(
                // traceparent: layout and version
                continued("version 00, sampled: continued", "01", "traceparent", valid),
                continued("sampled bit 0: continued, not sampled", "00", "traceparent", tp("00")),
                continued("Level 2 random flag (03) kept", "03", "traceparent", tp("03")),
                continued("random flag without sampled (02) kept", "02", "traceparent", tp("02")),
                continued("reserved flag bits (ff) ignored, sampled honoured", "03", "traceparent", tp("ff")),
                continued("reserved flag bit 0x08 (09) ignored", "01", "traceparent", tp("09")),
                continued("future version cc: read by the 00 layout, sent as 00", "01", "traceparent", "cc-" + T + "-" + P + "-01"),
                continued("future version with '-extra' after the flags", "01", "traceparent", "cc-" + T + "-" + P + "-01-what-the-future-will-be-like"),
                restarted("future version with data after the flags without a dash", "traceparent", "cc-" + T + "-" + P + "-01.what-the-future-will-be-like"),
                restarted("version 00 with '-extra' after the flags", "traceparent", tp("01") + "-what-the-future-will-be-like"),
                restarted("version 00 with one trailing character", "traceparent", tp("01") + "."),
                restarted("version ff is invalid", "traceparent", "ff-" + T + "-" + P + "-01"),
                restarted("uppercase version", "traceparent", "0A-" + T + "-" + P + "-01"),
                restarted("uppercase hex in trace id", "traceparent", "00-" + T + "-" + P + "-01", "upper", "trace"),
                restarted("uppercase hex in parent id", "traceparent", "00-" + T + "-" + P + "-01", "upper", "parent"),
                restarted("uppercase hex in flags", "traceparent", tp("0A")),
                restarted("all-zero trace id", "traceparent", "00-00000000000000000000000000000000-" + P + "-01"),
                restarted("all-zero parent id", "traceparent", "00-" + T + "-0000000000000000-01"),
                restarted("version too long", "traceparent", "000-" + T + "-" + P + "-01"),
                restarted("trace id too long", "traceparent", "00-" + T + "3-" + P + "-01"),
                restarted("parent id too short", "traceparent", "00-" + T + "-" + P + "-01", "cut", "parent"),
                restarted("flags too long", "traceparent", tp("001")),
                restarted("flags too short", "traceparent", tp("1")),
                restarted("repeated traceparent (identical values)", "traceparent", valid, "traceparent", valid),
                restarted("repeated traceparent with different name casing", "traceparent", valid, "TraceParent", valid),
                restarted("misspelled header name trace-parent", "trace-parent", valid),
                continued("header name TraceParent", "01", "TraceParent", valid),
                continued("header name TRACEPARENT", "01", "TRACEPARENT", valid),
                continued("optional whitespace around the value", "01", "traceparent", "\t " + valid + " \t"),
                // tracestate
                withState(continued("tracestate kept, in order", "01", "traceparent", valid, "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
                        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
                withState(continued("header name TrAcEsTaTe", "01", "traceparent", valid, "TrAcEsTaTe", "foo=1"), "foo=1"),
                restarted("tracestate without traceparent is discarded", "tracestate", "foo=1"),
                restarted("invalid traceparent discards tracestate", "traceparent", tp("0A"), "tracestate", "foo=1"),
                restarted("repeated traceparent discards tracestate", "traceparent", valid, "traceparent", valid, "tracestate", "foo=1"),
                withState(continued("several tracestate headers are one list", "01", "traceparent", valid,
                        "tracestate", "foo=1,bar=2", "Tracestate", "rojo=1,congo=2", "tracestate", "baz=3"), "foo=1,bar=2,rojo=1,congo=2,baz=3"),
                withState(continued("optional whitespace and empty members", "01", "traceparent", valid,
                        "tracestate", "foo=1 \t , \t ,, bar=2,\t baz=3\t"), "foo=1,bar=2,baz=3"),
                continued("empty tracestate is not sent on", "01", "traceparent", valid, "tracestate", ""),
                withState(continued("32 members over 4 headers kept", "01", "traceparent", valid, "tracestate", members(1, 10),
                        "tracestate", members(11, 20), "tracestate", members(21, 30), "tracestate", members(31, 32)), members(1, 32)),
                continued("33 members: whole tracestate dropped", "01", "traceparent", valid, "tracestate", members(1, 30),
                        "tracestate", members(31, 33)),
                continued("duplicate key: dropped", "01", "traceparent", valid, "tracestate", "foo=1,foo=1"),
                continued("duplicate key across headers: dropped", "01", "traceparent", valid, "tracestate", "foo=1", "tracestate", "foo=2"),
                withState(continued("all key and value characters", "01", "traceparent", valid, "tracestate",
                        KEY_CHARS + "=" + VALUE_CHARS + "," + KEY_CHARS + "@a-z0-9_-*/=" + VALUE_CHARS),
                        KEY_CHARS + "=" + VALUE_CHARS + "," + KEY_CHARS + "@a-z0-9_-*/=" + VALUE_CHARS),
                withState(continued("multi-tenant key: 241-character tenant, 14-character system", "01", "traceparent", valid,
                        "tracestate", "t".repeat(241) + "@" + "v".repeat(14) + "=1,foo=1"), "t".repeat(241) + "@" + "v".repeat(14) + "=1,foo=1"),
                continued("242-character tenant: dropped", "01", "traceparent", valid, "tracestate", "foo=1,"+ "t".repeat(242) + "@v=1"),
                continued("15-character system: dropped", "01", "traceparent", valid, "tracestate", "foo=1,t@" + "v".repeat(15) + "=1"),
                continued("257-character key: dropped", "01", "traceparent", valid, "tracestate", "foo=1," + "z".repeat(257) + "=1"),
                continued("key starting with a digit: dropped", "01", "traceparent", valid, "tracestate", "foo=1,1abc=2"),
                continued("uppercase key: dropped", "01", "traceparent", valid, "tracestate", "foo=1,BAR=2"),
                continued("double @ in key: dropped", "01", "traceparent", valid, "tracestate", "foo@@bar=1,bar=2"),
                continued("= in value: dropped", "01", "traceparent", valid, "tracestate", "foo=bar=baz"),
                continued("empty value: dropped", "01", "traceparent", valid, "tracestate", "foo=,bar=3"),
                continued("257-character value: dropped", "01", "traceparent", valid, "tracestate", "foo=" + "v".repeat(257)),
                // baggage
                withBaggage(continued("baggage: percent-encoding and properties carried", "01", "traceparent", valid,
                        "baggage", "userId=alice,tier=gold%20plus;ttl=30"), "tier=gold%20plus;ttl=30,userId=alice"),
                withBaggage(continued("baggage: malformed members skipped, others kept", "01", "traceparent", valid,
                        "baggage", "k1=v1,bad key=x,k2=v%XX,k3=v3"), "k1=v1,k3=v3"),
                withBaggage(continued("baggage: several headers are one list", "01", "traceparent", valid,
                        "baggage", "a=1", "Baggage", "b=2"), "a=1,b=2"),
                withBaggage(restarted("baggage survives an invalid traceparent", "traceparent", tp("0A"), "baggage", "a=1"), "a=1"),
                restarted("no propagation headers: new trace"));
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port=0";
        front = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").withAgent(args + ",service.name=front").start();
        back = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").withAgent(args + ",service.name=back").start();
        frontPort = front.awaitReadyPort();
        backPort = back.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ForkedJvm.closeAll(front, back, receiver);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(Case c) throws Exception {
        String traceId = randomHex(16);
        String parentId = randomHex(8);
        List<String> headers = materialize(c.headers, traceId, parentId);

        Echo echo = send(headers);

        assertThat(echo.traceparents).as("B receives exactly one traceparent").hasSize(1);
        String[] out = echo.traceparents.get(0).split("-");
        assertThat(echo.traceparents.get(0)).as("always version 00, lowercase").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        assertThat(out[3]).as("flags B receives").isEqualTo(c.flags);
        assertThat(out[2]).as("A sends its own span id").isNotEqualTo(parentId);
        if (c.outcome == Outcome.CONTINUED) {
            assertThat(out[1]).as("trace continued").isEqualTo(traceId);
        } else {
            assertThat(out[1]).as("trace restarted").isNotEqualTo(traceId);
        }
        assertThat(echo.tracestates).as("tracestate B receives")
                .isEqualTo(c.tracestate == null ? List.of() : List.of(c.tracestate));
        assertThat(echo.baggages).as("baggage B receives").isEqualTo(c.baggage == null ? List.of() : List.of(c.baggage));

        boolean sampled = (Integer.parseInt(c.flags, 16) & 1) == 1;
        if (sampled) {
            List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.spans(s -> s.traceId().equals(out[1])), spans -> spans.size() >= 3);
            ReceivedSpan frontServer = only(trace, SpanKind.SPAN_KIND_SERVER, "front");
            ReceivedSpan frontClient = only(trace, SpanKind.SPAN_KIND_CLIENT, "front");
            assertThat(frontServer.parentSpanId()).as("A's server span parent")
                    .isEqualTo(c.outcome == Outcome.CONTINUED ? parentId : "");
            assertThat(frontClient.spanId()).as("B's parent is A's client span").isEqualTo(out[2]);
            assertThat(frontServer.flags() & 0xff).as("A's span flags").isEqualTo(Integer.parseInt(c.flags, 16));
            assertThat(frontServer.span().getTraceState()).as("A's span trace_state")
                    .isEqualTo(c.tracestate == null ? "" : c.tracestate);
        }
    }

    @Test
    void malformedBaggageLeavesNoTraceInTheHostLog() throws Exception {
        Echo echo = send(List.of("baggage", "k1=v%XX,k2=v%G1,k3=ok"));
        assertThat(echo.baggages).containsExactly("k3=ok");
        assertThat(front.output()).doesNotContain("baggage").doesNotContain("NumberFormatException");
    }

    record Echo(List<String> traceparents, List<String> tracestates, List<String> baggages) {
    }

    /** Sends the headers byte for byte to A's /front (one connection, closed after the response). */
    static Echo send(List<String> headers) throws IOException {
        String target = URLEncoder.encode("http://127.0.0.1:" + backPort + "/echo", StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("GET /front?client=jdk&target=" + target + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(frontPort).append("\r\n");
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.append(headers.get(i)).append(':').append(headers.get(i + 1).startsWith("\t") ? "" : " ")
                    .append(headers.get(i + 1)).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        String response;
        try (Socket socket = new Socket("127.0.0.1", frontPort)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(response).as("A's response").startsWith("HTTP/1.1 200");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        List<String> lines = body.lines().toList();
        assertThat(lines.get(0)).as("B's status seen by A: " + body).isEqualTo("200");
        return new Echo(values(lines, "traceparent: "), values(lines, "tracestate: "), values(lines, "baggage: "));
    }

    static List<String> values(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .collect(Collectors.toList());
    }

    /** Replaces {T} and {P}; the pseudo-headers "upper"/"cut" alter the previous value's trace or parent id. */
    static List<String> materialize(List<String> headers, String traceId, String parentId) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            String name = headers.get(i);
            String value = headers.get(i + 1);
            if (name.equals("upper") || name.equals("cut")) {
                String id = value.equals("trace") ? traceId : parentId;
                String changed = name.equals("upper") ? id.substring(0, id.length() - 3) + "ABC" : id.substring(1);
                out.set(out.size() - 1, out.get(out.size() - 1).replace(id, changed));
                continue;
            }
            out.add(name);
            out.add(value.replace(T, traceId).replace(P, parentId));
        }
        return out;
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 0x10; // never all zero, never a leading zero byte
        return HexFormat.of().formatHex(b);
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind, String service) {
        List<ReceivedSpan> matching = spans.stream()
                .filter(s -> s.kind() == kind && service.equals(s.resourceAttribute("service.name"))).toList();
        assertThat(matching).as(kind + " spans of " + service + " in " + spans).hasSize(1);
        return matching.get(0);
    }
}

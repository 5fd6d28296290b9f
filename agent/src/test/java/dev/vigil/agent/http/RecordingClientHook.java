package dev.vigil.agent.http;

import dev.vigil.bridge.HttpClientHook;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client hook that records what the client-specific telemetry asks of it. */
final class RecordingClientHook extends HttpClientHook {
    record Ended(Object handle, int status, Throwable error) {
    }

    final List<String> started = new CopyOnWriteArrayList<>();
    final List<Ended> ended = new CopyOnWriteArrayList<>();

    @Override
    public Object start(String method, String url) {
        started.add(method + " " + url);
        return new Object();
    }

    @Override
    public String[] headers(Object handle) {
        return new String[]{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "baggage", "k=v"};
    }

    @Override
    public void end(Object handle, int status, Throwable error) {
        ended.add(new Ended(handle, status, error));
    }
}

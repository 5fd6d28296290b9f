package dev.vigil.sample;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value} command-line options with defaults. */
record Options(Map<String, String> values) {
    static Options parse(String[] args, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            for (String part : args[i].split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
        }
        return new Options(out);
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int getInt(String key, int fallback) {
        return Integer.parseInt(get(key, Integer.toString(fallback)));
    }
}

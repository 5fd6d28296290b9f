package dev.vigil.agent.leak;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a captured stack into what a leak report shows: the frames from the instrumented call on (the agent's own
 * frames dropped) and a bounded site, {@code Class.method} of the first frame that belongs to the application.
 * "Not the application" is a fixed list of prefixes: the JDK, the agent, and libraries that sit between an
 * application and its resources (connection pools, JDBC drivers, Spring's and Hibernate's data access). Line
 * numbers are left out of the site so that one call site makes one metric series whatever the build.
 */
public final class LeakSites {
    private static final String[] AGENT = {"dev.vigil.agent.", "dev.vigil.bridge.", "dev.vigil.shaded."};
    private static final String[] NOT_APPLICATION = {"java.", "javax.", "jdk.", "sun.", "com.sun.",
            "dev.vigil.agent.", "dev.vigil.bridge.", "com.zaxxer.hikari.", "org.apache.commons.dbcp",
            "org.apache.tomcat.jdbc.", "org.apache.tomcat.dbcp.", "com.mchange.", "oracle.ucp.", "io.agroal.",
            "org.vibur.", "com.alibaba.druid.", "org.h2.", "org.postgresql.", "org.mariadb.", "com.mysql.",
            "oracle.jdbc.", "com.microsoft.sqlserver.", "org.hsqldb.", "org.apache.derby.", "org.sqlite.",
            "org.springframework.jdbc.", "org.springframework.orm.", "org.springframework.transaction.",
            "org.hibernate.", "org.jooq.", "org.apache.ibatis.", "org.mybatis."};

    private LeakSites() {
    }

    /** The frames after the agent's own, i.e. starting at the instrumented method. */
    public static StackTraceElement[] fromInstrumentedCall(StackTraceElement[] frames) {
        int first = 0;
        while (first < frames.length && startsWithAny(frames[first].getClassName(), AGENT)) {
            first++;
        }
        StackTraceElement[] out = new StackTraceElement[frames.length - first];
        System.arraycopy(frames, first, out, 0, out.length);
        return out;
    }

    /**
     * {@code Class.method} of the first application frame after the first one (which is the instrumented call
     * itself); the first caller when none is the application's; {@code unknown} for an empty stack.
     */
    public static String site(StackTraceElement[] fromCall) {
        for (int i = 1; i < fromCall.length; i++) {
            if (!startsWithAny(fromCall[i].getClassName(), NOT_APPLICATION)) {
                return fromCall[i].getClassName() + "." + fromCall[i].getMethodName();
            }
        }
        int fallback = fromCall.length > 1 ? 1 : 0;
        return fromCall.length == 0 ? "unknown"
                : fromCall[fallback].getClassName() + "." + fromCall[fallback].getMethodName();
    }

    /** True when a caller of the instrumented call (not the call itself) belongs to one of {@code packages}. */
    public static boolean calledFrom(StackTraceElement[] fromCall, String... packages) {
        for (int i = 1; i < fromCall.length; i++) {
            if (startsWithAny(fromCall[i].getClassName(), packages)) {
                return true;
            }
        }
        return false;
    }

    /** At most {@code max} frames as {@code toString()} lines, with a last line counting the ones left out. */
    public static List<String> lines(StackTraceElement[] frames, int max) {
        List<String> out = new ArrayList<>(Math.min(frames.length, max) + 1);
        for (int i = 0; i < frames.length && i < max; i++) {
            out.add(frames[i].toString());
        }
        if (frames.length > max) {
            out.add("... " + (frames.length - max) + " more");
        }
        return List.copyOf(out);
    }

    /** True for a class of the agent itself, its bridge or a library it bundles (its frames lead every captured stack). */
    static boolean isAgent(String className) {
        return startsWithAny(className, AGENT);
    }

    /** True for a class of the application, i.e. none of the JDK, the agent and the data-access libraries. */
    static boolean isApplication(String className) {
        return !startsWithAny(className, NOT_APPLICATION);
    }

    static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

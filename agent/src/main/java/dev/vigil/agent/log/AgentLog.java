package dev.vigil.agent.log;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: one line per event on standard error, prefixed {@code [vigil]}. Deliberately not JUL,
 * SLF4J or Log4j: the agent must not touch the application's logging configuration or load its classes.
 *
 * <p>{@link #warnOnce} keeps a warning that could repeat (a collector down, an advice bug on every call) to one
 * line per key. Thread-safe.
 */
public final class AgentLog {
    public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.err;

    private AgentLog() {
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0 && threshold != Level.OFF;
    }

    public static void debug(String message) {
        log(Level.DEBUG, message);
    }

    public static void info(String message) {
        log(Level.INFO, message);
    }

    public static void warn(String message) {
        log(Level.WARN, message);
    }

    public static void error(String message) {
        log(Level.ERROR, message);
    }

    /** Logs a warning the first time {@code key} is seen; returns whether it logged. */
    public static boolean warnOnce(String key, String message) {
        if (ONCE.add(key)) {
            warn(message);
            return true;
        }
        return false;
    }

    /** Lets a once-only warning fire again (e.g. after the condition it reported has cleared). */
    public static void rearm(String key) {
        ONCE.remove(key);
    }

    public static void log(Level level, String message) {
        if (enabled(level)) {
            out.println("[vigil] " + LocalTime.now().format(TIME) + " " + level + " " + message);
        }
    }
}

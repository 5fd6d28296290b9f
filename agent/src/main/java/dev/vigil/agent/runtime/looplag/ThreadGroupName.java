package dev.vigil.agent.runtime.looplag;

import java.util.regex.Pattern;

/**
 * The group a thread belongs to, from its name: numbers and the separator before them are dropped, so that every
 * thread of a pool or event-loop group maps to one bounded tag value ({@code nioEventLoopGroup-2-1} →
 * {@code nioEventLoopGroup}, {@code pool-3-thread-7} → {@code pool-thread}, {@code http-nio-8080-exec-1} →
 * {@code http-nio-exec}). Computed once per thread, never on a hot path.
 */
final class ThreadGroupName {
    static final int MAX_LENGTH = 64;
    private static final Pattern NUMBERS = Pattern.compile("[-_.#: ]?\\d+");

    private ThreadGroupName() {
    }

    static String of(String threadName) {
        if (threadName == null) {
            return "thread";
        }
        String group = NUMBERS.matcher(threadName).replaceAll("");
        int end = group.length();
        while (end > 0 && "-_.#: ".indexOf(group.charAt(end - 1)) >= 0) {
            end--;
        }
        group = group.substring(0, Math.min(end, MAX_LENGTH));
        return group.isEmpty() ? "thread" : group;
    }
}

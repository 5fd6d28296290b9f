package dev.vigil.agent.leak;

import dev.vigil.agent.AgentThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Cost of connection-leak tracking per acquisition + close, at several stack depths (the acquiring stack is what
 * costs), against a bare {@code new Throwable()}. Plain {@code main}, single thread, best of 5 rounds; see
 * BENCHMARKS.md for the command.
 */
public final class ConnectionLeaksBench {
    private static final int OPS = 500_000;
    private static volatile Object sink;

    private ConnectionLeaksBench() {
    }

    public static void main(String[] args) {
        ConnectionLeaks leaks = new ConnectionLeaks(new LeakRegistry(new SimpleMeterRegistry(), new dev.vigil.exporters.AgentScheduler(new AgentThreads("bench"))),
                60_000, true);
        Object[] connections = new Object[1024];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new Object();
        }
        for (int depth : new int[]{20, 60, 150}) {
            double tracked = best(() -> atDepth(depth, () -> {
                for (int i = 0; i < OPS; i++) {
                    Object c = connections[i & 1023];
                    leaks.acquired(c);
                    leaks.closed(c);
                }
            }));
            double throwable = best(() -> atDepth(depth, () -> {
                for (int i = 0; i < OPS; i++) {
                    sink = new Throwable();
                }
            }));
            StackWalker walker = StackWalker.getInstance();
            double walked = best(() -> atDepth(depth, () -> {
                for (int i = 0; i < OPS; i++) {
                    sink = walker.walk(frames -> frames.limit(LeakRegistry.MAX_FRAMES + 8).toArray());
                }
            }));
            double closeUntracked = best(() -> atDepth(depth, () -> {
                for (int i = 0; i < OPS; i++) {
                    leaks.closed(connections[i & 1023]);
                }
            }));
            System.out.printf("stack depth %3d: acquire+close tracked %6.0f ns/op, of which new Throwable() %6.0f ns;"
                    + " StackWalker, first 48 frames %6.0f ns; close of an untracked connection %4.0f ns%n", depth, tracked,
                    throwable, walked, closeUntracked);
        }
    }

    private static double best(Runnable round) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long start = System.nanoTime();
            round.run();
            best = Math.min(best, (System.nanoTime() - start) / (double) OPS);
        }
        return best;
    }

    private static void atDepth(int depth, Runnable work) {
        if (depth <= 0) {
            work.run();
        } else {
            atDepth(depth - 1, work);
        }
    }
}

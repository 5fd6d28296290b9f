package dev.vigil.testapps.leak;

import dev.vigil.agent.AgentThreads;
import dev.vigil.agent.leak.LeakRegistry;
import dev.vigil.agent.leak.LeakTelemetry;
import dev.vigil.agent.leak.RetentionTracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Rough cost of listener tracking per registration and removal, without JMH (single thread, best of several
 * rounds after warm-up), registering from {@code depth} frames down to stand for a framework's call stack.
 * Run after {@code mvn test-compile}:
 * <pre>
 * mvn -q -o dependency:build-classpath -pl agent -Dmdep.outputFile=/tmp/cp.txt
 * java -cp agent/target/test-classes:agent/target/classes:$(cat /tmp/cp.txt) dev.vigil.testapps.leak.RetentionBench
 * </pre>
 */
public final class RetentionBench {
    private static final int OPS = 200_000;

    private RetentionBench() {
    }

    public static void main(String[] args) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LeakRegistry registry = new LeakRegistry(meters, new dev.vigil.exporters.AgentScheduler(new AgentThreads("bench-leak")));
        LeakTelemetry telemetry = new LeakTelemetry(new RetentionTracker("listener", "listeners", registry, meters,
                3, 100), null);
        Object owner = new Object();
        Object[] listeners = new Object[OPS];
        for (int depth : new int[] {10, 60}) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < OPS; i++) {
                    listeners[i] = new Object();
                }
                long start = System.nanoTime();
                atDepth(depth, () -> {
                    for (int i = 0; i < OPS; i++) {
                        Registrar.add(telemetry, owner, listeners[i]);
                        telemetry.listenerRemoved(owner, listeners[i]);
                    }
                });
                best = Math.min(best, System.nanoTime() - start);
            }
            System.out.printf("stack depth %d: add + remove %.0f ns%n", depth, (double) best / OPS);
        }
        registry.close();
    }

    private static void atDepth(int depth, Runnable body) {
        if (depth <= 0) {
            body.run();
        } else {
            atDepth(depth - 1, body);
        }
    }
}

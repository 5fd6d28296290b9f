package dev.vigil.agent.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

/**
 * Rough cost of the context hand-over, without JMH (numbers are indicative: single thread, best of several
 * rounds, after warm-up). Run after {@code mvn test-compile}:
 * <pre>
 * mvn -q -o dependency:build-classpath -pl agent -Dmdep.outputFile=/tmp/cp.txt
 * java -cp agent/target/test-classes:agent/target/classes:$(cat /tmp/cp.txt) dev.vigil.agent.trace.ContextPropagationBench
 * </pre>
 */
public final class ContextPropagationBench {
    private static final int OPS = 2_000_000;
    private static long sink;

    private ContextPropagationBench() {
    }

    interface Op {
        void run(int i);
    }

    public static void main(String[] args) {
        ContextPropagation propagation = new ContextPropagation();
        SdkTracerProvider provider = ContextPropagationTest.PROVIDER;
        Span span = provider.get("bench").spanBuilder("request").startSpan();
        Object[] tasks = new Object[OPS];
        for (int i = 0; i < OPS; i++) {
            tasks[i] = new Object();
        }

        report("capture, no active span", i -> propagation.capture(tasks[i], null));
        report("attach+detach, nothing pending (doExec/Thread.run fast path)", i -> propagation.detach(propagation.attach(tasks[i])));
        report("attachOrRoot+detach, untraced task on a clean worker", i -> propagation.detach(propagation.attachOrRoot(tasks[i])));
        try (Scope ignored = span.makeCurrent()) {
            for (int i = 0; i < 1000; i++) {
                propagation.capture(new Object[]{i}, null); // other traced tasks pending, never run here
            }
        }
        report("attach+detach, untraced task while 1000 traced tasks are pending",
                i -> propagation.detach(propagation.attach(tasks[i])));
        report("capture (active span) + attach + detach: one traced hand-over", i -> {
            Object task = tasks[i];
            try (Scope ignored = span.makeCurrent()) {
                propagation.capture(task, null);
            }
            propagation.detach(propagation.attach(task));
        });
        report("  of which: makeCurrent/close of the span alone (the benchmark's own setup)", i -> {
            try (Scope ignored = span.makeCurrent()) {
                sink += i;
            }
        });
        System.out.println("pending at end: " + propagation.pending() + " (the 1000 never-run tasks until GC), sink " + sink
                + (Context.current() == Context.root() ? "" : " CONTEXT LEAKED"));
    }

    private static void report(String name, Op op) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < OPS; i++) {
                op.run(i);
            }
            double nanos = (System.nanoTime() - start) / (double) OPS;
            if (round >= 2) {
                best = Math.min(best, nanos);
            }
        }
        System.out.printf("%-80s %6.1f ns/op%n", name, best);
    }
}

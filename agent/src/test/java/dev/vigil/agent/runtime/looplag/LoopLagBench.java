package dev.vigil.agent.runtime.looplag;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rough cost of the loop-lag sources, without JMH (single thread, best of several rounds after warm-up; indicative):
 * the executor queue-wait stamp per task, the request watch per request, and the CPU one Netty probe run costs the
 * loop's thread (measured on a real idle Netty loop with a 1 ms probe, thread CPU time / probe runs). Run after
 * {@code mvn test-compile}:
 * <pre>
 * mvn -q -o dependency:build-classpath -pl agent -Dmdep.outputFile=/tmp/cp.txt
 * java -cp agent/target/test-classes:agent/target/classes:$(cat /tmp/cp.txt) dev.vigil.agent.runtime.looplag.LoopLagBench
 * </pre>
 */
public final class LoopLagBench {
    private static final int OPS = 2_000_000;

    private LoopLagBench() {
    }

    interface Op {
        void run(int i);
    }

    public static void main(String[] args) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        dev.vigil.exporters.AgentScheduler scheduler = new dev.vigil.exporters.AgentScheduler(Thread::new);
        Object[] tasks = new Object[OPS];
        for (int i = 0; i < OPS; i++) {
            tasks[i] = new Object();
        }
        try (LoopLagMonitor monitor = new LoopLagMonitor(scheduler,
                new LoopLagMonitor.Settings(true, 100, 2000, 60_000, true, 5000), registry)) {
            report("executor stamp: taskSubmitted + taskStarted (one task's queue wait)", i -> {
                monitor.taskSubmitted(tasks[i]);
                monitor.taskStarted(tasks[i]);
            });
            report("taskStarted of a task never stamped (pool task, nothing pending)", i -> monitor.taskStarted(tasks[i]));
            RequestWatch requests = monitor.requests();
            report("request watch: enter + exit (one HTTP server request)", i -> {
                requests.enter(System.nanoTime());
                requests.exit();
            });
            System.out.println("pending stamps at end: " + monitor.queueWait().pending());

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
            EventLoop loop = group.next();
            AtomicLong loopThread = new AtomicLong();
            loop.submit(() -> loopThread.set(Thread.currentThread().getId())).sync();
            long idleCpu = cpuOver(threads, loopThread.get(), 2000);
            NettyLoopProbe probe = new NettyLoopProbe(loop, TimeUnit.MILLISECONDS.toNanos(1), name -> new LagHistogramBridge(
                    io.micrometer.core.instrument.Tags.of("source", "netty", "group", "bench", "thread", "bench"), registry));
            probe.arm(System.nanoTime());
            cpuOver(threads, loopThread.get(), 2000); // warm-up
            long probedCpu = cpuOver(threads, loopThread.get(), 5000);
            probe.cancel();
            double perRun = (probedCpu - idleCpu * 5000 / 2000) / 5000.0; // ~5000 runs at 1 ms
            System.out.printf("netty probe: loop-thread CPU %.0f ns per probe run (idle loop: %d ns CPU in 2 s);"
                    + " at the default 100 ms: %.4f %% of a core per loop%n", perRun, idleCpu, perRun * 10 / 1e9 * 100);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static long cpuOver(ThreadMXBean threads, long threadId, long millis) throws InterruptedException {
        long before = threads.getThreadCpuTime(threadId);
        Thread.sleep(millis); // measuring a window, not synchronising
        return threads.getThreadCpuTime(threadId) - before;
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

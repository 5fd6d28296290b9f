package dev.vigil.testapps;

import com.sun.net.httpserver.HttpServer;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test application that hands work to other threads, with no tracing code. {@code /work?mode=…&target=URL}
 * calls {@code target} with the JDK HttpClient from another thread chosen by {@code mode} and answers
 * {@code handler=<thread>\nworker=<thread>\n<status>\n<body>}; {@code /untraced?mode=…&target=URL} does the same
 * from a thread that never had a trace context (its requests reach it through a plain queue, which carries no
 * context); {@code /leaf} answers 200. Every mode waits without helping (latches, not joins), so the work really
 * runs on the other thread. Prints {@code READY <port>}.
 */
public final class ContextPropagationApp {
    private static final ExecutorService FIXED = Executors.newFixedThreadPool(2);
    private static final ExecutorService SINGLE = Executors.newSingleThreadExecutor();
    /** One worker at most (no compensation threads), so consecutive tasks share it. */
    private static final ForkJoinPool FORK_JOIN_SINGLE = new ForkJoinPool(1, ForkJoinPool.defaultForkJoinWorkerThreadFactory,
            null, false, 0, 1, 1, pool -> true, 60, TimeUnit.SECONDS);
    private static final ScheduledExecutorService SCHEDULED = Executors.newScheduledThreadPool(1);
    private static final BlockingQueue<Runnable> UNTRACED_QUEUE = new LinkedBlockingQueue<>();

    private ContextPropagationApp() {
    }

    public static void main(String[] args) throws Exception {
        Thread untraced = new Thread(() -> {
            while (true) {
                try {
                    UNTRACED_QUEUE.take().run();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "untraced");
        untraced.setDaemon(true);
        untraced.start();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/leaf", exchange -> JdkHttpServerApp.respond(exchange, 200, "leaf"));
        server.createContext("/work", exchange -> {
            Map<String, String> q = JdkHttpServerApp.query(exchange);
            try {
                JdkHttpServerApp.respond(exchange, 200, "handler=" + Thread.currentThread().getName() + "\n"
                        + handOver(q.get("mode"), q.get("target")));
            } catch (Exception e) {
                JdkHttpServerApp.respond(exchange, 500, e.toString());
            }
        });
        server.createContext("/untraced", exchange -> {
            Map<String, String> q = JdkHttpServerApp.query(exchange);
            FutureTask<String> work = new FutureTask<>(() -> handOver(q.get("mode"), q.get("target")));
            UNTRACED_QUEUE.add(work);
            try {
                JdkHttpServerApp.respond(exchange, 200, "handler=untraced\n" + work.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                JdkHttpServerApp.respond(exchange, 500, e.toString());
            }
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    /** Frames of the agent's own classes on this thread's stack. */
    static long vigilFrames() {
        return Arrays.stream(new Throwable().getStackTrace()).map(StackTraceElement::getClassName)
                .filter(c -> c.startsWith("dev.vigil.bridge.") || c.startsWith("dev.vigil.agent.")
                        || c.startsWith("dev.vigil.shaded.")).count();
    }

    /**
     * Runs the call on another thread chosen by {@code mode}; returns
     * "worker=<thread>\nvigilFrames=<n>\n<status>\n<body>".
     */
    static String handOver(String mode, String target) throws Exception {
        Callable<String> call = () -> "worker=" + Thread.currentThread().getName() + "\nvigilFrames=" + vigilFrames()
                + "\n" + Clients.call("jdk", target);
        switch (mode) {
            case "execute":
                return viaRunnable(call, FIXED::execute);
            case "submit":
                return FIXED.submit(call).get(30, TimeUnit.SECONDS);
            case "single":
                return viaRunnable(call, SINGLE::execute);
            case "schedule":
                return SCHEDULED.schedule(call, 50, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
            case "forkjoin-submit":
            case "forkjoin-single": {
                CountDownLatch done = new CountDownLatch(1);
                AtomicReference<String> result = new AtomicReference<>();
                (mode.equals("forkjoin-single") ? FORK_JOIN_SINGLE : ForkJoinPool.commonPool()).submit(() -> {
                    try {
                        result.set(call.call());
                    } catch (Exception e) {
                        result.set(e.toString());
                    } finally {
                        done.countDown();
                    }
                });
                done.await(30, TimeUnit.SECONDS);
                return result.get();
            }
            case "forkjoin-fork": {
                CallTask task = new CallTask(call);
                task.fork();
                task.done.await(30, TimeUnit.SECONDS); // not join(): an external join may run the task itself
                return task.join();
            }
            case "completablefuture-supply":
                return CompletableFuture.supplyAsync(() -> unchecked(call)).get(30, TimeUnit.SECONDS);
            case "completablefuture-chain":
                return CompletableFuture.supplyAsync(() -> "x").thenApplyAsync(x -> unchecked(call))
                        .get(30, TimeUnit.SECONDS);
            case "completablefuture-registered": {
                // The async stage is registered here but its source is completed by the untraced thread.
                CompletableFuture<String> source = new CompletableFuture<>();
                CompletableFuture<String> stage = source.thenApplyAsync(x -> unchecked(call));
                UNTRACED_QUEUE.add(() -> source.complete("go"));
                return stage.get(30, TimeUnit.SECONDS);
            }
            case "thread":
                return viaRunnable(call, r -> new Thread(r, "started-thread").start());
            case "virtual-thread": {
                Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
                return viaRunnable(call, r -> invoke(start, null, r));
            }
            case "virtual-executor": {
                ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                        .invoke(null);
                try {
                    return viaRunnable(call, virtual::execute);
                } finally {
                    virtual.shutdown();
                }
            }
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private interface Submitter {
        void submit(Runnable task) throws Exception;
    }

    private static String viaRunnable(Callable<String> call, Submitter submitter) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        submitter.submit(() -> {
            try {
                result.set(call.call());
            } catch (Exception e) {
                result.set(e.toString());
            } finally {
                done.countDown();
            }
        });
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("task did not run");
        }
        return result.get();
    }

    private static String unchecked(Callable<String> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invoke(Method method, Object target, Object arg) {
        try {
            method.invoke(target, arg);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fork/join task forked from a non-pool thread; a common-pool worker runs it. */
    static final class CallTask extends RecursiveTask<String> {
        final Callable<String> call;
        final CountDownLatch done = new CountDownLatch(1);

        CallTask(Callable<String> call) {
            this.call = call;
        }

        @Override
        protected String compute() {
            try {
                return call.call();
            } catch (Exception e) {
                return e.toString();
            } finally {
                done.countDown();
            }
        }
    }
}

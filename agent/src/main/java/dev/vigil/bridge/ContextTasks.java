package dev.vigil.bridge;

/**
 * Runs a pooled task in its own context. In {@code ThreadPoolExecutor.runWorker}, the call {@code task.run()} is
 * replaced by the sequence {@code ContextTasks.before(task); task.run(); ContextTasks.after(task);} (a call-site
 * substitution, not advice: the worker loop runs every task, and {@code beforeExecute}/{@code afterExecute} are
 * often overridden without calling super). The sequence is inlined in {@code runWorker}, so a task's stack has no
 * frame of Vigil's: an application's stack traces look as they do without the agent, and those it copies cost
 * nothing more. {@link #before} is also where the queue wait of the task ends ({@link LoopLagHook#taskStarted}).
 *
 * <p>The scope opened by {@link #before} waits for {@link #after} in a thread local of the worker. When the task
 * throws, {@code after} is skipped and the worker thread ends ({@code runWorker} rethrows), taking the scope
 * with it.
 */
public final class ContextTasks {
    private static final ThreadLocal<Object> SCOPES = new ThreadLocal<>();

    private ContextTasks() {
    }

    public static void before(Runnable task) {
        try {
            Hooks.loopLag.taskStarted(task);
            Object scope = Hooks.context.attachOrRoot(task);
            if (scope != null) {
                SCOPES.set(scope);
            }
        } catch (Throwable error) {
            AdviceErrors.record(error);
        }
    }

    public static void after(Runnable task) {
        try {
            Object scope = SCOPES.get();
            if (scope != null) {
                SCOPES.set(null);
                Hooks.context.detach(scope);
            }
        } catch (Throwable error) {
            AdviceErrors.record(error);
        }
    }
}

package dev.vigil.bridge;

/**
 * Runs a pooled task in its own context. {@code ThreadPoolExecutor.runWorker}'s call to {@code task.run()} is
 * replaced by a call to {@link #run} (a call-site substitution, not advice: the worker loop runs every task, and
 * {@code beforeExecute}/{@code afterExecute} are often overridden without calling super). It is also where the
 * queue wait of the task ends ({@link LoopLagHook#taskStarted}).
 */
public final class ContextTasks {
    private ContextTasks() {
    }

    public static void run(Runnable task) {
        Object scope = null;
        try {
            Hooks.loopLag.taskStarted(task);
            scope = Hooks.context.attachOrRoot(task);
        } catch (Throwable error) {
            AdviceErrors.record(error);
        }
        try {
            task.run();
        } finally {
            if (scope != null) {
                try {
                    Hooks.context.detach(scope);
                } catch (Throwable error) {
                    AdviceErrors.record(error);
                }
            }
        }
    }
}

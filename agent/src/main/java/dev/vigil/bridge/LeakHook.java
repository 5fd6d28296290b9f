package dev.vigil.bridge;

/**
 * Listener and timer registrations, for leak detection. Called by advice on the JDK's listener lists (JavaBeans
 * {@code PropertyChangeSupport}, Swing's {@code EventListenerList}, {@code Observable}, JMX
 * {@code NotificationBroadcasterSupport}, shutdown hooks) and on periodic scheduling ({@code java.util.Timer},
 * {@code ScheduledThreadPoolExecutor}). Only the outermost call on a thread reports ({@link CallDepth#LEAK}).
 * Defaults do nothing.
 */
public class LeakHook {
    /** {@code listener} was added to {@code owner}'s listener list. */
    public void listenerAdded(Object owner, Object listener) {
    }

    /** {@code listener} was removed from {@code owner}'s listener list. */
    public void listenerRemoved(Object owner, Object listener) {
    }

    /**
     * {@code task} (a {@code TimerTask} or a scheduled future) was scheduled to run {@code command} (the
     * {@code TimerTask} itself, or the executor's {@code Runnable}) periodically on {@code scheduler} (a Timer or an
     * executor).
     */
    public void periodicScheduled(Object scheduler, Object task, Object command) {
    }

    /** {@code task} (a {@code TimerTask} or a scheduled future) was cancelled. */
    public void periodicCancelled(Object task) {
    }
}

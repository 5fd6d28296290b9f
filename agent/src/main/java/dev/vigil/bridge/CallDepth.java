package dev.vigil.bridge;

/**
 * Per-thread nesting counter so that one logical operation makes one span when instrumented methods call each
 * other (a facade delegating to an implementation, {@code send} calling {@code sendAsync}, a wrapper delegating
 * to the driver). Advice calls {@link #enter()} on entry and {@link #exit()} on exit of every matched method;
 * only the outermost call (where {@code enter()} returned 0) records.
 */
public final class CallDepth {
    public static final CallDepth HTTP_CLIENT = new CallDepth();
    public static final CallDepth HTTP_SERVER = new CallDepth();
    public static final CallDepth JDBC = new CallDepth();
    /** Connection acquisition: {@code DataSource.getConnection}, {@code Driver.connect}. */
    public static final CallDepth JDBC_CONNECT = new CallDepth();
    public static final CallDepth MESSAGING_SEND = new CallDepth();
    public static final CallDepth MESSAGING_RECEIVE = new CallDepth();
    public static final CallDepth MESSAGING_PROCESS = new CallDepth();
    /** Listener and periodic-task registration (an {@code add} overload delegating to another). */
    public static final CallDepth LEAK = new CallDepth();

    private final ThreadLocal<int[]> depth = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    /** Returns the depth before this call: 0 for the outermost call. */
    public int enter() {
        return depth.get()[0]++;
    }

    public void exit() {
        int[] d = depth.get();
        if (d[0] > 0) {
            d[0]--;
        }
    }
}

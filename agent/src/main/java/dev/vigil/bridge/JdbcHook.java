package dev.vigil.bridge;

/**
 * JDBC, called by advice on implementations of {@code java.sql.Connection} and {@code java.sql.Statement}.
 * {@code java.sql} is not in {@code java.base}, so objects are passed as {@code Object}; the implementation casts
 * them. Advice calls these only for the outermost instrumented call on the thread ({@link CallDepth#JDBC}), so a
 * pool's proxy delegating to the driver makes one span. Defaults do nothing.
 */
public class JdbcHook {
    /** {@code Connection.prepareStatement/prepareCall(sql, …)} returned {@code statement}. */
    public void prepared(Object connection, Object statement, String sql) {
    }

    /** {@code Statement.addBatch(sql)} ({@code sql} null for {@code PreparedStatement.addBatch()}). */
    public void batchAdded(Object statement, String sql) {
    }

    /** {@code Statement.clearBatch()}. */
    public void batchCleared(Object statement) {
    }

    /**
     * An {@code execute*} method is about to run: {@code sql} is its SQL argument, or null for a prepared
     * statement's own. Returns the call's handle, or {@code null} when the call is not traced.
     */
    public Object start(Object statement, String sql, String method) {
        return null;
    }

    /** The call ended; {@code result} is what {@code executeBatch} returned ({@code int[]}/{@code long[]}), else null. */
    public void end(Object handle, Object result, Throwable error) {
    }

    /**
     * The outermost {@code DataSource.getConnection(…)} or {@code Driver.connect(…)} on this thread returned
     * {@code connection} (leak tracking).
     */
    public void connectionAcquired(Object connection) {
    }

    /** {@code Connection.close()} was called on {@code connection}. */
    public void connectionClosed(Object connection) {
    }

    /**
     * The outermost {@code PreparedStatement.set*(index, value, …)} on this thread (only instrumented when bind
     * capture is on); primitives arrive boxed.
     */
    public void parameterSet(Object statement, int index, Object value) {
    }

    /** {@code PreparedStatement.clearParameters()}. */
    public void parametersCleared(Object statement) {
    }

    /** A connection pool ({@code com.zaxxer.hikari.pool.HikariPool}) was constructed. */
    public void poolStarted(Object pool) {
    }
}

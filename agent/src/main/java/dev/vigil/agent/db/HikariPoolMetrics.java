package dev.vigil.agent.db;

import dev.vigil.agent.util.WeakIdentityMap;

import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connection-pool gauges for every HikariCP pool, with no application configuration: bound when the pool is
 * constructed, read through HikariCP's public pool methods ({@code HikariPoolMXBean}) by reflection, since the
 * agent's loader cannot see the application's HikariCP classes. Names follow the semantic conventions:
 * <pre>
 * db_client_connection_count{db_client_connection_pool_name="orders",db_client_connection_state="used"} 3.0
 * db_client_connection_count{db_client_connection_pool_name="orders",db_client_connection_state="idle"} 7.0
 * db_client_connection_max{db_client_connection_pool_name="orders"} 10.0
 * db_client_connection_pending_requests{db_client_connection_pool_name="orders"} 0.0
 * </pre>
 * The gauges hold the pool weakly (a closed and collected pool reads NaN). A pool whose name was seen already
 * (a restarted pool of the same name) is not bound twice: the first registration wins. Never throws.
 */
final class HikariPoolMetrics {
    private final MeterRegistry registry;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    /** Pools already looked at: a pool seen again (every getConnection) costs one map lookup. */
    private final WeakIdentityMap<Boolean> seen = new WeakIdentityMap<>();

    HikariPoolMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void bind(Object pool) {
        if (seen.get(pool) != null) {
            return;
        }
        seen.put(pool, Boolean.TRUE);
        try {
            Class<?> type = pool.getClass();
            Method active = type.getMethod("getActiveConnections");
            Method idle = type.getMethod("getIdleConnections");
            Method pending = type.getMethod("getThreadsAwaitingConnection");
            Object config = config(type, pool);
            String name = config == null ? null : (String) config.getClass().getMethod("getPoolName").invoke(config);
            if (name == null) {
                name = "hikari";
            }
            if (!bound.add(name)) {
                return;
            }
            gauge("db.client.connection.count", pool, active, name, "used", "Connections in use");
            gauge("db.client.connection.count", pool, idle, name, "idle", "Idle connections");
            gauge("db.client.connection.pending_requests", pool, pending, name, null,
                    "Threads waiting for a connection");
            if (config != null) {
                Method max = config.getClass().getMethod("getMaximumPoolSize");
                gauge("db.client.connection.max", config, max, name, null, "Maximum connections allowed");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLog.warnOnce("hikari-metrics", "HikariCP pool metrics unavailable (" + e + ")");
        }
    }

    private void gauge(String metric, Object target, Method method, String pool, String state, String description) {
        Gauge.Builder<Object> builder = Gauge.builder(metric, target, o -> read(method, o))
                .description(description)
                .tag("db.client.connection.pool.name", pool);
        if (state != null) {
            builder.tag("db.client.connection.state", state);
        }
        builder.register(registry);
    }

    private static double read(Method method, Object target) {
        try {
            return ((Number) method.invoke(target)).doubleValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {@code PoolBase.config} (a public field of a package-private class). */
    private static Object config(Class<?> type, Object pool) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField("config");
                field.setAccessible(true);
                return field.get(pool);
            } catch (NoSuchFieldException e) {
                // look in the super class
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // e.g. HikariCP on the module path, not opened: no max, no name
            }
        }
        return null;
    }
}

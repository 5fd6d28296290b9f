package dev.vigil.testapps.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * {@code getConnection()} + {@code close()} in a loop, from a HikariCP pool over H2 in memory ({@code hikari}) or
 * straight from {@code DriverManager} ({@code plain}); run it with and without the agent (see BENCHMARKS.md).
 * Prints the best of 5 rounds in ns per borrow+close.
 */
public final class PoolBorrowBench {
    private PoolBorrowBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "hikari";
        int ops = mode.equals("hikari") ? 500_000 : 20_000;
        String url = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
        DataSource pool = null;
        if (mode.equals("hikari")) {
            Class<?> configClass = Class.forName("com.zaxxer.hikari.HikariConfig");
            Object config = configClass.getConstructor().newInstance();
            configClass.getMethod("setJdbcUrl", String.class).invoke(config, url);
            configClass.getMethod("setMaximumPoolSize", int.class).invoke(config, 2);
            pool = (DataSource) Class.forName("com.zaxxer.hikari.HikariDataSource").getConstructor(configClass)
                    .newInstance(config);
        }
        Thread.sleep(3000); // let an async agent start-up finish before measuring
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                Connection c = pool != null ? pool.getConnection() : DriverManager.getConnection(url);
                c.close();
            }
            double ns = (System.nanoTime() - start) / (double) ops;
            if (round >= 2) {
                best = Math.min(best, ns);
            }
        }
        System.out.printf("%s: %.0f ns per getConnection+close%n", mode, best);
        System.exit(0);
    }
}

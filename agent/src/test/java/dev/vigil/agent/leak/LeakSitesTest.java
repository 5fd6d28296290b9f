package dev.vigil.agent.leak;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeakSitesTest {
    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, type + ".java", 10);
    }

    private static final StackTraceElement[] SPRING_BORROW = {
            frame("dev.vigil.agent.leak.ConnectionLeaks", "acquired"),
            frame("dev.vigil.agent.db.JdbcTelemetry", "connectionAcquired"),
            frame("com.zaxxer.hikari.HikariDataSource", "getConnection"),
            frame("org.springframework.jdbc.datasource.DataSourceUtils", "fetchConnection"),
            frame("jdk.internal.reflect.GeneratedMethodAccessor1", "invoke"),
            frame("com.example.shop.OrderRepository", "load"),
            frame("com.example.shop.OrderController", "get")};

    @Test
    void siteIsTheFirstApplicationFrameAfterTheAcquiringCall() {
        StackTraceElement[] fromCall = LeakSites.fromInstrumentedCall(SPRING_BORROW);
        assertThat(fromCall[0].getClassName()).isEqualTo("com.zaxxer.hikari.HikariDataSource");
        assertThat(LeakSites.site(fromCall)).isEqualTo("com.example.shop.OrderRepository.load");
        assertThat(LeakSites.calledFrom(fromCall, "com.zaxxer.hikari.")).isFalse(); // the call itself does not count
    }

    @Test
    void aPoolOpeningItsOwnConnectionIsRecognised() {
        StackTraceElement[] physical = LeakSites.fromInstrumentedCall(new StackTraceElement[]{
                frame("dev.vigil.agent.leak.ConnectionLeaks", "acquired"),
                frame("com.zaxxer.hikari.util.DriverDataSource", "getConnection"),
                frame("com.zaxxer.hikari.pool.PoolBase", "newConnection"),
                frame("java.lang.Thread", "run")});
        assertThat(LeakSites.calledFrom(physical, "com.zaxxer.hikari.")).isTrue();
    }

    @Test
    void withoutApplicationFramesTheFirstCallerIsTheSite() {
        StackTraceElement[] fromCall = {frame("org.h2.Driver", "connect"), frame("java.sql.DriverManager", "getConnection")};
        assertThat(LeakSites.site(fromCall)).isEqualTo("java.sql.DriverManager.getConnection");
        assertThat(LeakSites.site(new StackTraceElement[0])).isEqualTo("unknown");
        assertThat(LeakSites.lines(SPRING_BORROW, 3)).hasSize(4).last().isEqualTo("... 4 more");
    }
}

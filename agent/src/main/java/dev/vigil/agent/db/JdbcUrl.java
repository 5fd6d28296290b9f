package dev.vigil.agent.db;

import java.util.Locale;

/**
 * What a JDBC URL says about the database: {@code db.system.name}, {@code db.namespace}, {@code server.address},
 * {@code server.port}. Understands H2, PostgreSQL, MariaDB/MySQL, Oracle (thin: {@code host:port:sid},
 * {@code //host:port/service} and {@code (DESCRIPTION=…)}), SQL Server, and names a few more systems by prefix.
 * Credentials that some URL forms carry ({@code user/password@}, {@code password=}) are never kept: only the
 * four fields above leave this class. Immutable; {@link #parse} never throws.
 */
public final class JdbcUrl {
    public static final JdbcUrl UNKNOWN = new JdbcUrl("other_sql", null, null, -1);

    public final String system;
    public final String namespace;
    public final String host;
    public final int port;

    JdbcUrl(String system, String namespace, String host, int port) {
        this.system = system;
        this.namespace = namespace;
        this.host = host;
        this.port = port;
    }

    public static JdbcUrl parse(String url) {
        if (url == null) {
            return UNKNOWN;
        }
        try {
            return parseUnchecked(url.trim());
        } catch (RuntimeException bad) {
            return UNKNOWN;
        }
    }

    private static JdbcUrl parseUnchecked(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:")) {
            return UNKNOWN;
        }
        String rest = url.substring(5);
        String restLower = lower.substring(5);
        if (restLower.startsWith("h2:")) {
            return h2(rest.substring(3));
        }
        if (restLower.startsWith("postgresql:")) {
            return hostPortDb("postgresql", rest.substring("postgresql:".length()), 5432);
        }
        if (restLower.startsWith("mariadb:") || restLower.startsWith("mysql:")) {
            String system = restLower.startsWith("mariadb:") ? "mariadb" : "mysql";
            String body = rest.substring(system.length() + 1);
            int scheme = body.indexOf("://");
            if (scheme > 0) {
                body = body.substring(scheme + 1); // jdbc:mysql:loadbalance://, jdbc:mariadb:replication://
            }
            return hostPortDb(system, body, 3306);
        }
        if (restLower.startsWith("oracle:")) {
            return oracle(rest);
        }
        if (restLower.startsWith("sqlserver:")) {
            return sqlServer(rest.substring("sqlserver:".length()));
        }
        String[][] prefixes = {{"db2:", "ibm.db2"}, {"derby:", "derby"}, {"hsqldb:", "hsqldb"}, {"sqlite:", "sqlite"},
                {"clickhouse:", "clickhouse"}, {"ch:", "clickhouse"}, {"sap:", "sap.hana"}, {"teradata:", "teradata"},
                {"firebirdsql:", "firebirdsql"}, {"informix-sqli:", "ibm.informix"}, {"trino:", "trino"},
                {"cockroachdb:", "cockroachdb"}};
        for (String[] p : prefixes) {
            if (restLower.startsWith(p[0])) {
                return new JdbcUrl(p[1], null, null, -1);
            }
        }
        return UNKNOWN;
    }

    /** {@code mem:name}, {@code file:path}, {@code ~/path}, {@code tcp://host[:port]/path}, {@code ssl://…}. */
    private static JdbcUrl h2(String body) {
        int options = body.indexOf(';');
        String main = options >= 0 ? body.substring(0, options) : body;
        String lower = main.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
            String server = main.substring(4);
            if (server.startsWith("//")) {
                server = server.substring(2);
            }
            int slash = server.indexOf('/');
            String hostPort = slash >= 0 ? server.substring(0, slash) : server;
            String path = slash >= 0 ? server.substring(slash + 1) : null;
            HostPort hp = HostPort.of(firstHost(hostPort), 9092);
            return new JdbcUrl("h2database", lastSegment(path), hp.host, hp.port);
        }
        String name = lower.startsWith("mem:") ? main.substring(4) : lower.startsWith("file:") ? main.substring(5) : main;
        return new JdbcUrl("h2database", emptyToNull(lastSegment(name)), null, -1);
    }

    /** {@code //host[:port][,host2…]/db?…} or {@code db} or {@code /}. */
    private static JdbcUrl hostPortDb(String system, String body, int defaultPort) {
        int query = firstOf(body, '?', ';');
        String main = query >= 0 ? body.substring(0, query) : body;
        if (!main.startsWith("//")) {
            String db = main.startsWith("/") ? main.substring(1) : main;
            return new JdbcUrl(system, emptyToNull(db), "localhost", defaultPort);
        }
        main = main.substring(2);
        int slash = main.indexOf('/');
        String hosts = slash >= 0 ? main.substring(0, slash) : main;
        String db = slash >= 0 ? main.substring(slash + 1) : null;
        String host;
        int port;
        if (hosts.toLowerCase(Locale.ROOT).startsWith("address=")) {
            host = property(hosts, "host");
            String p = property(hosts, "port");
            port = p == null ? defaultPort : parsePort(p, defaultPort);
        } else {
            HostPort hp = HostPort.of(firstHost(hosts), defaultPort);
            host = hp.host;
            port = hp.port;
        }
        if (host == null || host.isEmpty()) {
            host = "localhost";
        }
        return new JdbcUrl(system, emptyToNull(db), host, port);
    }

    private static JdbcUrl oracle(String rest) {
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            return new JdbcUrl("oracle.db", null, null, -1);
        }
        String target = rest.substring(at + 1).trim();
        if (target.startsWith("(")) {
            String host = property(target, "host");
            String port = property(target, "port");
            String service = property(target, "service_name");
            if (service == null) {
                service = property(target, "sid");
            }
            return new JdbcUrl("oracle.db", service, host, port == null ? 1521 : parsePort(port, 1521));
        }
        if (target.startsWith("//")) {
            target = target.substring(2);
        }
        int query = target.indexOf('?');
        if (query >= 0) {
            target = target.substring(0, query);
        }
        int slash = target.indexOf('/');
        String hostPort;
        String service = null;
        if (slash >= 0) {
            hostPort = target.substring(0, slash);
            service = target.substring(slash + 1);
            int colon = service.indexOf(':');
            if (colon >= 0) {
                service = service.substring(0, colon); // service:server
            }
        } else {
            int last = target.lastIndexOf(':');
            int first = target.indexOf(':');
            if (last > first) { // host:port:sid
                hostPort = target.substring(0, last);
                service = target.substring(last + 1);
            } else {
                hostPort = target;
            }
        }
        HostPort hp = HostPort.of(hostPort, 1521);
        return new JdbcUrl("oracle.db", emptyToNull(service), hp.host, hp.port);
    }

    /** {@code //host[\instance][:port][;databaseName=db;…]}. */
    private static JdbcUrl sqlServer(String body) {
        String main = body;
        String props = "";
        int semi = body.indexOf(';');
        if (semi >= 0) {
            main = body.substring(0, semi);
            props = body.substring(semi + 1);
        }
        if (main.startsWith("//")) {
            main = main.substring(2);
        }
        String host = main;
        int port = -1;
        int colon = main.lastIndexOf(':');
        if (colon >= 0) {
            host = main.substring(0, colon);
            port = parsePort(main.substring(colon + 1), -1);
        }
        int backslash = host.indexOf('\\');
        if (backslash >= 0) {
            host = host.substring(0, backslash);
        }
        String db = null;
        for (String p : props.split(";")) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            if (key.equals("databasename") || key.equals("database")) {
                db = value;
            } else if (key.equals("servername") && host.isEmpty()) {
                host = value;
            } else if (key.equals("portnumber") || key.equals("port")) {
                port = parsePort(value, port);
            }
        }
        return new JdbcUrl("microsoft.sql_server", emptyToNull(db), host.isEmpty() ? "localhost" : host,
                port > 0 ? port : 1433);
    }

    /** {@code (key=value)} inside an Oracle descriptor or a MySQL {@code address=(…)}, case-insensitive. */
    private static String property(String text, String key) {
        String lower = text.toLowerCase(Locale.ROOT);
        int i = lower.indexOf("(" + key);
        while (i >= 0) {
            int j = i + 1 + key.length();
            while (j < text.length() && text.charAt(j) == ' ') {
                j++;
            }
            if (j < text.length() && text.charAt(j) == '=') {
                int end = text.indexOf(')', j);
                return end < 0 ? null : text.substring(j + 1, end).trim();
            }
            i = lower.indexOf("(" + key, i + 1);
        }
        return null;
    }

    private static String firstHost(String hosts) {
        int comma = hosts.indexOf(',');
        return comma >= 0 ? hosts.substring(0, comma) : hosts;
    }

    private static String lastSegment(String path) {
        if (path == null) {
            return null;
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static int parsePort(String s, int fallback) {
        try {
            int p = Integer.parseInt(s.trim());
            return p > 0 && p < 65536 ? p : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static final class HostPort {
        final String host;
        final int port;

        private HostPort(String host, int port) {
            this.host = host;
            this.port = port;
        }

        /** {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}; user info before {@code @} dropped. */
        static HostPort of(String text, int defaultPort) {
            String s = text.trim();
            int at = s.lastIndexOf('@');
            if (at >= 0) {
                s = s.substring(at + 1);
            }
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close > 0) {
                    String host = s.substring(1, close);
                    String after = s.substring(close + 1);
                    return new HostPort(host, after.startsWith(":") ? parsePort(after.substring(1), defaultPort)
                            : defaultPort);
                }
            }
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                return new HostPort(s.substring(0, colon).isEmpty() ? "localhost" : s.substring(0, colon),
                        parsePort(s.substring(colon + 1), defaultPort));
            }
            return new HostPort(s.isEmpty() ? "localhost" : s, defaultPort);
        }
    }
}

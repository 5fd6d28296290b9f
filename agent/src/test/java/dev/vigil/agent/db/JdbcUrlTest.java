package dev.vigil.agent.db;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcUrlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', nullValues = "-", value = {
            "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1|h2database|shop|-|-1",
            "jdbc:h2:file:/data/app/shop|h2database|shop|-|-1",
            "jdbc:h2:tcp://db.local:9101/~/shop;MODE=MySQL|h2database|shop|db.local|9101",
            "jdbc:h2:ssl://db.local/shop|h2database|shop|db.local|9092",
            "jdbc:postgresql://pg.local:6543/orders?user=u&password=secret|postgresql|orders|pg.local|6543",
            "jdbc:postgresql://pg1,pg2:5433/orders|postgresql|orders|pg1|5432",
            "jdbc:postgresql:orders|postgresql|orders|localhost|5432",
            "jdbc:postgresql://[::1]:5440/x|postgresql|x|::1|5440",
            "jdbc:mariadb://maria.local/test|mariadb|test|maria.local|3306",
            "jdbc:mysql://user:pw@my.local:3307/shop?useSSL=false|mysql|shop|my.local|3307",
            "jdbc:mysql:loadbalance://h1:3310,h2/shop|mysql|shop|h1|3310",
            "jdbc:mysql://address=(host=ahost)(port=3399)/db|mysql|db|ahost|3399",
            "jdbc:oracle:thin:@ora.local:1522:ORCL|oracle.db|ORCL|ora.local|1522",
            "jdbc:oracle:thin:scott/tiger@//ora.local/sales.example|oracle.db|sales.example|ora.local|1521",
            "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora2)(PORT=1530))(CONNECT_DATA=(SERVICE_NAME=svc)))|oracle.db|svc|ora2|1530",
            "jdbc:sqlserver://ms.local:1444;databaseName=shop;password=secret|microsoft.sql_server|shop|ms.local|1444",
            "jdbc:sqlserver://ms.local\\inst;database=shop|microsoft.sql_server|shop|ms.local|1433",
            "jdbc:derby:memory:x|derby|-|-|-1",
            "jdbc:foo:bar|other_sql|-|-|-1",
            "not a url|other_sql|-|-|-1",
    })
    void parses(String url, String system, String namespace, String host, int port) {
        JdbcUrl parsed = JdbcUrl.parse(url);
        assertThat(parsed.system).isEqualTo(system);
        assertThat(parsed.namespace).isEqualTo(namespace);
        assertThat(parsed.host).isEqualTo(host);
        assertThat(parsed.port).isEqualTo(port);
    }
}

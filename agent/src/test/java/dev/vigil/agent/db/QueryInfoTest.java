package dev.vigil.agent.db;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryInfoTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', nullValues = "-", value = {
            "SELECT id, total FROM orders WHERE id = ?|SELECT|orders|SELECT orders",
            "select * from shop.orders o join items i on o.id = i.oid|SELECT|shop.orders|SELECT shop.orders",
            "SELECT (SELECT max(x) FROM inner_t) FROM outer_t|SELECT|outer_t|SELECT outer_t",
            "SELECT * FROM (SELECT 1) q|SELECT|-|SELECT",
            "SELECT 1|SELECT|-|SELECT",
            "INSERT INTO order_items (a, b) VALUES (?, ?)|INSERT|order_items|INSERT order_items",
            "insert ignore into t values (1)|INSERT|t|INSERT t",
            "UPDATE \"Orders\" SET a = 1|UPDATE|\"Orders\"|UPDATE \"Orders\"",
            "DELETE FROM orders WHERE id = 1|DELETE|orders|DELETE orders",
            "MERGE INTO stock USING x ON (a = b)|MERGE|stock|MERGE stock",
            "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent|SELECT|recent|SELECT recent",
            "{call refresh_totals(?)}|CALL|-|CALL refresh_totals",
            "{? = call f(?)}|CALL|-|CALL f",
            "CREATE TABLE IF NOT EXISTS orders (id INT)|CREATE|orders|CREATE TABLE orders",
            "DROP TABLE orders|DROP|orders|DROP TABLE orders",
            "CREATE INDEX idx ON orders(id)|CREATE|-|CREATE INDEX idx",
            "TRUNCATE orders|TRUNCATE|orders|TRUNCATE TABLE orders",
            "COMMIT|COMMIT|-|COMMIT",
            "-- only a comment|-|-|-",
    })
    void summarizes(String sql, String operation, String collection, String summary) {
        QueryInfo q = QueryInfo.parse(sql, "postgresql");
        assertThat(q.operation).isEqualTo(operation);
        assertThat(q.collection).isEqualTo(collection);
        assertThat(q.summary).isEqualTo(summary);
    }

    @Test
    void batchNames() {
        QueryInfo insert = QueryInfo.parse("INSERT INTO t VALUES (?)", "h2database");
        assertThat(insert.asBatch(true).summary).isEqualTo("BATCH INSERT t");
        assertThat(insert.asBatch(true).operation).isEqualTo("BATCH INSERT");
        assertThat(insert.asBatch(false).summary).isEqualTo("BATCH INSERT");
    }

    @Test
    void summaryNeverHoldsALiteral() {
        QueryInfo q = QueryInfo.parse("SELECT * FROM 'secret' WHERE 1", "mysql");
        assertThat(q.summary).isEqualTo("SELECT");
        assertThat(QueryInfo.parse("'x' 'y'", null).summary).isNull();
    }
}

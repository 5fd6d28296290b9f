package dev.vigil.agent.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SqlSanitizerTest {
    private static final String[] SYSTEMS = {null, "h2database", "postgresql", "mysql", "mariadb", "oracle.db",
            "microsoft.sql_server", "other_sql"};

    private static final String[][] CASES = {
            {"SELECT * FROM orders WHERE id = 42", "SELECT * FROM orders WHERE id = ?"},
            {"select a from t where name = 'O''Brien' and x=1.5e3", "select a from t where name = ? and x=?"},
            {"SELECT x'DEADBEEF', 0xFF, -12, .5, 1e-5 FROM t1", "SELECT ?, ?, -?, ?, ?-? FROM t1"},
            {"SELECT $$secret$$, $tag$ more $ secret $tag$ FROM t WHERE a = $1", "SELECT ?, ? FROM t WHERE a = $1"},
            {"SELECT a -- secret 'x'\n FROM t /* c 'y' /* nested */ still */ WHERE b = ?", "SELECT a FROM t WHERE b = ?"},
            {"SELECT * FROM t WHERE id IN (1, 2, 3) AND k in (?,?)", "SELECT * FROM t WHERE id IN (?) AND k in (?)"},
            {"INSERT INTO t(a, b) VALUES (?, 'v')", "INSERT INTO t(a, b) VALUES (?, ?)"},
            {"SELECT n'unicode', e'esc\\'aped', _utf8'x' FROM dual", "SELECT ?, ?, ? FROM dual"},
            {"SELECT q'[it's]' FROM dual", "SELECT ? FROM dual"},
            {"SELECT v$session.sid FROM v$session", "SELECT v$session.sid FROM v$session"},
            {"UPDATE t SET a = :name WHERE b = 7", "UPDATE t SET a = :name WHERE b = ?"},
            {"SELECT   a,\n\t b FROM   t", "SELECT a, b FROM t"},
            {"SELECT 'unterminated FROM t", "SELECT ?"},
    };

    @Test
    void replacesEveryLiteral() {
        for (String[] c : CASES) {
            assertThat(SqlSanitizer.sanitize(c[0], "postgresql")).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void doubleQuotesAreIdentifiersOnlyWhereTheDatabaseSaysSo() {
        String sql = "SELECT \"Name\" FROM \"Orders\" WHERE a = \"secret\"";
        assertThat(SqlSanitizer.sanitize(sql, "postgresql")).isEqualTo(sql);
        assertThat(SqlSanitizer.sanitize(sql, "mysql")).isEqualTo("SELECT ? FROM ? WHERE a = ?");
        assertThat(SqlSanitizer.sanitize(sql, null)).isEqualTo("SELECT ? FROM ? WHERE a = ?");
        assertThat(SqlSanitizer.sanitize("SELECT `a` FROM `t` WHERE c = \"x\\\"y\" # note 'z'", "mariadb"))
                .isEqualTo("SELECT `a` FROM `t` WHERE c = ?");
        assertThat(SqlSanitizer.sanitize("SELECT [a] FROM [dbo].[t] WHERE c = N'x'", "microsoft.sql_server"))
                .isEqualTo("SELECT [a] FROM [dbo].[t] WHERE c = ?");
        assertThat(SqlSanitizer.sanitize("SELECT ARRAY[1,2] FROM t", "postgresql")).isEqualTo("SELECT ARRAY[?,?] FROM t");
    }

    @Test
    void backslashEscapesAreHonouredSoAMySqlLiteralNeverLeaks() {
        // In MySQL the literal is: a' OR secret=  — treating \ as an escape everywhere never leaks it.
        String sanitized = SqlSanitizer.sanitize("SELECT * FROM t WHERE a = 'a\\' OR secret=' AND b = 'x'", "h2database");
        assertThat(sanitized).doesNotContain("secret");
    }

    @Test
    void longTextIsCutAfterSanitizing() {
        StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE a IN (");
        for (int i = 0; i < 10_000; i++) {
            sql.append("'secret").append(i).append("', ");
        }
        sql.append("'last')");
        String out = SqlSanitizer.sanitize(sql.toString(), "postgresql");
        assertThat(out.length()).isLessThanOrEqualTo(SqlSanitizer.MAX_OUTPUT + SqlSanitizer.TRUNCATED.length());
        assertThat(out).endsWith(SqlSanitizer.TRUNCATED).doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "'", "\"", "$", "$$", "$a", "$a$", "/*", "--", "q'", "q'[", "x'", "0x", "\\",
            "IN (", "in(?", "[", "`", "?", "N'", "'''", "/*/", "*/"})
    void edgeCasesNeverThrowOrLeak(String sql) {
        for (String system : SYSTEMS) {
            assertThat(SqlSanitizer.sanitize(sql, system)).isNotNull();
        }
        assertThat(SqlSanitizer.sanitize(null, "h2database")).isNull();
    }

    /**
     * Property: SQL-ish text built from random fragments, with marker literals embedded in every literal syntax,
     * never lets a marker through, for every dialect. The glue between literals never holds an unbalanced quote
     * or {@code $}: with one, the marker would no longer be a literal for the database either (a stray quote
     * pairs with the marker's opening quote), so its survival would be correct lexing, not a leak.
     */
    @Test
    void noMarkerSurvivesInRandomSqlWithEmbeddedLiterals() {
        Random random = new Random(20261129L);
        String[] glue = {"SELECT ", "FROM t ", "WHERE a = ", " AND ", ", ", "(", ")", " IN (", "INSERT INTO t VALUES (",
                " -- c\n", "/* c */", "\n", " ", "x.y", "\"Id\"", "`col`", "[c]", "?", "$1", ":p", "+", "-", "*",
                "q", "N", "E", "X", "_utf8", "v$s", "\\", "*/", "--", "#"};
        int checked = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sql = new StringBuilder();
            List<String> markers = new ArrayList<>();
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                if (random.nextInt(3) == 0) {
                    String marker = "SECRET" + round + "Z" + p + "Q"; // Q: no marker is a prefix of another
                    if (random.nextInt(13) == 0) {
                        markers.add("DQ" + marker);
                        sql.append("\"DQ").append(marker).append('"');
                    } else {
                        markers.add(marker);
                        sql.append(literal(random, marker, p == parts - 1));
                    }
                } else {
                    sql.append(glue[random.nextInt(glue.length)]);
                }
            }
            for (String system : SYSTEMS) {
                String out = SqlSanitizer.sanitize(sql.toString(), system);
                boolean doubleQuotesAreIdentifiers = system != null && !system.equals("mysql")
                        && !system.equals("mariadb") && !system.equals("other_sql");
                for (String marker : markers) {
                    if (doubleQuotesAreIdentifiers && marker.startsWith("DQ")) {
                        continue; // "..." is an identifier there, kept on purpose
                    }
                    assertThat(out).as("system %s, input %s", system, sql).doesNotContain(marker);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    private static String literal(Random random, String marker, boolean last) {
        switch (random.nextInt(last ? 12 : 11)) {
            case 0: return "'" + marker + "'";
            case 1: return "'it''s " + marker + "'";
            case 2: return "'a\\'" + marker + "'";
            case 3: return marker.replaceAll("[A-Z]", "").isEmpty() ? "1" : " 12345" + marker.replaceAll("\\D", "") + " ";
            case 4: return "$$" + marker + "$$";
            case 5: return "$tag$ " + marker + " $tag$";
            case 6: return "E'" + marker + "'";
            case 7: return "X'" + marker + "'";
            case 8: return "q'[" + marker + "]'";
            case 9: return "/* " + marker + " */";
            case 10: return "-- " + marker + "\n";
            default: return "'" + marker; // unterminated: only as the last part, or it would pair with a later quote
        }
    }

    @Test
    void numericMarkersAreRedacted() {
        assertThat(SqlSanitizer.sanitize("SELECT 4111111111111111 FROM t WHERE a=98765.4321", "h2database"))
                .doesNotContain("4111").doesNotContain("98765");
    }

    /** Random characters, including every quote and comment opener, never make it throw or return null. */
    @Test
    void randomInputNeverThrows() {
        Random random = new Random(7);
        String alphabet = "'\"`[]$/*-#\\qQnNxX_01 \n(),?:;a";
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(64);
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sql.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (String system : SYSTEMS) {
                assertThat(SqlSanitizer.sanitize(sql.toString(), system)).isNotNull();
            }
        }
    }

    /**
     * Linear work: the scan is bounded by {@link SqlSanitizer#MAX_SCANNED} whatever the input, so a huge or
     * adversarial text (all openers, nothing closed) costs the same as one of that size. Checked by structure: the
     * output of a 1 MB adversarial input equals that of its first MAX_SCANNED characters.
     */
    @Test
    void workIsBoundedByTheScanLimit() {
        String hostile = "$a$ /* '".repeat(1 << 17);
        String head = hostile.substring(0, SqlSanitizer.MAX_SCANNED);
        assertThat(SqlSanitizer.scan(hostile, "postgresql")).isEqualTo(SqlSanitizer.scan(head + "x", "postgresql"));
        String manyDollars = "$".repeat(1 << 20);
        assertThat(SqlSanitizer.sanitize(manyDollars, "postgresql")).endsWith(SqlSanitizer.TRUNCATED);
    }
}

package dev.vigil.agent.db;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BindValuesTest {
    @Test
    void columnsNextToPlaceholdersAreFound() {
        assertThat(BindValues.columns("SELECT * FROM users u WHERE u.login = ? AND \"Password\" <> ? OR note LIKE ?", 10))
                .containsExactly("login", "Password", "note");
        assertThat(BindValues.columns("INSERT INTO users (name, pass_hash, age) VALUES (?, ?, ?), (?, ?, ?)", 10))
                .containsExactly("name", "pass_hash", "age", "name", "pass_hash", "age");
        assertThat(BindValues.columns("UPDATE t SET api_token = ?, n = n + 1 WHERE id IN (?, ?)", 10))
                .containsExactly("api_token", null, null);
        assertThat(BindValues.columns("SELECT '?' , x FROM t /* ? */ WHERE -- ?\n y = ?", 10)).containsExactly("y");
        assertThat(BindValues.columns("SELECT ?, ?, ?", 2)).hasSize(2);
    }

    @Test
    void secretColumnsHideWhateverIsBound() {
        boolean[] secret = BindValues.secretParameters("INSERT INTO accounts (email, password, balance) VALUES (?, ?, ?)", 32);
        assertThat(secret).containsExactly(false, true, false);
        assertThat(BindValues.render(1234, true)).isEqualTo(BindValues.REDACTED);
        assertThat(BindValues.render(null, true)).isEqualTo("NULL");
    }

    @Test
    void secretLookingValuesAreRedacted() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
        for (String secret : new String[]{jwt, "Bearer abc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
                "550e8400-e29b-41d4-a716-446655440000", "4111 1111 1111 1111", "host=db;password=x",
                "-----BEGIN PRIVATE KEY-----"}) {
            assertThat(BindValues.render(secret, false)).as(secret).isEqualTo(BindValues.REDACTED);
        }
        for (String plain : new String[]{"alice", "a note with spaces and 12345 numbers", "pending", "2026-11-29"}) {
            assertThat(BindValues.render(plain, false)).as(plain).isEqualTo(plain);
        }
    }

    @Test
    void valuesAreBoundedAndTypedWithoutContent() {
        assertThat(BindValues.render("y".repeat(100), false)).hasSize(BindValues.MAX_LENGTH + 3).endsWith("...");
        assertThat(BindValues.render(new BigDecimal("12.50"), false)).isEqualTo("12.50");
        assertThat(BindValues.render(LocalDate.of(2026, 1, 2), false)).isEqualTo("2026-01-02");
        assertThat(BindValues.render(new byte[16], false)).isEqualTo("<byte[16]>");
        assertThat(BindValues.render(new java.io.ByteArrayInputStream(new byte[1]), false)).isEqualTo("<ByteArrayInputStream>");
        assertThat(BindValues.render(true, false)).isEqualTo("true");
    }

    @Test
    void scanningArbitraryTextNeverThrows() {
        Random random = new Random(4);
        String alphabet = "?'\"`[]()=<>,-/*\\ \nabcINTOVALUES.";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sql = new StringBuilder();
            for (int j = random.nextInt(80); j > 0; j--) {
                sql.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(BindValues.secretParameters(sql.toString(), 32).length).isLessThanOrEqualTo(32);
        }
    }
}

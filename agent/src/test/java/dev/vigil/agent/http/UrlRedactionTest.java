package dev.vigil.agent.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UrlRedactionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a=1&b=2 | a=1&b=2",
            "password=x | password=REDACTED",
            "user=bob&Token=abc&x= | user=bob&Token=REDACTED&x=",
            "sig=1&sig=2 | sig=REDACTED&sig=REDACTED",
            "api_key | api_key",
            "&&access_token=t&& | &&access_token=REDACTED&&",
    })
    void queryValuesOfSensitiveParametersAreRedacted(String in, String out) {
        assertThat(UrlRedaction.query(in)).isEqualTo(out);
    }

    @Test
    void userInfoAndQueryAreRedactedInFullUrls() {
        assertThat(UrlRedaction.url("https://bob:pw@example.com:8443/p?q=1&password=x#frag"))
                .isEqualTo("https://REDACTED:REDACTED@example.com:8443/p?q=1&password=REDACTED#frag");
        assertThat(UrlRedaction.url("http://example.com/a@b")).isEqualTo("http://example.com/a@b");
        assertThat(UrlRedaction.url("http://example.com")).isEqualTo("http://example.com");
        assertThat(UrlRedaction.url(null)).isNull();
        assertThat(UrlRedaction.query("")).isEmpty();
    }
}

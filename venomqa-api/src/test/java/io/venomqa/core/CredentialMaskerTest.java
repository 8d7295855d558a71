package io.venomqa.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialMaskerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://qa:secret@localhost:5432/qa_test | postgresql://qa:***@localhost:5432/qa_test",
            "mysql://user:p%40ss@host:3306/db | mysql://user:***@host:3306/db",
            "mysql://user:p@ss/word@host:3306/db | mysql://user:***@host:3306/db",
            "postgresql://qa@localhost/qa | postgresql://qa@localhost/qa",
            "jdbc:mysql://h/db?user=qa&password=secret&ssl=true | jdbc:mysql://h/db?user=qa&password=***&ssl=true",
            "jdbc:postgresql://h/db?password=secret | jdbc:postgresql://h/db?password=***",
            "jdbc:h2:mem:x;USER=sa;PASSWORD=secret | jdbc:h2:mem:x;USER=sa;PASSWORD=***",
            "sqlite:/tmp/x.db | sqlite:/tmp/x.db",
            "postgresql://qa:secret@h/db?email=a@b.c | postgresql://qa:***@h/db?email=a@b.c",
    })
    void masksPasswords(String url, String expected) {
        assertThat(CredentialMasker.maskUrl(url)).isEqualTo(expected);
    }

    @Test
    void mayHoldSecretKeyIsFalseOnlyWhenNoKeyCanBeSecret() {
        assertThat(CredentialMasker.mayHoldSecretKey("{\"ok\":true,\"pad\":\"xxxx\"}")).isFalse();
        assertThat(CredentialMasker.mayHoldSecretKey(null)).isFalse();
        for (String key : new String[]{"Password", "client_secret", "access_token", "pwd", "API_KEY", "apiKey", "credentials"}) {
            assertThat(CredentialMasker.isSecretKey(key)).as(key).isTrue();
            assertThat(CredentialMasker.mayHoldSecretKey("{\"" + key + "\":\"v\"}")).as(key).isTrue();
        }
        // A name spelled with escapes could be any of them.
        assertThat(CredentialMasker.mayHoldSecretKey("{\"pass\\u0077ord\":\"v\"}")).isTrue();
    }

    @Test
    void secretFieldsOfJsonAreMaskedWhereverTheyAre() {
        assertThat(CredentialMasker.maskJsonFields("{\"name\": \"qa\", \"api_token\": \"t-1\"}"))
                .isEqualTo("{\"name\": \"qa\", \"api_token\": \"***\"}");
        assertThat(CredentialMasker.maskJsonFields("[{\"a\":{\"Password\":7,\"b\":[1,{\"pwd\":null}]}}, 2]"))
                .isEqualTo("[{\"a\":{\"Password\":\"***\",\"b\":[1,{\"pwd\":\"***\"}]}}, 2]");
        assertThat(CredentialMasker.maskJsonFields("{\"credentials\": {\"user\": \"u\", \"x\": \"}\\\"{\"}, \"ok\": 1}"))
                .as("an object under a secret name, a brace inside one of its strings").isEqualTo("{\"credentials\": \"***\", \"ok\": 1}");
        assertThat(CredentialMasker.maskJsonFields("{\"pass\\u0077ord\": \"hunter2\"}")).as("a name spelt with an escape")
                .isEqualTo("{\"pass\\u0077ord\": \"***\"}");
        assertThat(CredentialMasker.maskJsonFields("{\"note\": \"the token is abc\"}")).as("a value, not a name")
                .isEqualTo("{\"note\": \"the token is abc\"}");
        String array = "{\"token\",NULL}"; // a PostgreSQL array of text: no field names
        assertThat(CredentialMasker.maskJsonFields(array)).isSameAs(array);
        String plain = "password123";
        assertThat(CredentialMasker.maskJsonFields(plain)).isSameAs(plain);
        assertThat(CredentialMasker.maskJsonFields("{\"secret\": \"unterminated")).as("cannot be read: all of it").isEqualTo("***");
        assertThat(CredentialMasker.maskJsonFields(null)).isNull();
        assertThat(CredentialMasker.maskJsonFields("{\"raw\": \"{\\\"password\\\": \\\"inner-9\\\",\\n\\\"a\\\": 1}\", \"b\": 2}"))
                .as("JSON held as a string inside JSON").isEqualTo("{\"raw\": \"{\\\"password\\\": \\\"***\\\",\\n\\\"a\\\": 1}\", \"b\": 2}");
    }

    @Test
    void moreSecretNamesParametersUrlsCutInsideThePasswordAndNestedValues() {
        for (String key : new String[]{"passwd", "private_key", "privateKey", "x-api-key", "refresh_token", "client_secret"}) {
            assertThat(CredentialMasker.isSecretKey(key)).as(key).isTrue();
            assertThat(CredentialMasker.mayHoldSecretKey("{\"" + key + "\":1}")).as(key).isTrue();
        }
        assertThat(CredentialMasker.isSecretKey("passenger")).isFalse();
        assertThat(CredentialMasker.maskText("GET http://h/x?refresh_token=r1&client_secret=c2&api-key=k3&page=2&pass=p4"))
                .isEqualTo("GET http://h/x?refresh_token=***&client_secret=***&api-key=***&page=2&pass=***");
        assertThat(CredentialMasker.maskText("GET http://h/x?passenger=3")).isEqualTo("GET http://h/x?passenger=3");
        // A config line's excerpt in a YAML error, cut inside the password: no '@' to end it
        assertThat(CredentialMasker.maskText("db_url: \"postgresql://postgres:S3cr3tYAM ...")).isEqualTo("db_url: \"postgresql://postgres:*** ...");
        assertThat(CredentialMasker.maskText("GET http://127.0.0.1:8080/x and http://[::1]:5432/db"))
                .isEqualTo("GET http://127.0.0.1:8080/x and http://[::1]:5432/db");
        assertThat(CredentialMasker.maskText("postgresql://h1:5432,h2:5433/db")).isEqualTo("postgresql://h1:5432,h2:5433/db");
        Object masked = CredentialMasker.maskValues(java.util.Map.of("user", "qa", "creds", java.util.Map.of("client_secret", "s1"),
                "list", java.util.List.of(java.util.Map.of("password", 7)), "doc", "{\"api_key\": \"k\"}"));
        assertThat(masked.toString()).doesNotContain("s1", "=7", "\"k\"").contains("user=qa");
        java.util.Map<String, Object> clean = java.util.Map.of("user", "qa");
        assertThat(CredentialMasker.maskValues(clean)).isSameAs(clean);
    }

    @Test
    void urlsWithoutUserInfoOrParametersAreLeftAsTheyAre() {
        assertThat(CredentialMasker.maskText("GET http://127.0.0.1:8080/orders/7")).isEqualTo("GET http://127.0.0.1:8080/orders/7");
        assertThat(CredentialMasker.maskText("GET http://u:hunter2@h/x")).isEqualTo("GET http://u:***@h/x");
        assertThat(CredentialMasker.maskText("GET http://h/x?token=abc")).isEqualTo("GET http://h/x?token=***");
    }

    @Test
    void aQuotedUrlInAMessageKeepsItsClosingQuote() {
        assertThat(CredentialMasker.maskText("db_url 'jdbc:postgresql://h/db?user=u&password=secret' has a bad port"))
                .isEqualTo("db_url 'jdbc:postgresql://h/db?user=u&password=***' has a bad port");
        assertThat(CredentialMasker.maskText("(jdbc:mysql://h/db?password=secret), then"))
                .isEqualTo("(jdbc:mysql://h/db?password=***), then");
        assertThat(CredentialMasker.maskText("url=\"jdbc:h2:tcp://h/db;PASSWORD=abc\";"))
                .isEqualTo("url=\"jdbc:h2:tcp://h/db;PASSWORD=***\";");
        // A password holding the closing character is masked whole: the URL ends at the last one.
        assertThat(CredentialMasker.maskText("'jdbc:postgresql://h/db?password=a'b'"))
                .isEqualTo("'jdbc:postgresql://h/db?password=***'");
        assertThat(CredentialMasker.maskText("'postgresql://u:p'w@h/db'")).isEqualTo("'postgresql://u:***@h/db'");
        // Not quoted: as before, everything to the next whitespace is the value, masked.
        assertThat(CredentialMasker.maskText("jdbc:postgresql://h/db?password=secret' x"))
                .isEqualTo("jdbc:postgresql://h/db?password=*** x");
    }

    @Test
    void masksSecretsAndUrlsInFreeText() {
        String text = "could not connect to postgresql://qa:hunter2@db:5432/x with token abc123";
        assertThat(CredentialMasker.maskText(text, "abc123"))
                .isEqualTo("could not connect to postgresql://qa:***@db:5432/x with token ***");
    }

    @Test
    void aPasswordThatIsOnlyAnEnvironmentVariableReferenceIsNotASecret() {
        // Issue 12, bug 7: the example printed for the user to copy showed qa:***@.
        assertThat(CredentialMasker.maskText("for example:\n  db_url: postgresql://qa:${DB_PASSWORD}@localhost:5432/qa_test\n"))
                .isEqualTo("for example:\n  db_url: postgresql://qa:${DB_PASSWORD}@localhost:5432/qa_test\n");
        assertThat(CredentialMasker.maskText("postgresql://qa:${DB_PASSWORD:-hunter2}@localhost/qa_test"))
                .isEqualTo("postgresql://qa:***@localhost/qa_test");
        assertThat(CredentialMasker.maskText("postgresql://qa:${DB_PASSWORD}x@localhost/qa_test"))
                .isEqualTo("postgresql://qa:***@localhost/qa_test");
        assertThat(CredentialMasker.maskText("jdbc:postgresql://qa:${P}@h/db?password=hunter2"))
                .isEqualTo("jdbc:postgresql://qa:${P}@h/db?password=***");
    }
    @Test
    void formEncodedSecretFieldsAreMasked() {
        assertThat(CredentialMasker.maskFormFields("user=qa&password=hunter2")).isEqualTo("user=qa&password=***");
        assertThat(CredentialMasker.maskFormFields("pass%77ord=x&client_secret=y&q=")).isEqualTo("pass%77ord=***&client_secret=***&q=");
        assertThat(CredentialMasker.maskFormFields("page=2&size=10")).as("no secret name").isEqualTo("page=2&size=10");
        assertThat(CredentialMasker.maskFormFields("the password=x is wrong")).as("not a form").isEqualTo("the password=x is wrong");
        assertThat(CredentialMasker.maskFormFields("token=")).as("an empty value stays empty").isEqualTo("token=");
        assertThat(CredentialMasker.maskFormFields(null)).isNull();
    }
}

package io.venomqa.state.mysql;

import io.venomqa.state.StateConfig;
import io.venomqa.state.mysql.internal.MySQLConnectionSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How configurations become Connector/J URLs and properties: no server needed. */
class MySQLConnectionSpecTest {

    private static MySQLConnectionSpec spec(String url) {
        return MySQLConnectionSpec.of(StateConfig.builder().url(url).build());
    }

    @Test
    @DisplayName("mysql:// and mariadb:// URLs become jdbc:mysql: with percent-decoded credentials as properties")
    void nativeForms() {
        MySQLConnectionSpec s = spec("mysql://qa:p%40ss+w%2Frd@db.local:3307/qa_test");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:mysql://db.local:3307/qa_test");
        Properties p = s.properties();
        assertThat(p.getProperty("user")).isEqualTo("qa");
        assertThat(p.getProperty("password")).isEqualTo("p@ss+w/rd");
        assertThat(p.getProperty("characterEncoding")).isEqualTo("UTF-8");
        assertThat(p.getProperty("autoReconnect")).isEqualTo("false");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("30000");
        assertThat(s.maskedUrl()).isEqualTo("mysql://qa:***@db.local:3307/qa_test");
        assertThat(s.printableProperties().toString()).doesNotContain("p@ss");

        assertThat(spec("mysql://qa:50%off@h/db").properties().getProperty("password"))
                .as("a stray %% is kept as written, as the jdbc core's DatabaseUrl does").isEqualTo("50%off");
        assertThat(spec("mariadb://root@localhost/shop").jdbcUrl()).isEqualTo("jdbc:mysql://localhost/shop");
    }

    @Test
    @DisplayName("jdbc:mysql: is passed as written, jdbc:mariadb: is served by the MySQL driver")
    void jdbcForms() {
        assertThat(spec("jdbc:mysql://h:3306/db?useSSL=false").jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/db?useSSL=false");
        assertThat(spec("jdbc:mariadb://h:3306/db").jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/db");
    }

    @Test
    @DisplayName("pool settings of the seed's URLs are dropped, charset in the URL is read, other parameters reach the driver")
    void queryParameters() {
        MySQLConnectionSpec s = spec("mysql://u:pw@h/db?pool_size=10&charset=latin1&useSSL=false");
        Properties p = s.properties();
        assertThat(p).doesNotContainKey("pool_size").doesNotContainKey("charset");
        assertThat(p.getProperty("useSSL")).isEqualTo("false");
        assertThat(p.getProperty("characterEncoding")).isEqualTo("windows-1252");
        assertThat(s.charset()).isEqualTo("latin1");
    }

    @Test
    @DisplayName("user and password options win over the URL; autoReconnect=true is overridden; connection_timeout is used")
    void options() {
        Properties p = MySQLConnectionSpec.of(StateConfig.builder().url("mysql://ignored:old@h/db?autoReconnect=true")
                .option("user", "qa").option("password", "s3cret").option("connection_timeout", "5s").build()).properties();
        assertThat(p.getProperty("user")).isEqualTo("qa");
        assertThat(p.getProperty("password")).isEqualTo("s3cret");
        assertThat(p.getProperty("autoReconnect")).isEqualTo("false");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("5000");
    }

    @Test
    @DisplayName("URL mistakes are IllegalArgumentException with the password masked")
    void mistakes() {
        assertThatThrownBy(() -> spec("mysql://qa:topsecret@h:3306"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no database")
                .hasMessageContaining("qa:***@h:3306")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> spec("postgresql://qa:topsecret@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("topsecret");
        assertThat(MySQLConnectionSpec.of(StateConfig.builder().url("mysql://h/db?charset=utf8mb4")
                .option("charset", "UTF8MB4").build()).charset()).isEqualToIgnoringCase("utf8mb4");
        assertThatThrownBy(() -> MySQLConnectionSpec.of(StateConfig.builder().url("mysql://h/db?charset=latin1")
                .option("charset", "utf8mb4").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charset");
    }

    @Test
    @DisplayName("the backend accepts exactly the four URL forms")
    void accepts() {
        assertThat(MySQLConnectionSpec.accepts("mysql://h/db")).isTrue();
        assertThat(MySQLConnectionSpec.accepts("MariaDB://h/db")).isTrue();
        assertThat(MySQLConnectionSpec.accepts("jdbc:mysql://h/db")).isTrue();
        assertThat(MySQLConnectionSpec.accepts("jdbc:mariadb://h/db")).isTrue();
        assertThat(MySQLConnectionSpec.accepts("postgresql://h/db")).isFalse();
        assertThat(MySQLConnectionSpec.accepts("jdbc:sqlite:x.db")).isFalse();
        assertThat(MySQLConnectionSpec.accepts(null)).isFalse();
    }
}

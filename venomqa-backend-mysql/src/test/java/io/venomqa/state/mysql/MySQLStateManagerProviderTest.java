package io.venomqa.state.mysql;

import io.venomqa.state.BackendInfo;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Discovery through {@link StateManagers} and what a user sees when the server cannot be reached. */
class MySQLStateManagerProviderTest {

    @Test
    @DisplayName("the provider is found by name, by the alias mariadb, and by each of the four URL forms")
    void discovery() {
        assertThat(StateManagers.available()).extracting(BackendInfo::name, BackendInfo::artifact)
                .contains(org.assertj.core.groups.Tuple.tuple("mysql", "io.venomqa:venomqa-backend-mysql"));
        assertThat(StateManagers.provider("mysql")).isInstanceOf(MySQLStateManagerProvider.class);
        assertThat(StateManagers.provider("MariaDB")).isInstanceOf(MySQLStateManagerProvider.class);
        for (String url : new String[] {"mysql://u@h:3306/db", "mariadb://u@h/db", "jdbc:mysql://h/db", "jdbc:mariadb://h:3306/db"}) {
            assertThat(StateManagers.fromUrl(url)).as(url).isInstanceOf(MySQLStateManager.class);
        }
        StateManager fromYaml = StateManagers.create(StateConfig.fromMap(Map.of(
                "db_backend", "mariadb", "db_url", "mysql://qa:pw@localhost:3306/qa_test", "charset", "utf8mb4")));
        assertThat(fromYaml).isInstanceOf(MySQLStateManager.class);
        assertThat(fromYaml.isConnected()).isFalse();
        assertThat(fromYaml.toString()).doesNotContain("pw@").contains("qa:***@");
    }

    @Test
    @DisplayName("connection refused: StateConnectionException with the masked URL and the checklist, never the password")
    void connectionRefused() {
        // Port 1 on the loopback: nothing listens there, so the refusal is immediate.
        MySQLStateManager manager = new MySQLStateManager(StateConfig.builder()
                .url("mysql://qa:Sup3rS3cret@127.0.0.1:1/qa_test").option("connection_timeout", "5s").build());
        assertThatThrownBy(manager::connect)
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("mysql://qa:***@127.0.0.1:1/qa_test")
                .hasMessageContaining("server is running")
                .hasMessageNotContaining("Sup3rS3cret");
        assertThat(manager.isConnected()).isFalse();
    }

    @Test
    @DisplayName("wrong credentials in a jdbc: URL: the server's refusal is reported with the password masked")
    void wrongPasswordInJdbcUrl() {
        // The test server's host and port, without its credentials.
        String serverUrl = System.getenv(MySQLTestDatabase.ENV);
        String base = serverUrl == null || serverUrl.isBlank() ? "127.0.0.1:3306"
                : serverUrl.replaceFirst("^(?:jdbc:)?[A-Za-z]+://(?:[^@/]*@)?([^/?#]*).*$", "$1");
        MySQLStateManager manager = new MySQLStateManager(StateConfig.builder()
                .url("jdbc:mysql://" + base + "/test?user=venomqa_nobody&password=Sup3rS3cret").build());
        assertThatThrownBy(manager::connect)
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("Access denied")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("Sup3rS3cret");
        assertThat(manager.isConnected()).isFalse();
    }
}

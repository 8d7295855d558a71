package io.venomqa.spring.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's pool settings reach the shared connection VenomQA hands the application: HikariCP's
 * driver properties were dropped until 2026-12-05, so an application relying on PostgreSQL's
 * {@code stringtype=unspecified} (a string bound to a bigint parameter) failed under test only.
 */
class DataSourceCoordinatesTest {

    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";

    @Test
    @DisplayName("HikariCP's data-source-properties are passed on: stringtype=unspecified holds on the shared connection")
    void driverPropertiesReachTheSharedConnection() throws Exception {
        String schema = "vqspring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(JDBC, "postgres", ""); Statement st = admin.createStatement()) {
            st.execute("create schema " + schema);
            try (HikariDataSource pool = new HikariDataSource()) {
                pool.setJdbcUrl(JDBC + "?currentSchema=" + schema);
                pool.setUsername("postgres");
                pool.addDataSourceProperty("stringtype", "unspecified");
                DataSourceCoordinates where = DataSourceCoordinates.of(pool);
                assertThat(where.url()).contains("stringtype=unspecified");

                JdbcStateManager m = (JdbcStateManager) StateManagers.create(StateConfig.builder().url(where.url())
                        .option("user", where.user()).option("schema", where.schema()).build());
                m.connect();
                try (Connection c = m.sharedDataSource().getConnection();
                     PreparedStatement ps = c.prepareStatement("select count(*) from pg_class where oid = ?")) {
                    ps.setString(1, "1259"); // a string for an oid parameter: refused without stringtype=unspecified
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(1);
                    }
                } finally {
                    m.disconnect();
                }
            } finally {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }
}

package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hibernate's default ids ({@code @GeneratedValue} on a sequence with {@code allocationSize = 50}: the pooled
 * optimizer): the application takes a block of 50 ids from one {@code nextval} and hands them out from memory. A
 * rollback that moved such a sequence back made it hand out a block again whose ids the application was still
 * handing out from memory: after enough inserts across paths, the application's own inserts failed with duplicate
 * keys. Paths of 30 inserts each, rolled back to one checkpoint, on the journal (Hibernate on connections of its
 * own) and the savepoint strategy (Hibernate on the manager's shared DataSource).
 */
class HibernatePooledIdsTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    /** An entity as Hibernate's defaults make one: its id from a sequence stepping by the allocation size. */
    @Entity
    @Table(name = "ticket")
    public static class Ticket {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "ticket_ids")
        @SequenceGenerator(name = "ticket_ids", sequenceName = "ticket_seq", allocationSize = 50)
        Long id;

        String title;
    }

    @Test
    @DisplayName("PostgreSQL journal: paths of Hibernate inserts rolled back to one checkpoint never meet a duplicate id")
    void postgresJournal() throws Exception {
        try (PgDb db = new PgDb(DATABASE)) {
            db.exec("create table ticket (id bigint primary key, title varchar(100))",
                    "create sequence ticket_seq start with 1 increment by 50");
            Map<String, Object> settings = new HashMap<>();
            settings.put(AvailableSettings.JAKARTA_JDBC_URL, "jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/"
                    + db.database + "?currentSchema=" + db.schema);
            settings.put(AvailableSettings.JAKARTA_JDBC_USER, PgDb.USER);
            paths(db.manager(), settings, () -> db.rows("select count(*) as n from ticket"),
                    () -> db.rows("select count(*) as n from ticket"));
        }
    }

    @Test
    @DisplayName("MariaDB journal: the same with a MariaDB SEQUENCE")
    void mariadbJournal() throws Exception {
        try (MyDb db = new MyDb()) {
            db.exec("create table ticket (id bigint primary key, title varchar(100))",
                    "create sequence ticket_seq start with 1 increment by 50");
            Map<String, Object> settings = new HashMap<>();
            settings.put(AvailableSettings.JAKARTA_JDBC_URL, MyDb.jdbc(db.name));
            settings.put(AvailableSettings.JAKARTA_JDBC_USER, MyDb.USER);
            settings.put(AvailableSettings.JAKARTA_JDBC_PASSWORD, "");
            settings.put(AvailableSettings.DIALECT, "org.hibernate.dialect.MariaDBDialect");
            paths(db.manager(), settings, () -> db.rows("select count(*) as n from ticket"),
                    () -> db.rows("select count(*) as n from ticket"));
        }
    }

    @Test
    @DisplayName("PostgreSQL savepoint strategy: the same with Hibernate on the manager's shared DataSource")
    void postgresSavepoints() throws Exception {
        try (PgDb db = new PgDb(DATABASE)) {
            db.exec("create table ticket (id bigint primary key, title varchar(100))",
                    "create sequence ticket_seq start with 1 increment by 50");
            PostgreSQLStateManager manager = new PostgreSQLStateManager(db.config()
                    .option("checkpoint_strategy", "savepoint").build());
            manager.connect(); // idempotent: paths() connects again
            DataSource shared = manager.sharedDataSource();
            Map<String, Object> settings = new HashMap<>();
            settings.put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, shared);
            settings.put(AvailableSettings.DEFAULT_SCHEMA, db.schema);
            // Nothing is committed: only the manager's transaction sees the rows.
            paths(manager, settings, () -> {
                try (Connection c = shared.getConnection()) {
                    return JournalDb.rows(c, "select count(*) as n from " + db.schema + ".ticket");
                }
            }, () -> db.rows("select count(*) as n from ticket"));
        }
    }

    /**
     * Five paths of 60 Hibernate inserts from one checkpoint, each rolled back; {@code count} reads the rows as the
     * manager sees them, {@code countAfter} once it is disconnected.
     */
    private static void paths(StateManager manager, Map<String, Object> settings, ThirdPartyApps.Dump count,
            ThirdPartyApps.Dump countAfter) throws Exception {
        settings.put(AvailableSettings.HBM2DDL_AUTO, "none");
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(settings).build();
        List<String> before = count.take();
        manager.connect();
        try (SessionFactory hibernate = new MetadataSources(registry).addAnnotatedClass(Ticket.class).buildMetadata()
                .buildSessionFactory()) {
            manager.checkpoint("start");
            for (int path = 1; path <= 4; path++) {
                for (int i = 0; i < 60; i++) {
                    int n = i;
                    int p = path;
                    hibernate.inTransaction(session -> {
                        Ticket t = new Ticket();
                        t.title = "path " + p + " ticket " + n;
                        session.persist(t);
                    });
                }
                assertThat(count.take()).containsExactly("n=60");
                manager.rollback("start");
                assertThat(count.take()).isEqualTo(before);
            }
        } finally {
            manager.disconnect();
            StandardServiceRegistryBuilder.destroy(registry);
        }
        assertThat(countAfter.take()).isEqualTo(before);
    }
}

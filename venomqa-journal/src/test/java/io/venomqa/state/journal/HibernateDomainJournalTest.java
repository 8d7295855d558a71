package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;
import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.type.SqlTypes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own ORM writing through its own connections: a JPA domain as Hibernate 6.6 maps it, with the
 * schema Hibernate generates itself ({@code hbm2ddl create}): optimistic-lock versions, a JSON column, large objects
 * ({@code @Lob} bytes and text: PostgreSQL large objects, MariaDB {@code LONGBLOB}/{@code LONGTEXT}), floats of both
 * widths, a decimal, timestamps with an offset, an enum, an element collection, a one-to-many with orphan removal,
 * identity and pooled sequence ids, and a bulk JPQL update. The server's full dump after every rollback, tree restore
 * and {@code disconnect()} is compared with the state it must give back, and Hibernate carries on after each.
 */
class HibernateDomainJournalTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    enum Status { NEW, ACTIVE, GONE }

    @Entity(name = "Customer")
    @Table(name = "customer")
    public static class Customer {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        @Version
        long version;
        String name;
        @JdbcTypeCode(SqlTypes.JSON)
        Map<String, Object> prefs;
        @Lob
        byte[] avatar;
        @Lob
        @Column(length = 100_000)
        String bio;
        double score;
        float ratio;
        OffsetDateTime joined;
        @Enumerated(EnumType.STRING)
        Status status;
        @ElementCollection(fetch = FetchType.EAGER)
        @CollectionTable(name = "customer_tags", joinColumns = @JoinColumn(name = "customer_id"))
        @Column(name = "tag")
        Set<String> tags = new LinkedHashSet<>();
        @OneToMany(mappedBy = "customer", cascade = CascadeType.ALL, orphanRemoval = true)
        List<Purchase> purchases = new ArrayList<>();
    }

    @Entity(name = "Purchase")
    @Table(name = "purchase")
    public static class Purchase {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "purchase_ids")
        @jakarta.persistence.SequenceGenerator(name = "purchase_ids", sequenceName = "purchase_seq", allocationSize = 50)
        Long id;
        @ManyToOne(optional = false)
        Customer customer;
        @Column(precision = 12, scale = 2)
        BigDecimal total;
        Instant placed;
    }

    @Test
    @DisplayName("PostgreSQL: a Hibernate domain (JSON, large objects, versions, collections, orphan removal) undone exactly")
    void postgres() throws Exception {
        try (PgDb db = new PgDb(DATABASE)) {
            Map<String, Object> settings = new HashMap<>();
            settings.put(AvailableSettings.JAKARTA_JDBC_URL, "jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/"
                    + db.database + "?currentSchema=" + db.schema);
            settings.put(AvailableSettings.JAKARTA_JDBC_USER, PgDb.USER);
            settings.put(AvailableSettings.DEFAULT_SCHEMA, db.schema);
            // @Lob columns are large objects here: the dump lists every one of the database with a digest of its bytes.
            exercise(db, settings, () -> {
                List<String> out = new ArrayList<>(db.dump());
                out.addAll(db.rows("select m.oid, md5(lo_get(m.oid)) as md5 from pg_largeobject_metadata m order by m.oid"));
                return out;
            });
        }
    }

    @Test
    @DisplayName("MariaDB: the same Hibernate domain (JSON, LONGBLOB/LONGTEXT, versions, collections) undone exactly")
    void mariadb() throws Exception {
        try (MyDb db = new MyDb()) {
            Map<String, Object> settings = new HashMap<>();
            settings.put(AvailableSettings.JAKARTA_JDBC_URL, MyDb.jdbc(db.name));
            settings.put(AvailableSettings.JAKARTA_JDBC_USER, MyDb.USER);
            settings.put(AvailableSettings.JAKARTA_JDBC_PASSWORD, "");
            settings.put(AvailableSettings.DIALECT, "org.hibernate.dialect.MariaDBDialect");
            exercise(db, settings, db::dump);
        }
    }

    private static void exercise(JournalDb db, Map<String, Object> settings, ThirdPartyApps.Dump full) throws Exception {
        // purchase_seq is Hibernate's id pool (allocationSize 50), which rollbacks leave ahead (PooledSequences):
        // compared are the rows and every other counter.
        ThirdPartyApps.Dump dump = () -> full.take().stream().filter(line -> !line.contains("purchase_seq")).toList();
        settings.put(AvailableSettings.HBM2DDL_AUTO, "create");
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(settings).build();
        try (SessionFactory hibernate = new MetadataSources(registry).addAnnotatedClass(Customer.class)
                .addAnnotatedClass(Purchase.class).buildMetadata().buildSessionFactory()) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                ids.add(hibernate.fromTransaction(s -> {
                    Customer c = customer("seed " + n, n);
                    s.persist(c);
                    return c.id;
                }));
            }
            List<String> before = dump.take();
            StateManager manager = db.manager();
            manager.connect();
            try {
                manager.checkpoint("start");
                hibernate.inTransaction(s -> {
                    Customer c = s.find(Customer.class, ids.get(0));
                    c.prefs.put("theme", "light");
                    c.prefs.put("nested", Map.of("a", List.of(1, 2.5, "x"), "nothing", "null"));
                    c.avatar = bytes(300_000, 7);
                    c.bio = "long ünïcode ✓ text ".repeat(2_000);
                    c.score = Math.nextUp(1.0 / 3);
                    c.ratio = Float.MIN_VALUE;
                    c.tags.remove("tag0");
                    c.tags.add("vip");
                    c.purchases.add(purchase(c, "19.99"));
                    c.purchases.add(purchase(c, "0.01"));
                    s.persist(customer("new one", 9));
                });
                List<String> a = dump.take();
                manager.checkpoint("a");

                hibernate.inTransaction(s -> {
                    Customer c = s.find(Customer.class, ids.get(0));
                    c.purchases.remove(0); // orphan removal
                    c.status = Status.GONE;
                    s.remove(s.find(Customer.class, ids.get(2)));
                });
                hibernate.inTransaction(s -> s.createMutationQuery("update Customer c set c.score = c.score * 2, "
                        + "c.version = c.version + 1 where c.status = :s").setParameter("s", Status.ACTIVE).executeUpdate());
                List<String> b = dump.take();
                manager.checkpoint("b");

                CheckpointTree tree = manager.checkpointTree().orElseThrow();
                tree.restore("a");
                assertThat(dump.take()).as("after restore(a)").isEqualTo(a);
                hibernate.inTransaction(s -> {
                    Customer c = s.find(Customer.class, ids.get(1));
                    assertThat(c.prefs).containsEntry("n", 1);
                    c.name = "renamed after the restore";
                    c.purchases.add(purchase(c, "5.00"));
                });
                List<String> c = dump.take();
                manager.checkpoint("c");

                ThirdPartyApps.acrossTheTree(manager, dump, a, b, c);
                hibernate.inTransaction(s -> assertThat(s.find(Customer.class, ids.get(0)).avatar).isEqualTo(bytes(300_000, 7)));
                tree.restore("start");
                assertThat(dump.take()).as("after restore(start)").isEqualTo(before);
                hibernate.inTransaction(s -> s.persist(customer("during the run", 5)));
            } finally {
                manager.disconnect();
            }
            assertThat(dump.take()).as("after disconnect()").isEqualTo(before);
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
        }
    }

    private static Customer customer(String name, int n) {
        Customer c = new Customer();
        c.name = name;
        c.prefs = new LinkedHashMap<>(Map.of("n", n, "flag", n % 2 == 0));
        c.avatar = bytes(1_000 + n, n);
        c.bio = "bio of " + name;
        c.score = n / 7.0;
        c.ratio = n / 3.0f;
        c.joined = OffsetDateTime.of(2026, 12, 7, 1, 2, 3, 456_789_000, ZoneOffset.ofHours(n));
        c.status = Status.ACTIVE;
        c.tags.add("tag" + n);
        c.tags.add("common");
        return c;
    }

    private static Purchase purchase(Customer c, String total) {
        Purchase p = new Purchase();
        p.customer = c;
        p.total = new BigDecimal(total);
        p.placed = Instant.parse("2026-12-07T01:02:03.123456Z");
        return p;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}

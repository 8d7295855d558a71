package io.venomqa.reliability;

import com.mysql.cj.conf.ConnectionUrl;
import com.mysql.cj.conf.HostInfo;
import io.venomqa.core.CredentialMasker;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.mysql.MySQLDialect;
import io.venomqa.state.postgres.PostgreSQLDialect;
import io.venomqa.state.spi.TestDatabaseGuard;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety-critical agreement of the one URL parser: for generated database URLs (PostgreSQL and MySQL, URI
 * and {@code jdbc:} forms, one to three hosts with names, IPv4 and IPv6 addresses, optional ports,
 * users and passwords full of {@code @ / : % ? # +} and non-ASCII, percent-encoded or not where
 * the syntax allows), the hosts the test-database guard checks are the hosts the JDBC driver itself
 * reads from the URL VenomQA hands it (parsed by pgjdbc's and Connector/J's own parsers), the driver
 * gets the password that was written, and the masked text — what messages, logs and reports show —
 * names the same hosts and never contains the password, written or decoded.
 */
class UrlAgreementPropertyTest {

    /** A URL as generated, with what it was made of. */
    record Case(String url, String backend, List<String> hostNames, List<Integer> ports, String user, String password,
                boolean jdbc) {
        @Override
        public String toString() {
            return url;
        }
    }

    @Property(tries = 400)
    void guardDriverAndMaskAgree(@ForAll("urls") Case c) {
        ConnectionSpec spec = spec(c);
        List<String> driverHosts = new ArrayList<>();
        List<Integer> driverPorts = new ArrayList<>();
        String driverPassword = driverView(c, spec, driverHosts, driverPorts);

        List<String> guardHosts = normalise(TestDatabaseGuard.hostsOf(c.url()));
        assertThat(guardHosts).as("guard's hosts vs the driver's, for %s", c.url()).isEqualTo(normalise(driverHosts));
        assertThat(guardHosts).as("hosts as generated").isEqualTo(normalise(c.hostNames()));
        int defaultPort = c.backend().equals("postgresql") ? 5432 : 3306;
        List<Integer> expectedPorts = c.ports().stream().map(p -> p == null ? defaultPort : p).toList();
        assertThat(driverPorts).as("ports the driver uses").isEqualTo(expectedPorts);

        assertThat(driverPassword).as("password the driver is given").isEqualTo(c.password());

        String masked = CredentialMasker.maskUrl(c.url());
        assertThat(spec.displayUrl()).isEqualTo(masked);
        assertThat(normalise(TestDatabaseGuard.hostsOf(masked))).as("hosts in the masked text").isEqualTo(guardHosts);
        for (String shown : List.of(masked, spec.displayUrl(), spec.toString(),
                CredentialMasker.maskText("could not connect to " + c.url() + " (refused)", spec.password()))) {
            assertThat(shown).doesNotContain(c.password()).doesNotContain(writtenPassword(c.url(), c.password()));
        }
    }

    @Example
    void aPasswordWithAQuestionMarkIsHiddenEvenUnencoded() {
        // Not a URL the generator writes (an unencoded '?' ends the user info), but masking errs on hiding.
        String url = "postgresql://qa:Pw?secret@db.example.com/x";
        assertThat(CredentialMasker.maskUrl(url)).doesNotContain("secret").isEqualTo("postgresql://qa:***@db.example.com/x");
    }

    @Example
    void aDriverHostListTheParserCannotReadIsRemote() {
        assertThat(TestDatabaseGuard.hostsOf("jdbc:mysql://address=(host=localhost)(port=3306)/db")).containsExactly("");
        assertThat(TestDatabaseGuard.hostsOf("jdbc:mysql://[localhost:3306,db.prod.example.com:3306]/db"))
                .allMatch(String::isEmpty);
    }

    private static ConnectionSpec spec(Case c) {
        StateConfig config = StateConfig.builder().backend(c.backend()).url(c.url()).build();
        return c.backend().equals("postgresql")
                ? new PostgreSQLDialect().connectionSpec(config, Duration.ofSeconds(5))
                : new MySQLDialect().connectionSpec(config, Duration.ofSeconds(5));
    }

    /** Hosts and ports as the driver parses the URL it is given; returns the password it would send. */
    private static String driverView(Case c, ConnectionSpec spec, List<String> hosts, List<Integer> ports) {
        if (c.backend().equals("postgresql")) {
            Properties p = org.postgresql.Driver.parseURL(spec.jdbcUrl(), spec.properties());
            assertThat(p).as("pgjdbc accepts %s", spec.jdbcUrl()).isNotNull();
            for (String h : p.getProperty("PGHOST").split(",")) {
                hosts.add(h);
            }
            for (String port : p.getProperty("PGPORT").split(",")) {
                ports.add(Integer.parseInt(port));
            }
            return p.getProperty("password");
        }
        ConnectionUrl url = ConnectionUrl.getConnectionUrlInstance(spec.jdbcUrl(), spec.properties());
        for (HostInfo h : url.getHostsList()) {
            hosts.add(h.getHost());
            ports.add(h.getPort());
        }
        return url.getMainHost().getPassword();
    }

    private static List<String> normalise(List<String> hosts) {
        return hosts.stream().map(h -> {
            String n = h.toLowerCase(Locale.ROOT);
            return n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
        }).toList();
    }

    /** The password as it is written in the URL (percent-encoded or not). */
    private static String writtenPassword(String url, String password) {
        int sep = url.indexOf("://") + 3;
        int colon = url.indexOf(':', sep);
        int at = url.lastIndexOf('@');
        if (!url.startsWith("jdbc:") && colon > 0 && at > colon) {
            return url.substring(colon + 1, at);
        }
        return URLEncoder.encode(password, StandardCharsets.UTF_8);
    }

    // ---- generators ---------------------------------------------------------------------------

    @Provide
    Arbitrary<Case> urls() {
        Arbitrary<String> backend = Arbitraries.of("postgresql", "mysql");
        Arbitrary<Boolean> jdbc = Arbitraries.of(true, false);
        Arbitrary<List<String[]>> hosts = host().list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> user = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> db = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        return Combinators.combine(backend, jdbc, hosts, user, password(), db, Arbitraries.randoms())
                .as(UrlAgreementPropertyTest::build);
    }

    /** A password that starts with "Pw" (upper case appears nowhere else in a URL) and holds awkward characters. */
    private Arbitrary<String> password() {
        Arbitrary<Character> awkward = Arbitraries.of('@', '/', ':', '%', '?', '#', '+', '&', ';', '=', ' ', ',', '!',
                '$', '*', '(', ')', '[', ']', '~', 'é', 'ß', '€');
        Arbitrary<Character> plain = Arbitraries.chars().alpha().numeric();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, plain), net.jqwik.api.Tuple.of(2, awkward))
                .list().ofMinSize(4).ofMaxSize(16)
                .map(cs -> {
                    StringBuilder sb = new StringBuilder("Pw");
                    cs.forEach(sb::append);
                    return sb.toString();
                });
    }

    /** {name, port or null, kind}: a name, an IPv4 address or an IPv6 address. */
    private Arbitrary<String[]> host() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("localhost", "db.example.com", "db-1.internal", "127.0.0.1", "10.1.2.3"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
                Arbitraries.of("::1", "2001:db8::5", "fe80::1:2"));
        Arbitrary<Integer> port = Arbitraries.oneOf(Arbitraries.integers().between(1, 65535).map(i -> (Integer) i),
                Arbitraries.just((Integer) null));
        return Combinators.combine(name, port).as((n, p) -> new String[] {n, p == null ? null : String.valueOf(p)});
    }

    private static Case build(String backend, boolean jdbc, List<String[]> hosts, String user, String password,
                              String db, java.util.Random random) {
        List<String> names = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (String[] h : hosts) {
            names.add(h[0]);
            ports.add(h[1] == null ? null : Integer.parseInt(h[1]));
            String n = h[0].contains(":") ? "[" + h[0] + "]" : h[0];
            written.add(h[1] == null ? n : n + ":" + h[1]);
        }
        String hostList = String.join(",", written);
        String url;
        if (jdbc) {
            String scheme = backend.equals("postgresql") ? "jdbc:postgresql://" : (random.nextBoolean() ? "jdbc:mysql://" : "jdbc:mariadb://");
            url = scheme + hostList + "/" + db + "?user=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        } else {
            String scheme = backend.equals("postgresql") ? (random.nextBoolean() ? "postgresql://" : "postgres://")
                    : (random.nextBoolean() ? "mysql://" : "mariadb://");
            url = scheme + user + ":" + encodeUserInfo(password, random) + "@" + hostList + "/" + db;
        }
        return new Case(url, backend, names, ports, user, password, jdbc);
    }

    /**
     * Percent-encodes what must be ('%', '?', '#', and a space: in free text a URL ends at whitespace,
     * so a raw space would cut the password off from its URL), and at random some other characters too.
     */
    private static String encodeUserInfo(String password, java.util.Random random) {
        StringBuilder sb = new StringBuilder();
        password.codePoints().forEach(cp -> {
            boolean must = cp == '%' || cp == '?' || cp == '#' || cp == ' ';
            if (must || (cp != 'P' && cp != 'w' && random.nextInt(4) == 0)) {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}

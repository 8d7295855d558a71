package io.venomqa.core;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void locationIsWhatFollowsTheSchemeUpToTheQuery() {
        assertThat(DatabaseUrl.parse("memory://readme").location()).isEqualTo("//readme");
        assertThat(DatabaseUrl.parse("memory:shop?x=1").location()).isEqualTo("shop");
        assertThat(DatabaseUrl.parse("sqlite:///build/qa.db").location()).isEqualTo("///build/qa.db");
        assertThat(DatabaseUrl.parse("jdbc:sqlite:file.db?journal_mode=wal").location()).isEqualTo("file.db");
        assertThat(DatabaseUrl.parse("memory:").location()).isEmpty();
    }

    @Test
    @DisplayName("the seed's URI form is taken apart, user info percent-decoded, plus signs kept")
    void uriForm() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://qa:s%40cr+t%25@db.local:5433/qa_test?pool_size=10&sslmode=require");
        assertThat(u.scheme()).isEqualTo("postgresql");
        assertThat(u.isJdbc()).isFalse();
        assertThat(u.user()).isEqualTo("qa");
        assertThat(u.password()).isEqualTo("s@cr+t%");
        assertThat(u.host()).isEqualTo("db.local");
        assertThat(u.port()).isEqualTo(5433);
        assertThat(u.database()).isEqualTo("qa_test");
        assertThat(u.parameters()).containsEntry("pool_size", "10").containsEntry("sslmode", "require");
        assertThat(u.toString()).isEqualTo("postgresql://qa:***@db.local:5433/qa_test?pool_size=10&sslmode=require");
    }

    @Test
    @DisplayName("an unencoded '@' or '/' in the password, IPv6 hosts, missing parts")
    void awkwardAuthorities() {
        DatabaseUrl at = DatabaseUrl.parse("mysql://root:p@ss/w@127.0.0.1:3306/test");
        assertThat(at.password()).isEqualTo("p@ss/w");
        assertThat(at.host()).isEqualTo("127.0.0.1");
        assertThat(at.masked()).doesNotContain("p@ss");

        DatabaseUrl v6 = DatabaseUrl.parse("postgresql://[::1]:5432/db");
        assertThat(v6.host()).isEqualTo("[::1]");
        assertThat(v6.port()).isEqualTo(5432);
        assertThat(v6.user()).isNull();

        DatabaseUrl bare = DatabaseUrl.parse("postgres://localhost");
        assertThat(bare.port()).isNull();
        assertThat(bare.database()).isNull();
        assertThat(bare.password()).isNull();

        DatabaseUrl stray = DatabaseUrl.parse("postgres://u:100%@h/d");
        assertThat(stray.password()).isEqualTo("100%");
    }

    @Test
    @DisplayName("jdbc: URLs are left whole for the driver; other forms keep their scheme")
    void otherForms() {
        DatabaseUrl j = DatabaseUrl.parse("jdbc:postgresql://h/db?user=a&password=secret");
        assertThat(j.isJdbc()).isTrue();
        assertThat(j.scheme()).isEqualTo("jdbc:postgresql");
        assertThat(j.original()).isEqualTo("jdbc:postgresql://h/db?user=a&password=secret");
        assertThat(j.toString()).doesNotContain("secret");

        DatabaseUrl s = DatabaseUrl.parse("sqlite:relative.db");
        assertThat(s.scheme()).isEqualTo("sqlite");
        assertThat(s.isHierarchical()).isFalse();
    }

    @Test
    @DisplayName("unreadable URLs fail with the URL masked")
    void errors() {
        assertThatThrownBy(() -> DatabaseUrl.parse("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db_url is missing");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h:54x2/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a number").hasMessageContaining("u:***@h")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h:70000/db")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@[::1/db"))
                .hasMessageContaining("IPv6 host without its closing ']'").hasMessageNotContaining("topsecret");
    }

    @Test
    @DisplayName("several hosts, IPv6 in brackets, jdbc: authorities and embedded URLs")
    void hosts() {
        DatabaseUrl multi = DatabaseUrl.parse("postgresql://u:p@h1:5432,[2001:db8::5],127.0.0.1:5434/db");
        assertThat(multi.hosts()).containsExactly(new DatabaseUrl.Host("h1", 5432), new DatabaseUrl.Host("2001:db8::5", null),
                new DatabaseUrl.Host("127.0.0.1", 5434));
        assertThat(multi.host()).isEqualTo("h1");
        assertThat(multi.hostList(5432)).isEqualTo("h1:5432,[2001:db8::5]:5432,127.0.0.1:5434");
        assertThat(multi.hostList()).isEqualTo("h1:5432,[2001:db8::5],127.0.0.1:5434");

        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://a:1,b/db?user=x&password=y");
        assertThat(jdbc.hosts()).containsExactly(new DatabaseUrl.Host("a", 1), new DatabaseUrl.Host("b", null));
        assertThat(jdbc.password()).isNull();
        assertThat(DatabaseUrl.parse("jdbc:h2:tcp://dbhost:9092/~/test").hosts()).containsExactly(new DatabaseUrl.Host("dbhost", 9092));
        assertThat(DatabaseUrl.parse("jdbc:mysql://address=(host=h)(port=1)/db").hosts())
                .as("a host list we cannot read is one unreadable host").containsExactly(new DatabaseUrl.Host("", null));
        assertThat(DatabaseUrl.parse("postgresql:///db").hosts()).isEmpty();

        for (String embedded : new String[] {"sqlite:///x.db", "jdbc:sqlite::memory:", "jdbc:h2:mem:t", "h2:./db", "memory://shop"}) {
            assertThat(DatabaseUrl.parse(embedded).isEmbedded()).as(embedded).isTrue();
            assertThat(DatabaseUrl.parse(embedded).hosts()).as(embedded).isEmpty();
        }
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:secretpw@::1:5432/db"))
                .hasMessageContaining("IPv6 host without brackets").hasMessageNotContaining("secretpw");
    }

    @Test
    @DisplayName("masking uses the parser's user-info rule, and hides more, never less, when the URL is ambiguous")
    void masking() {
        assertThat(DatabaseUrl.mask("mysql://root:p@ss/w@127.0.0.1:3306/test")).isEqualTo("mysql://root:***@127.0.0.1:3306/test");
        assertThat(DatabaseUrl.mask("postgresql://qa:Pw?x#y@db/x")).isEqualTo("postgresql://qa:***@db/x");
        assertThat(DatabaseUrl.mask("jdbc:h2:mem:x;USER=sa;PASSWORD=secret")).isEqualTo("jdbc:h2:mem:x;USER=sa;PASSWORD=***");
        assertThat(DatabaseUrl.mask(null)).isNull();
    }
}

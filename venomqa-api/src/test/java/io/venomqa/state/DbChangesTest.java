package io.venomqa.state;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The row events of a window folded into each row's net change; not-tracked never reads as empty. */
class DbChangesTest {

    private static final List<String> ID = List.of("id");

    private static Map<String, String> row(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void eventsOfOneRowFoldIntoItsNetChange() {
        DbChanges c = DbChanges.builder()
                .inserted("orders", ID, row("id", "1", "status", "NEW"))
                .updated("orders", ID, row("id", "1", "status", "NEW"), row("id", "1", "status", "PAID"))
                .inserted("carts", ID, row("id", "9", "n", "1"))
                .deleted("carts", ID, row("id", "9", "n", "1"))
                .updated("items", ID, row("id", "2", "q", "1"), row("id", "2", "q", "2"))
                .updated("items", ID, row("id", "2", "q", "2"), row("id", "2", "q", "3"))
                .updated("items", ID, row("id", "3", "q", "1"), row("id", "3", "q", "1"))
                .deleted("users", ID, row("id", "4", "name", "a"))
                .inserted("users", ID, row("id", "4", "name", "b"))
                .build();
        assertThat(c.summary()).isEqualTo("~1 items  +1 orders  ~1 users");
        assertThat(c.table("orders").orElseThrow().inserted().get(0).after()).containsEntry("status", "PAID");
        RowChange item = c.table("items").orElseThrow().updated().get(0);
        assertThat(item.before()).containsEntry("q", "1");
        assertThat(item.after()).containsEntry("q", "3");
        assertThat(item.changed()).containsExactly("q");
        assertThat(c.table("users").orElseThrow().updated().get(0).changed()).containsExactly("name");
        assertThat(c.table("carts")).isEmpty();
    }

    @Test
    void secretColumnsAreMaskedButTheirChangeIsKnown() {
        DbChanges c = DbChanges.builder().updated("users", ID, row("id", "1", "password_hash", "x1", "api_key", "k"),
                row("id", "1", "password_hash", "x2", "api_key", "k")).build();
        RowChange r = c.table("users").orElseThrow().updated().get(0);
        assertThat(r.changed()).containsExactly("password_hash");
        assertThat(r.before()).containsEntry("password_hash", "***").containsEntry("api_key", "***");
        assertThat(c.toString()).doesNotContain("x1").doesNotContain("x2");
    }

    @Test
    void aTableWithoutKeyKeepsEveryEvent() {
        DbChanges c = DbChanges.builder().inserted("log", List.of(), row("m", "a")).inserted("log", List.of(), row("m", "a"))
                .build();
        assertThat(c.inserted("log")).isEqualTo(2);
        assertThat(c.table("log").orElseThrow().inserted().get(0).keyText()).isEqualTo("m=a");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a table without key: a row changed and changed back, or inserted and deleted, is no change; "
            + "a row changed twice is one update from its first image to its last")
    void aTableWithoutKeyFoldsEventsOfOneImage() {
        List<String> none = List.of();
        DbChanges c = DbChanges.builder()
                .updated("log", none, row("m", "a"), row("m", "b")).updated("log", none, row("m", "b"), row("m", "a"))
                .inserted("log", none, row("m", "x")).deleted("log", none, row("m", "x"))
                .deleted("log", none, row("m", "y")).inserted("log", none, row("m", "y"))
                .updated("notes", none, row("m", "1"), row("m", "2")).updated("notes", none, row("m", "2"), row("m", "3"))
                .inserted("notes", none, row("m", "d")).inserted("notes", none, row("m", "d")).deleted("notes", none, row("m", "d"))
                .build();
        assertThat(c.table("log")).as("%s", c).isEmpty();
        TableChanges notes = c.table("notes").orElseThrow();
        assertThat(notes.updated()).singleElement().satisfies(r -> {
            assertThat(r.before()).containsEntry("m", "1");
            assertThat(r.after()).containsEntry("m", "3");
        });
        assertThat(notes.inserted()).as("two equal rows inserted, one deleted").singleElement()
                .satisfies(r -> assertThat(r.after()).containsEntry("m", "d"));
        assertThat(notes.deleted()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("keys moved within one statement (a deferred key): each row keeps its own change")
    void keysShiftedWithinOneStatementStayApart() {
        DbChanges c = DbChanges.builder()
                .updated("sh", ID, row("id", "1", "v", "a"), row("id", "2", "v", "a"))
                .updated("sh", ID, row("id", "2", "v", "b"), row("id", "3", "v", "b"))
                .updated("sh", ID, row("id", "3", "v", "c"), row("id", "4", "v", "c"))
                .build();
        assertThat(c.table("sh").orElseThrow().updated()).extracting(r -> r.before().get("id") + r.before().get("v")
                + ">" + r.after().get("id") + r.after().get("v")).containsExactly("1a>2a", "2b>3b", "3c>4c");
    }

    @Test
    void notTrackedIsNeverEmptyAndSaysWhy() {
        DbChanges c = DbChanges.notTracked("no journal");
        assertThat(c.isEmpty()).isFalse();
        assertThat(c.tracked()).isFalse();
        assertThat(c.summary()).isEqualTo("changes not tracked: no journal");
        assertThat(DbChanges.none().isEmpty()).isTrue();
        assertThat(DbChanges.none().summary()).isEqualTo("no rows changed");
        assertThatThrownBy(() -> DbChanges.notTracked(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowsFollowedByLaterOnesFoldIntoOneNetChange() {
        DbChanges first = DbChanges.builder()
                .inserted("orders", ID, row("id", "1", "status", "NEW"))
                .inserted("carts", ID, row("id", "9", "n", "1"))
                .updated("items", ID, row("id", "2", "q", "1"), row("id", "2", "q", "2"))
                .updated("stock", ID, row("id", "5", "n", "1"), row("id", "5", "n", "2"))
                .deleted("users", ID, row("id", "4", "name", "a"))
                .updated("accounts", ID, row("id", "7", "password", "p1"), row("id", "7", "password", "p2"))
                .inserted("log", List.of(), row("m", "a"))
                .note("a note")
                .build();
        DbChanges second = DbChanges.builder()
                .updated("orders", ID, row("id", "1", "status", "NEW"), row("id", "1", "status", "PAID"))
                .deleted("carts", ID, row("id", "9", "n", "1"))
                .updated("items", ID, row("id", "2", "q", "2"), row("id", "2", "q", "1"))
                .deleted("stock", ID, row("id", "5", "n", "2"))
                .inserted("users", ID, row("id", "4", "name", "b"))
                .updated("accounts", ID, row("id", "7", "password", "p2"), row("id", "7", "password", "p3"))
                .deleted("log", List.of(), row("m", "a"))
                .inserted("orders", ID, row("id", "2", "status", "NEW"))
                .build();

        DbChanges net = first.then(second);

        // The row of log (no key) inserted by the first window and deleted by the second: no change.
        assertThat(net.summary()).isEqualTo("~1 accounts  +2 orders  -1 stock  ~1 users");
        assertThat(net.table("orders").orElseThrow().inserted().get(0).after()).containsEntry("status", "PAID");
        assertThat(net.table("stock").orElseThrow().deleted().get(0).before()).containsEntry("n", "1");
        RowChange user = net.table("users").orElseThrow().updated().get(0);
        assertThat(user.before()).containsEntry("name", "a");
        assertThat(user.after()).containsEntry("name", "b");
        assertThat(user.changed()).containsExactly("name");
        // Masked values cannot be compared: the password still counts as changed.
        assertThat(net.table("accounts").orElseThrow().updated().get(0).changed()).containsExactly("password");
        assertThat(net.notes()).containsExactly("a note");
        assertThat(DbChanges.none().then(first)).isEqualTo(first);
        assertThat(first.then(DbChanges.none())).isEqualTo(first);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("windows followed by later ones: a row without key is followed by its image, except where a value is masked")
    void windowsFoldRowsWithoutKeyByTheirImage() {
        List<String> none = List.of();
        DbChanges net = DbChanges.builder().updated("log", none, row("m", "a"), row("m", "b"))
                .inserted("log", none, row("m", "x")).inserted("log", none, row("m", "x"))
                .inserted("vault", none, row("m", "v", "token", "t1")).build()
                .then(DbChanges.builder().updated("log", none, row("m", "b"), row("m", "c"))
                        .deleted("log", none, row("m", "x"))
                        .deleted("vault", none, row("m", "v", "token", "t2")).build());
        TableChanges log = net.table("log").orElseThrow();
        assertThat(log.updated()).singleElement().satisfies(r -> {
            assertThat(r.before()).containsEntry("m", "a");
            assertThat(r.after()).containsEntry("m", "c");
            assertThat(r.changed()).containsExactly("m");
        });
        assertThat(log.inserted()).as("two equal rows inserted, one deleted").hasSize(1);
        assertThat(log.deleted()).isEmpty();
        assertThat(net.table("vault").orElseThrow().count()).as("masked images cannot be compared: kept").isEqualTo(2);
    }

    @Test
    void aWindowNotTrackedMakesTheWholeNotTracked() {
        DbChanges some = DbChanges.builder().inserted("orders", ID, row("id", "1")).build();
        assertThat(some.then(DbChanges.notTracked("off")).notTrackedReason()).contains("off");
        assertThat(DbChanges.notTracked("first").then(DbChanges.notTracked("second")).notTrackedReason()).contains("first");
        assertThat(DbChanges.notTracked("off").then(some).tracked()).isFalse();
    }

    @Test
    void secretFieldsInAColumnOfJsonAreMasked() {
        DbChanges changes = DbChanges.builder()
                .inserted("users", List.of("id"), Map.of("id", "1", "profile", "{\"name\": \"qa\", \"api_key\": \"k-1\"}"))
                .updated("users", List.of("id"), Map.of("id", "2", "profile", "{\"api_key\": \"k-2\"}"),
                        Map.of("id", "2", "profile", "{\"api_key\": \"k-3\"}"))
                .build();
        RowChange inserted = changes.table("users").orElseThrow().inserted().get(0);
        assertThat(inserted.after().get("profile")).isEqualTo("{\"name\": \"qa\", \"api_key\": \"***\"}");
        RowChange updated = changes.table("users").orElseThrow().updated().get(0);
        assertThat(updated.before().get("profile") + updated.after().get("profile")).doesNotContain("k-2", "k-3");
        assertThat(updated.changed()).as("the secret field changed: still known").containsExactly("profile");
    }
    @Test
    void secretFieldsOfAStoredQueryStringAreMasked() {
        DbChanges changes = DbChanges.builder()
                .inserted("requests", List.of("id"), Map.of("id", "1", "name", "api_key=SeCrEtQ1&access_token=SeCrEtQ2&page=2"))
                .inserted("requests", List.of("id"), Map.of("id", "2", "name", "a=b and c=d, not a form"))
                .build();
        List<RowChange> rows = changes.table("requests").orElseThrow().inserted();
        assertThat(rows.get(0).after().get("name")).isEqualTo("api_key=***&access_token=***&page=2");
        assertThat(rows.get(1).after().get("name")).isEqualTo("a=b and c=d, not a form");
        assertThat(changes.toString()).doesNotContain("SeCrEtQ");
    }
}

package io.venomqa.state.spi;

import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableSelectionTest {

    final List<String> store = List.of("users", "orders", "flyway_schema_history", "schema_version", "knex_migrations",
            "knex_migrations_lock", "SequelizeMeta", "goose_db_version", "__EFMigrationsHistory", "venomqa_journal",
            "audit");

    @Test
    @DisplayName("by default every table but the migration tables (13 tools' names) and VenomQA's own")
    void defaults() {
        TableSelection s = TableSelection.of(store, List.of(), List.of());
        assertThat(s.toReset()).containsExactly("users", "orders", "audit");
        assertThat(s.kept()).containsEntry("SequelizeMeta", "a migration table")
                .containsEntry("__EFMigrationsHistory", "a migration table")
                .containsEntry("schema_version", "a migration table")
                .containsEntry("venomqa_journal", "one of VenomQA's own tables");
        assertThat(TableSelection.builtInExclusion("sequelizemeta")).contains("a migration table");
    }

    @Test
    @DisplayName("a table named with VenomQA's prefix but none of its own is a lookalike (the backends warn about it); VenomQA's own and other names are not")
    void lookalikes() {
        assertThat(TableSelection.lookalike("venomqa_orders")).isTrue();
        assertThat(TableSelection.lookalike("VenomQA_Journal_X")).isTrue();
        assertThat(TableSelection.lookalike("VENOMQA_JOURNAL")).isFalse();
        assertThat(TableSelection.lookalike("venomqa_run")).isFalse();
        assertThat(TableSelection.lookalike("orders_venomqa_")).isFalse();
        assertThat(TableSelection.builtInExclusion("venomqa_orders")).contains("one of VenomQA's own tables");
    }

    @Test
    @DisplayName("exclude_tables keeps tables (ignoring case); tables_to_reset is the whole set")
    void configured() {
        StateConfig config = StateConfig.builder().backend("memory").url("memory://t").excludeTables(List.of("AUDIT")).build();
        TableSelection s = TableSelection.of(store, config);
        assertThat(s.toReset()).containsExactly("users", "orders");
        assertThat(s.kept()).containsEntry("audit", "listed in exclude_tables");

        TableSelection only = TableSelection.of(store, List.of("Orders"), List.of());
        assertThat(only.toReset()).containsExactly("orders");
        assertThat(only.kept()).containsEntry("users", "not listed in tables_to_reset");
    }

    @Test
    @DisplayName("wrong names are errors naming them, never a silent empty or full reset")
    void errors() {
        assertThatThrownBy(() -> TableSelection.of(store, List.of("nope"), List.of()))
                .isInstanceOf(ResetException.class).hasMessageContaining("tables_to_reset names 'nope', which does not exist");
        assertThatThrownBy(() -> TableSelection.of(store, List.of("knex_migrations"), List.of()))
                .isInstanceOf(ResetException.class).hasMessageContaining("is a migration table and is never reset");
        assertThatThrownBy(() -> TableSelection.of(store, List.of(), List.of("use*")))
                .isInstanceOf(ResetException.class).hasMessageContaining("wildcards (*, ?, %) are not expanded");
        assertThat(TableSelection.of(store, List.of(), List.of("no_such")).toReset()).contains("users");
    }
    @Test
    @DisplayName("an exclude_tables name spelled almost like a table that would be emptied is refused with the table named; one like no such table still excludes nothing")
    void typoInExcludeTablesIsRefused() {
        List<String> tables = List.of("items", "orders", "audit");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TableSelection.of(tables, List.of(), List.of("itemz")))
                .isInstanceOf(io.venomqa.state.ResetException.class)
                .hasMessageContaining("exclude_tables names 'itemz', which is no table; did you mean 'items'?")
                .hasMessageContaining("Nothing was reset");
        assertThat(TableSelection.of(tables, List.of(), List.of("flyway_later_table")).toReset())
                .containsExactly("items", "orders", "audit");
        assertThat(TableSelection.of(tables, List.of(), List.of("Items", "itemz")).toReset())
                .as("a near name of a table kept anyway is no typo that empties it").containsExactly("orders", "audit");
    }
}

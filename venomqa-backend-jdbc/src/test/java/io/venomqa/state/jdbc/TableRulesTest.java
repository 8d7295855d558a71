package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.spi.ForeignKeyInfo;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.ResetException;
import io.venomqa.state.jdbc.internal.TableRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reset planning on hand-made schemas: exclusions, foreign keys, ordering, messages. */
class TableRulesTest {

    private static ForeignKeyInfo fk(String from, String to) {
        return new ForeignKeyInfo(from + "_" + to + "_fk", from, List.of(to + "_id"), to, List.of("id"));
    }

    private static SchemaInfo schema(TableInfo... tables) {
        Map<String, TableInfo> m = new LinkedHashMap<>();
        for (TableInfo t : tables) {
            m.put(t.name(), t);
        }
        return new SchemaInfo("public", m);
    }

    private static TableInfo table(String name, ForeignKeyInfo... fks) {
        return new TableInfo(name, List.of(fks), List.of("id"));
    }

    private final SchemaInfo shop = schema(
            table("users"),
            table("orders", fk("orders", "users")),
            table("order_items", fk("order_items", "orders")),
            table("categories", fk("categories", "categories")),
            table("flyway_schema_history"), table("databasechangelog"), table("databasechangeloglock"),
            table("alembic_version"), table("django_migrations"), table("schema_migrations"),
            table("_prisma_migrations"), table("venomqa_journal"), table("VENOMQA_Positions"),
            table("schema_version"), table("knex_migrations"), table("knex_migrations_lock"), table("SequelizeMeta"),
            table("goose_db_version"), table("__EFMigrationsHistory"));

    @Test
    @DisplayName("by default every table but migration and VenomQA tables, children before parents")
    void defaults() {
        ResetPlan plan = TableRules.plan(shop, List.of(), List.of(), true);
        List<String> names = plan.tableNames();
        assertThat(names).containsExactlyInAnyOrder("order_items", "orders", "users", "categories");
        assertThat(names.indexOf("order_items")).isLessThan(names.indexOf("orders"));
        assertThat(names.indexOf("orders")).isLessThan(names.indexOf("users"));
        assertThat(plan.excluded()).contains("flyway_schema_history", "_prisma_migrations", "venomqa_journal",
                "VENOMQA_Positions", "django_migrations", "alembic_version", "schema_migrations",
                // issue 12: Flyway before 5, Knex, Sequelize, goose, Entity Framework
                "schema_version", "knex_migrations", "knex_migrations_lock", "SequelizeMeta", "goose_db_version",
                "__EFMigrationsHistory");
    }

    @Test
    @DisplayName("names are exact: an exclude_tables pattern matching no table is refused, a table really named so is excluded")
    void wildcardsAreNotExpanded() {
        assertThatThrownBy(() -> TableRules.plan(shop, List.of(), List.of("order*"), true))
                .isInstanceOf(ResetException.class).hasMessageContaining("exclude_tables names 'order*'")
                .hasMessageContaining("wildcards (*, ?, %) are not expanded");
        assertThatThrownBy(() -> TableRules.plan(shop, List.of("user%"), List.of(), true))
                .isInstanceOf(ResetException.class).hasMessageContaining("wildcards");
        SchemaInfo odd = schema(table("a*b"), table("c"));
        assertThat(TableRules.plan(odd, List.of(), List.of("a*b"), true).tableNames()).containsExactly("c");
        assertThat(TableRules.plan(shop, List.of(), List.of("no_such_table"), true).tableNames())
                .as("a plain unknown name still excludes nothing, quietly").contains("users");
    }

    @Test
    @DisplayName("tables_to_reset limits the set, found case-insensitively")
    void tablesToReset() {
        ResetPlan plan = TableRules.plan(shop, List.of("ORDERS", "order_items"), List.of(), true);
        assertThat(plan.tableNames()).containsExactly("order_items", "orders");
    }

    @Test
    @DisplayName("tables_to_reset naming a missing table: the name and the tables that exist")
    void missingTable() {
        assertThatThrownBy(() -> TableRules.plan(shop, List.of("orders", "invoices"), List.of(), true))
                .isInstanceOf(ResetException.class)
                .hasMessageContaining("'invoices', which does not exist in schema 'public'")
                .hasMessageContaining("users, orders, order_items");
    }

    @Test
    @DisplayName("tables_to_reset naming a migration table or an excluded table is refused")
    void resetListNamesExcludedTable() {
        assertThatThrownBy(() -> TableRules.plan(shop, List.of("flyway_schema_history"), List.of(), true))
                .hasMessageContaining("a migration table");
        assertThatThrownBy(() -> TableRules.plan(shop, List.of("orders", "order_items"), List.of("orders"), true))
                .hasMessageContaining("listed in exclude_tables");
    }

    @Test
    @DisplayName("an excluded child of a reset table stops the plan, naming both; not when keys are not enforced")
    void excludedChild() {
        assertThatThrownBy(() -> TableRules.plan(shop, List.of(), List.of("orders"), true))
                .isInstanceOf(ResetException.class)
                .hasMessageContaining("Cannot reset table 'users'")
                .hasMessageContaining("table 'orders' (listed in exclude_tables)");
        assertThatThrownBy(() -> TableRules.plan(shop, List.of("users"), List.of(), true))
                .hasMessageContaining("table 'orders' (not listed in tables_to_reset)");
        assertThat(TableRules.plan(shop, List.of("users"), List.of(), false).tableNames()).containsExactly("users");
    }

    @Test
    @DisplayName("a foreign-key cycle keeps every table in the plan")
    void cycle() {
        SchemaInfo s = schema(table("a", fk("a", "b")), table("b", fk("b", "a")), table("c", fk("c", "a")));
        assertThat(TableRules.plan(s, List.of(), List.of(), true).tableNames()).containsExactly("c", "a", "b");
    }

    @Test
    @DisplayName("tracked tables follow the same exclusions, independent of tables_to_reset")
    void tracked() {
        assertThat(TableRules.tracked(shop, List.of("categories")).stream().map(TableInfo::name))
                .containsExactly("users", "orders", "order_items");
    }
}

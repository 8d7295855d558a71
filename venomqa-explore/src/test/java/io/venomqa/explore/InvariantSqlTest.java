package io.venomqa.explore;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvariantSqlTest {

    @Test
    @DisplayName("a query that answers a bare count is refused, with the query that says 'none may match'")
    void aBareCountIsRefused() {
        // It would hold in exactly the state with one bad row (1 reads as true) and fail in every healthy one.
        assertThatThrownBy(() -> Invariant.sql("balance never negative", "select count(*) from accounts where balance < 0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invariant 'balance never negative': its query answers a count")
                .hasMessageEndingWith("write: select count(*) = 0 from accounts where balance < 0");
        assertThatThrownBy(() -> Invariant.sql("x", Severity.LOW, "  SELECT COUNT( DISTINCT coalesce(a, b) ) AS n\n FROM t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("write: SELECT COUNT( DISTINCT coalesce(a, b) ) = 0 AS n\n FROM t");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "select count(*) = 0 from items where stock < 0",
            "select count(*) <= 1 from admins",
            "select not exists (select 1 from items where stock < 0)",
            "select (select count(*) from a) = (select count(*) from b)",
            "select count(*) filter (where stock < 0) = 0 from items"})
    @DisplayName("queries that answer true or false are taken")
    void truthValuedQueriesAreTaken(String query) {
        assertThat(Invariant.sql("ok", query).sqlQuery()).isEqualTo(query);
    }
}

package io.venomqa.state.journal.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerWritesTest {

    @Test
    void findsQualifiedAndUnqualifiedWriteTargetsOnce() {
        String body = """
                begin
                  insert into audit.events (order_id, what) values (new.id, 'made');
                  INSERT INTO "Audit Log"."Big ""One\"\"" values (1);
                  update   stock set qty = qty - 1 where id = new.item_id;
                  delete from archive.old_orders where id = new.id;
                  insert into audit . events values (2);
                  -- merge into later.t when …
                  return new;
                end""";
        assertThat(TriggerWrites.in(body, true)).containsExactly(new TriggerWrites.Target("audit", "events"),
                new TriggerWrites.Target("Audit Log", "Big \"One\""), new TriggerWrites.Target(null, "stock"),
                new TriggerWrites.Target("archive", "old_orders"), new TriggerWrites.Target("later", "t"));
    }

    @Test
    void mysqlBackquotesReplaceAndIgnoreKeepTheirCase() {
        String body = "BEGIN INSERT IGNORE INTO `other_db`.`Hits` SET n = 1; REPLACE INTO Totals VALUES (1); "
                + "UPDATE other_db.Stats SET n = n + 1; END";
        assertThat(TriggerWrites.in(body, false)).containsExactly(new TriggerWrites.Target("other_db", "Hits"),
                new TriggerWrites.Target(null, "Totals"), new TriggerWrites.Target("other_db", "Stats"));
    }

    @Test
    void readsAndEventWordsAreNoTargets() {
        assertThat(TriggerWrites.in("select * from audit.events where x = 1; perform 1", true)).isEmpty();
        assertThat(TriggerWrites.in(null, true)).isEmpty();
    }
}

package io.venomqa.state.journal.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a trigger's body starts in the text MariaDB's SHOW CREATE TRIGGER gives (no database needed). */
class MySqlTriggerHeadTest {

    private static String body(String definition) {
        int start = MySqlTriggerHead.bodyStart(definition);
        return start < 0 ? null : definition.substring(start);
    }

    @Test
    @DisplayName("the forms MariaDB stores: quoting by backticks or ANSI quotes, odd spacing and case, line breaks, qualified names, IF NOT EXISTS, a role as definer")
    void heads() {
        assertThat(body("CREATE DEFINER=`root`@`127.0.0.1` trigger t1 before update on item for each row set new.a = 1"))
                .isEqualTo("set new.a = 1");
        assertThat(body("CREATE DEFINER=\"root\"@\"%\" Trigger   `a ``b`  AFTER  insert ON \"db\".\"it em\" FOR each\nROW\n  begin end"))
                .isEqualTo("begin end");
        assertThat(body("CREATE DEFINER=`app`@`localhost` TRIGGER IF NOT EXISTS db.t2 AFTER DELETE ON t FOR EACH ROW "
                + "insert into audit values (old.id) -- trail")).isEqualTo("insert into audit values (old.id) -- trail");
        assertThat(body("CREATE DEFINER=`admin_role` TRIGGER t3 BEFORE INSERT ON t FOR EACH ROW set new.x = 'ROW '"))
                .isEqualTo("set new.x = 'ROW '");
        assertThat(body("CREATE DEFINER=`u`@`h` TRIGGER été BEFORE INSERT ON tàble FOR EACH ROW set new.x = 1"))
                .isEqualTo("set new.x = 1");
    }

    @Test
    @DisplayName("anything else is refused (-1) rather than guessed: a comment in the head, no body, another statement")
    void refused() {
        assertThat(body("CREATE DEFINER=`u`@`h` TRIGGER /* c */ t BEFORE INSERT ON t FOR EACH ROW set new.x = 1")).isNull();
        assertThat(body("CREATE DEFINER=`u`@`h` TRIGGER t BEFORE INSERT ON t FOR EACH ROW")).isNull();
        assertThat(body("CREATE DEFINER=`u`@`h` TRIGGER t BEFORE INSERT ON t FOR EACH ROWS set x = 1")).isNull();
        assertThat(body("CREATE DEFINER=`u`@`h` PROCEDURE p() select 1")).isNull();
        assertThat(body("CREATE TRIGGER t BEFORE INSERT ON t FOR EACH ROW set new.x = 1")).isNull();
        assertThat(body("CREATE DEFINER=`u TRIGGER t BEFORE INSERT ON t FOR EACH ROW set new.x = 1")).isNull();
    }
}

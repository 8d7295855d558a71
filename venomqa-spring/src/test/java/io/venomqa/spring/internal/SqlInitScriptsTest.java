package io.venomqa.spring.internal;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Which {@code spring.sql.init} schema scripts count as start-up DDL that waits for another transaction's locks. */
class SqlInitScriptsTest {

    @Test
    void onlyStatementsThatTakeATableLockCount() {
        assertThat(SqlInitScripts.firstLocking("create table if not exists t (id int);\ninsert into t values (1);", ";")).isEmpty();
        assertThat(SqlInitScripts.firstLocking("-- drop table t;\n/* alter table t\n add x int; */ select 1;", ";")).isEmpty();
        assertThat(SqlInitScripts.firstLocking("create table if not exists t (id int);\n  ALTER TABLE t\n  ADD COLUMN x int;", ";"))
                .contains("ALTER TABLE t ADD COLUMN x int");
        assertThat(SqlInitScripts.firstLocking("create unique index i on t (id)", ";")).contains("create unique index i on t (id)");
        assertThat(SqlInitScripts.firstLocking("select 1 GO truncate t GO", "GO")).contains("truncate t");
    }

    @Test
    void scriptsRunOnlyWhenTheModeIsAlways() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.sql.init.schema-locations[0]", "optional:classpath:no-such-script.sql")
                .withProperty("spring.sql.init.schema-locations[1]", "classpath:venomqa-spring-shared-schema-init.sql");
        DefaultResourceLoader loader = new DefaultResourceLoader();
        assertThat(SqlInitScripts.lockingStatement(env, loader)).isEmpty();
        env.setProperty("spring.sql.init.mode", "embedded");
        assertThat(SqlInitScripts.lockingStatement(env, loader)).isEmpty();
        env.setProperty("spring.sql.init.mode", "ALWAYS");
        assertThat(SqlInitScripts.lockingStatement(env, loader)).contains(
                "spring.sql.init schema script class path resource [venomqa-spring-shared-schema-init.sql]: drop table if exists notifications");
    }
}

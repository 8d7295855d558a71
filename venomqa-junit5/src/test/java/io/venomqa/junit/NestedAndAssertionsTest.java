package io.venomqa.junit;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.NestedFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.UsersApiPerClass;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NestedAndAssertionsTest extends UsersApiPerClass {

    @Test
    void nestedClassesShareTheOuterManagerAndAreRolledBackToo() {
        Env.log.clear();
        db.exportAsSystemProperties("savepoint");

        var results = Kit.run(NestedFixture.class);

        Kit.assertNoContainerFailure(results);
        Kit.assertNoTestFailure(results);
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(Env.log).hasSize(2);
        String outer = Env.log.get(0);
        String inner = Env.log.get(1);
        assertThat(outer).startsWith("outer manager ").endsWith(" saw [\"seed\"]");
        assertThat(inner).startsWith("inner manager ").endsWith(" saw [\"seed\"]");
        assertThat(inner.split(" ")[2]).isEqualTo(outer.split(" ")[2]);
        assertThat(db.committedUsers()).containsExactly("seed");
    }

    @Test
    void assertPassedShowsRequestAndResponseOfEveryFailedStep() {
        JourneyRunner runner = new JourneyRunner(Client.builder(api.url()).build());
        JourneyResult result = runner.run(Journey.builder("pay")
                .step("charge", (client, ctx) -> client.post("/fail", "{\"amount\":12}"))
                .build());

        assertThatThrownBy(() -> JourneyAssertions.assertPassed(result))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Journey 'pay' failed: pay: FAILED")
                .hasMessageContaining("[main line] Step 'charge' failed: HTTP 500 from POST " + api.url() + "/fail")
                .hasMessageContaining("request:  POST " + api.url() + "/fail\n            {\"amount\":12}")
                .hasMessageContaining("response: 500 (application/json)\n            {\"error\":\"boom\"}");

        JourneyResult ok = runner.run(Journey.builder("fine").step("nothing", (client, ctx) -> null).build());
        JourneyAssertions.assertPassed(ok);
    }
}

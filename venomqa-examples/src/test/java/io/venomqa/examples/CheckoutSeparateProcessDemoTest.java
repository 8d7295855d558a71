package io.venomqa.examples;

import io.venomqa.report.ConsoleReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The second demo as the README runs it: the shop in another JVM on SQLite, the journal strategy, the exit code. */
class CheckoutSeparateProcessDemoTest {

    @Test
    void everyPathStartsFromTheSameRowsAlthoughTheShopCommitsInAnotherProcess(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = CheckoutSeparateProcessDemo.run(dir, new ConsoleReporter(out, false), out, CheckoutJourney.build());
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("checkout PASSED")
                .contains("Isolation: every path started from the same database state"
                        + " {\"users\":1,\"orders\":0,\"payments\":0,\"cart_items\":2} (card, paypal, declined_card)");
        // The journal put the identity counter back with the rows: each path's order is order 1.
        assertThat(Files.readString(dir.resolve("reports/checkout.json"))).contains("/orders/1/payments")
                .doesNotContain("/orders/2/");
    }
}

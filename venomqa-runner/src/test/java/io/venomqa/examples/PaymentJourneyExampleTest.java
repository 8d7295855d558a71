package io.venomqa.examples;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.http.Response;
import io.venomqa.journey.ArgsAction;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.Status;
import io.venomqa.state.memory.InMemoryStore;
import io.venomqa.testing.ShopApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The complete journey of README.md and docs/runner.md: the seed's payment
 * example in Java, compiled and run here. The text between the {@code tag::} and {@code end::}
 * markers must appear verbatim in the documentation.
 */
class PaymentJourneyExampleTest {

    @Test
    void paymentJourney() throws IOException {
        InMemoryStore.dropNamed("readme-shop");
        try (ShopApi shop = new ShopApi(InMemoryStore.named("readme-shop"))) {
            String baseUrl = shop.baseUrl();
            // tag::payment-journey[]
            ArgsAction pay = (client, ctx, args) -> client.post("/pay",
                    Map.of("order_id", ctx.getRequired("order_id"), "method", args.getString("method")));

            Journey checkout = Journey.builder("checkout")
                    .description("Log in, order a book, then pay three ways from the same order")
                    .step("login", (client, ctx) -> {
                        Response r = client.post("/login", Map.of("email", "qa@example.com", "password", "s3cret-pass"));
                        client.setAuthToken(r.json().get("token").asText());
                        return r;
                    })
                    .step("create_order", (client, ctx) -> {
                        Response r = client.post("/orders", Map.of("item", "book"));
                        ctx.set("order_id", r.json().get("id").asInt());
                        return r;
                    })
                    .checkpoint("order_created")
                    .branch("order_created",
                            Path.builder("card")
                                    .step("pay_card", pay, s -> s.arg("method", "card"))
                                    .build(),
                            Path.builder("paypal")
                                    .step("pay_paypal", pay, s -> s.arg("method", "paypal").retries(2))
                                    .build(),
                            Path.builder("declined")
                                    .step("pay_declined", pay, s -> s.arg("method", "declined").expectFailure())
                                    .build())
                    .step("payments_rolled_back", (client, ctx) -> client.get("/payments"))
                    .build();

            VenomQAConfig config = VenomQAConfig.parse("""
                    base_url: %s
                    db_url: memory://readme-shop
                    report_dir: target/venomqa-readme
                    """.formatted(baseUrl));
            JourneyRunner runner = config.runnerBuilder().console().build();
            JourneyResult result = runner.run(checkout);

            assert result.passed() : result.failures();
            // end::payment-journey[]

            assertThat(result.passed()).as(result.summary()).isTrue();
            assertThat(result.paths()).extracting(p -> p.path().status()).containsOnly(Status.PASSED);
            assertThat(result.step("pay_declined").message()).startsWith("Failed as expected: HTTP 402");
            // After the branch the journey continued from the checkpoint: no payment is left.
            assertThat(result.step("payments_rolled_back").response().json().get("count").asInt()).isZero();
            assertThat(shop.orderCount()).isZero(); // the runner connected the manager, so disconnecting undid it all
            assertThat(Files.exists(java.nio.file.Path.of("target/venomqa-readme/checkout.html"))).isTrue();
        } finally {
            InMemoryStore.dropNamed("readme-shop");
        }
    }

    @Test
    void documentationShowsTheExampleVerbatim() throws IOException {
        String source = Files.readString(java.nio.file.Path.of("src/test/java/io/venomqa/examples/PaymentJourneyExampleTest.java"));
        Matcher m = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        String snippet = m.group(2).stripIndent().strip();
        for (java.nio.file.Path doc : docs()) {
            assertThat(Files.readString(doc)).as("%s must contain the payment journey example verbatim", doc).contains(snippet);
        }
    }

    /** README.md, and docs/runner.md, which shows the same example with more detail. */
    private static java.util.List<java.nio.file.Path> docs() {
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        return java.util.List.of(dir.resolve("README.md"), dir.resolve("docs/runner.md"));
    }
}

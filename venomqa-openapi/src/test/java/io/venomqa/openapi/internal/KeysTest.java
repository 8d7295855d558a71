package io.venomqa.openapi.internal;

import io.venomqa.http.Client;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys and paths the generated moves compute on every call; asked twice, as the second answer comes from a cache. */
class KeysTest {

    @Test
    void foreignKeysFromEveryNamingStyleAndNoneForOtherNames() {
        for (int round = 0; round < 2; round++) {
            assertThat(Keys.foreignKey("customerId")).isEqualTo("oa:customer.id");
            assertThat(Keys.foreignKey("customer_id")).isEqualTo("oa:customer.id");
            assertThat(Keys.foreignKey("order-item-uuid")).isEqualTo("oa:orderitem.uuid");
            assertThat(Keys.foreignKey("APIKey")).as("an acronym is one word").isEqualTo("oa:api.key");
            assertThat(Keys.foreignKey("name")).as("not a foreign key, round %d", round).isNull();
            assertThat(Keys.foreignKey("id")).as("a bare id names no other resource").isNull();
        }
        assertThat(Keys.words("orderItemID2")).containsExactly("order", "item", "id2");
        assertThat(Keys.pathParam("/customers/{id}", "id")).isEqualTo("oa:customer.id");
        assertThat(Keys.pathParam("/orders/{orderId}/lines/{n}", "orderId")).isEqualTo("oa:order.id");
    }

    @Test
    void templatesMeetWhateverTheirVariablesAreCalled() {
        assertThat(ApiPlan.shape("/customers/{customerId}/orders/{id}")).isEqualTo("/customers/{}/orders/{}");
        assertThat(ApiPlan.shape("/customers")).isEqualTo("/customers");
        assertThat(ApiPlan.shape("/a/{x/y}/{}")).as("a brace that is not a variable stays").isEqualTo("/a/{x/y}/{}");
        assertThat(ApiPlan.shape("/a/{open")).isEqualTo("/a/{open");
        assertThat(Keys.singular("Categories")).isEqualTo("category");
        assertThat(Keys.singular("order-lines")).isEqualTo("orderline");
        assertThat(Keys.resourceOfSchema("Customer_Response")).isEqualTo("customer");
    }

    @Test
    void theBaseUrlsPathIsTakenOffWhateverTheBase() {
        Client withPath = Client.builder("http://localhost:8080/api/v1").build();
        Client withoutPath = Client.builder("http://localhost:8080").build();
        for (int round = 0; round < 2; round++) {
            assertThat(OperationAction.stripBase("/api/v1/orders/3", withPath)).isEqualTo("/orders/3");
            assertThat(OperationAction.stripBase("/other/orders/3", withPath)).isEqualTo("/other/orders/3");
            assertThat(OperationAction.stripBase("/api/v1/orders/3", withoutPath)).isEqualTo("/api/v1/orders/3");
        }
    }
}

package io.venomqa.journey;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One way through a {@link Branch}: a name, a description and a sequence of nodes. A path may hold
 * its own {@link Checkpoint}s and {@link Branch}es, to any depth; its checkpoints live only while
 * the path runs (they are released when it ends).
 *
 * <pre>{@code
 * Path card = Path.of("card",
 *         Step.of("pay_card", (client, ctx) -> client.post("/payments", Map.of("method", "card"))),
 *         Step.of("confirm", (client, ctx) -> client.get("/orders/" + ctx.getRequired("order_id"))));
 * Path paypal = Path.builder("paypal")
 *         .description("Pays through PayPal")
 *         .step("pay_paypal", (client, ctx) -> client.post("/payments", Map.of("method", "paypal")))
 *         .build();
 * }</pre>
 *
 * Whether the path is empty and whether its name is unique in its branch are checked when the
 * {@link Journey} is built, so the error can name the journey.
 */
public final class Path {

    private final String name;
    private final String description;
    private final List<JourneyNode> nodes;

    /** A path with the given nodes. */
    public Path(String name, String description, List<? extends JourneyNode> nodes) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A path needs a name that is not blank.");
        }
        this.name = name;
        this.description = description == null ? "" : description;
        Objects.requireNonNull(nodes, "nodes");
        for (JourneyNode n : nodes) {
            Objects.requireNonNull(n, () -> "path '" + name + "' holds a null node");
        }
        this.nodes = List.copyOf(nodes);
    }

    /** A path with the given nodes and no description. */
    public static Path of(String name, JourneyNode... nodes) {
        return new Path(name, "", Arrays.asList(nodes));
    }

    /** A fluent builder for a path, with the same node methods as {@link Journey#builder(String)}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The description, empty when none was given. */
    public String description() {
        return description;
    }

    /** The nodes, in order. */
    public List<JourneyNode> nodes() {
        return nodes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && p.name.equals(name) && p.description.equals(description) && p.nodes.equals(nodes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, nodes);
    }

    @Override
    public String toString() {
        return "Path[" + name + ", " + nodes.size() + " nodes]";
    }

    /** Builds a {@link Path}. */
    public static final class Builder extends NodeSequenceBuilder<Builder> {
        private final String name;
        private String description = "";

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Path build() {
            return new Path(name, description, nodes());
        }
    }
}

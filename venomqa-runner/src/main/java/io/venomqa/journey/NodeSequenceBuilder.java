package io.venomqa.journey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The node methods shared by {@link Journey.Builder} and {@link Path.Builder}: steps, checkpoints
 * and branches in the order they are called.
 *
 * @param <B> the concrete builder, so calls chain
 */
public abstract class NodeSequenceBuilder<B extends NodeSequenceBuilder<B>> {

    private final List<JourneyNode> nodes = new ArrayList<>();

    NodeSequenceBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Adds a step without options. */
    public B step(String name, Action action) {
        return node(Step.of(name, action));
    }

    /** Adds a step whose action receives its arguments (set them with the options variant). */
    public B step(String name, ArgsAction action) {
        return node(Step.of(name, action));
    }

    /**
     * Adds a step with options: {@code .step("pay", action, s -> s.expectFailure().timeout(Duration.ofSeconds(2)))}.
     */
    public B step(String name, Action action, Consumer<Step.Builder> options) {
        Step.Builder b = Step.builder(name).action(action);
        options.accept(b);
        return node(b.build());
    }

    /** Adds a step whose action receives its arguments, with options such as {@code s -> s.arg("method", "card")}. */
    public B step(String name, ArgsAction action, Consumer<Step.Builder> options) {
        Step.Builder b = Step.builder(name).action(action);
        options.accept(b);
        return node(b.build());
    }

    /** Adds a step built elsewhere. */
    public B step(Step step) {
        return node(step);
    }

    /** Saves the state here under {@code name}. */
    public B checkpoint(String name) {
        return node(new Checkpoint(name));
    }

    /** Saves the state here under {@code name}, with a description for reports. */
    public B checkpoint(String name, String description) {
        return node(new Checkpoint(name, description));
    }

    /** Runs each path from checkpoint {@code checkpointName}, state restored before each. */
    public B branch(String checkpointName, Path... paths) {
        return node(new Branch(checkpointName, Arrays.asList(paths)));
    }

    /** Runs each path from checkpoint {@code checkpointName}, state restored before each. */
    public B branch(String checkpointName, List<Path> paths) {
        return node(new Branch(checkpointName, paths));
    }

    /** Adds any node. */
    public B node(JourneyNode node) {
        nodes.add(Objects.requireNonNull(node, "node"));
        return self();
    }

    /** The nodes added so far, in order (a copy). */
    List<JourneyNode> nodes() {
        return List.copyOf(nodes);
    }
}

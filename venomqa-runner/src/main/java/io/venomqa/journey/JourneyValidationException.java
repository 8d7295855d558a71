package io.venomqa.journey;

import io.venomqa.core.VenomQAException;

import java.util.List;

/**
 * A journey is not well formed: a branch names a checkpoint that does not exist before it in its
 * scope, a checkpoint name is used twice in one scope, a path is empty, two paths of a branch share
 * a name. Thrown when the {@link Journey} is built, never halfway through a run. The message lists
 * every problem found, each naming the journey, the path and the node.
 */
public class JourneyValidationException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public JourneyValidationException(String journeyName, List<String> problems) {
        super(message(journeyName, problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem found, one sentence each. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String journeyName, List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid journey '" + journeyName + "': " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("Invalid journey '").append(journeyName).append("' (")
                .append(problems.size()).append(" problems):");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}

package io.venomqa.state;

import java.util.List;

/**
 * The saved states behind the active checkpoints are gone without VenomQA having removed them; for
 * the SQL backends, the transaction that held them ended, typically because a statement on the
 * manager's connection committed implicitly (DDL on H2 run through the manager's shared DataSource). What the run wrote before that statement is
 * permanent. When this is thrown, the manager has already forgotten every checkpoint
 * ({@link #lostCheckpoints()} names them); it stays connected and usable: new checkpoints work,
 * {@code reset()} starts afresh, and {@code disconnect()} rolls back what was written since.
 */
public class CheckpointsLostException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    private final List<String> lostCheckpoints;

    /** A report naming the checkpoints that were lost, oldest first. */
    public CheckpointsLostException(String message, List<String> lostCheckpoints, Throwable cause) {
        super(message, cause);
        this.lostCheckpoints = List.copyOf(lostCheckpoints);
    }

    /** The checkpoints that were active when the loss was found, oldest first. */
    public List<String> lostCheckpoints() {
        return lostCheckpoints;
    }
}

package io.venomqa.state.jdbc.spi;

import java.util.Objects;

/**
 * One result of a read-only check of a database ({@link JdbcDialect#diagnose},
 * {@link CheckpointStrategyProvider#preflight}): what was found and, for a warning or a problem,
 * what to do. {@code venomqa doctor} prints findings as they are, so all per-database knowledge
 * stays in the backend that owns it. Immutable.
 *
 * @param severity how bad it is
 * @param message  what was found, in a sentence (never a password)
 * @param fix      what to do about it (a statement to run, an option to set); empty for {@link Severity#OK}
 */
public record Finding(Severity severity, String message, String fix) {

    /** How bad a finding is. */
    public enum Severity {
        /** Checked and fine. */
        OK,
        /** Works, but not as the user may expect. */
        WARNING,
        /** VenomQA will fail or roll back less than it should until this is fixed. */
        PROBLEM
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    /** A check that passed. */
    public static Finding ok(String message) {
        return new Finding(Severity.OK, message, "");
    }

    /** Something that works, but not as the user may expect. */
    public static Finding warning(String message) {
        return new Finding(Severity.WARNING, message, "");
    }

    /** Something to fix before VenomQA can work as configured. */
    public static Finding problem(String message, String fix) {
        return new Finding(Severity.PROBLEM, message, fix);
    }
}

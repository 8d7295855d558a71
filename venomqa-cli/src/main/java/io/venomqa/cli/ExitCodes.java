package io.venomqa.cli;

/**
 * The exit codes of the {@code venomqa} command, the same for every subcommand, so CI scripts can
 * tell a failing API from a broken setup.
 */
public final class ExitCodes {

    /** Everything passed (run), nothing is wrong (doctor), the tables were emptied (reset). */
    public static final int OK = 0;
    /** A journey failed (run), an invariant was violated (explore), doctor found a problem, or the reset itself failed. */
    public static final int FAILED = 1;
    /** The command line is wrong: unknown option or command, missing value. */
    public static final int USAGE = 2;
    /** The configuration cannot be used: no or invalid venomqa.yaml, unknown backend, no journeys found,
     *  a journey that cannot be built. */
    public static final int CONFIG = 3;
    /** The database cannot be reached (reset, run, explore, replay), or the API (explore, replay: a call got no answer). */
    public static final int DATABASE = 4;
    /** Refused: reset not confirmed, or the database is not clearly a test database. */
    public static final int REFUSED = 5;

    /** The table printed at the end of every {@code --help}. */
    // Wrapped by hand within picocli's 80 columns: picocli would wrap longer lines to column 0.
    public static final String HELP_FOOTER = "%nExit codes:%n"
            + "  0  success (all journeys passed / no invariant violated / no problem found /%n"
            + "     tables emptied)%n"
            + "  1  a journey failed, an invariant was violated (explore), doctor found a%n"
            + "     problem, or the reset failed%n"
            + "  2  invalid command line%n"
            + "  3  configuration unusable (venomqa.yaml, backend, no journeys or an invalid%n"
            + "     one)%n"
            + "  4  database or API unreachable%n"
            + "  5  refused (reset not confirmed, or not a local/allowed database)";

    private ExitCodes() {
    }
}

package io.venomqa.junit.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that share one {@link PgSchema} for the whole class and point fixtures at it
 * through {@code venomqa.*} system properties, which are cleared after every test so that they
 * never leak into the next one.
 */
public abstract class SchemaPerClass {

    protected static PgSchema db;

    @BeforeAll
    public static void startSchema() {
        db = new PgSchema();
    }

    @AfterEach
    public void clearProperties() {
        PgSchema.clearSystemProperties();
    }

    @AfterAll
    public static void stopSchema() throws Exception {
        db.close();
    }
}

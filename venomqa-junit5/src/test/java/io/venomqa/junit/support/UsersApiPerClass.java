package io.venomqa.junit.support;

import io.venomqa.junit.fixtures.Env;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SchemaPerClass} plus the users HTTP API on that schema, both handed to the fixture classes
 * through {@link Env}. JUnit runs this class's {@code @BeforeAll} after the schema is created and
 * its {@code @AfterAll} before the schema is dropped.
 */
public abstract class UsersApiPerClass extends SchemaPerClass {

    protected static UsersApi api;

    @BeforeAll
    public static void startApi() throws Exception {
        api = new UsersApi(db.schema);
        Env.db = db;
        Env.api = api;
    }

    @AfterAll
    public static void stopApi() {
        api.close();
    }
}

package io.venomqa.junit.internal;

import org.testcontainers.containers.JdbcDatabaseContainer;

/**
 * The only class of this module that names a Testcontainers type. It is loaded only by
 * {@link ContainerFinder} after a field's class was found, by name, to be a
 * {@code JdbcDatabaseContainer}, so users without Testcontainers never load it. Not API.
 */
final class TestcontainersBridge {

    private TestcontainersBridge() {
    }

    static ContainerDatabase describe(Object value, String fieldName) {
        JdbcDatabaseContainer<?> c = (JdbcDatabaseContainer<?>) value;
        String what = "field '" + fieldName + "' (" + c.getClass().getSimpleName() + ")";
        if (!c.isRunning()) {
            throw new IllegalStateException("The database container in " + what + " is not running when VenomQA connects."
                    + " Put @Testcontainers before @VenomQATest on the class (extensions start in the order they are"
                    + " declared), or start the container in a static initializer.");
        }
        return new ContainerDatabase(c.getJdbcUrl(), c.getUsername(), c.getPassword(), what);
    }
}

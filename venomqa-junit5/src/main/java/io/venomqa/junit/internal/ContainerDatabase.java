package io.venomqa.junit.internal;

/**
 * What VenomQA needs of a database container, in plain Java types so that nothing outside
 * {@link TestcontainersBridge} names a Testcontainers class. Not API.
 *
 * @param description the field and image, for messages
 */
public record ContainerDatabase(String jdbcUrl, String username, String password, String description) {

    @Override
    public String toString() {
        // Never the password.
        return "ContainerDatabase[" + description + ", " + io.venomqa.core.CredentialMasker.maskUrl(jdbcUrl)
                + ", user " + username + "]";
    }
}

package io.venomqa.config;

import io.venomqa.core.VenomQAException;

/**
 * {@code venomqa.yaml} cannot be used: not found, not valid YAML, an unknown key (named with the
 * nearest known one), a value of the wrong type, an environment variable that {@code ${VAR}} needs
 * but is not set. The message says which file, which key and what to do; passwords are masked.
 */
public class ConfigException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.venomqa.cli;

import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code -c/--config} option shared by the commands that read {@code venomqa.yaml}. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: venomqa.yaml or venomqa.yml in the working directory).")
    Path file;

    /** Reads the file (or the working directory's), with the process environment. */
    VenomQAConfig load() {
        requireNamedFile();
        return file != null ? VenomQAConfig.load(file) : VenomQAConfig.load();
    }

    /**
     * Fails (exit 3) when {@code -c/--config} names a file that does not exist, saying so plainly: called
     * first by the commands, before anything else could fail for another reason (no journeys found, …).
     */
    void requireNamedFile() {
        if (file != null && !Files.isRegularFile(file)) {
            throw new ConfigException("Configuration file " + file + (Files.isDirectory(file) ? " is a directory, not a file"
                    : " not found") + " (-c). Check the path (relative paths start at "
                    + Path.of("").toAbsolutePath() + "), or leave -c out to use " + VenomQAConfig.FILE_NAME
                    + " of the working directory.");
        }
    }

    /** What to call the file in messages. */
    String describe() {
        if (file != null) {
            return file.toAbsolutePath().normalize().toString();
        }
        return VenomQAConfig.loader().find().map(p -> p.toAbsolutePath().normalize().toString())
                .orElse(VenomQAConfig.FILE_NAME + " (not found in " + Path.of("").toAbsolutePath() + ")");
    }
}

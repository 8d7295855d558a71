package io.venomqa.cli;

import io.venomqa.config.VenomQAConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code -c/--config} option shared by the commands that read {@code venomqa.yaml}. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: venomqa.yaml or venomqa.yml in the working directory).")
    Path file;

    /** Reads the file (or the working directory's), with the process environment. */
    VenomQAConfig load() {
        return file != null ? VenomQAConfig.load(file) : VenomQAConfig.load();
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

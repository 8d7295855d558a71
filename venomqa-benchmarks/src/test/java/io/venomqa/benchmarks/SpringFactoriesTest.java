package io.venomqa.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merged {@code spring.factories} that the shaded jar carries ({@link SpringFactoriesMerge}) is the
 * merge of what the class path holds now, and it keeps the entries row 14 cannot start without.
 */
class SpringFactoriesTest {

    @Test
    void theShadedJarsFileIsTheMergeOfTheClassPath() throws IOException {
        String expected = SpringFactoriesMerge.merged(getClass().getClassLoader());
        assertThat(Files.readString(Path.of(SpringFactoriesMerge.FILE), StandardCharsets.ISO_8859_1))
                .as("%s is stale (Spring or a dependency changed): run SpringFactoriesMerge with this module's runtime "
                        + "class path, or replace the file with the expected text below", SpringFactoriesMerge.FILE)
                .isEqualTo(expected);
    }

    @Test
    void itListsTheValuesOfEveryJarUnderOneKey() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of(SpringFactoriesMerge.FILE))) {
            p.load(in);
        }
        // From spring-test, spring-boot-test and venomqa-spring: appended files would have kept only one of them.
        assertThat(p.getProperty("org.springframework.test.context.ContextCustomizerFactory"))
                .contains("io.venomqa.spring.internal.VenomQAContextCustomizerFactory")
                .contains("org.springframework.boot.test.context.filter.ExcludeFilterContextCustomizerFactory")
                .contains("org.springframework.test.context.support.DynamicPropertiesContextCustomizerFactory");
        // Boot's own start-up (spring-boot) and its auto-configuration's (spring-boot-autoconfigure).
        assertThat(p.getProperty("org.springframework.context.ApplicationListener"))
                .contains("org.springframework.boot.env.EnvironmentPostProcessorApplicationListener")
                .contains("org.springframework.boot.autoconfigure.BackgroundPreinitializer");
    }
}

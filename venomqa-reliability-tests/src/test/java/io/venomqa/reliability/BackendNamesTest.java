package io.venomqa.reliability;

import io.venomqa.state.BackendInfo;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StateManager#backendName()} is the public name tools use (the CLI's {@code doctor} finds the
 * backend's artifact by it, where it once guessed from package names): for every published backend it
 * is the {@code db_backend} name of the provider that built the manager, found in {@link StateManagers#available()}.
 */
class BackendNamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "postgresql://localhost:5432/test, postgresql",
            "mysql://root@127.0.0.1:3306/test, mysql",
            "sqlite::memory:, sqlite",
            "jdbc:h2:mem:names, h2",
            "memory://names, memory"})
    @DisplayName("a manager names the provider that built it")
    void managersNameTheirProvider(String url, String expected) {
        StateManager m = StateManagers.create(StateConfig.builder().url(url).build());
        assertThat(m.backendName()).isEqualTo(expected);
        assertThat(StateManagers.available()).extracting(BackendInfo::name).contains(m.backendName());
    }
}

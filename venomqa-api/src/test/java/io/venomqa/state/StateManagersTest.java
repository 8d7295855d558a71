package io.venomqa.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.venomqa.state.TestProviders.loaderWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateManagersTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(StateManagers.PROVIDER_PROPERTY);
    }

    @Test
    void customBackendRegisteredOnlyThroughMetaInfServicesIsFoundByNameAndAlias() {
        StateManager byName = StateManagers.create(StateConfig.builder().backend("tiny").build());
        StateManager byAlias = StateManagers.create(StateConfig.builder().backend("TINY-alias").build());
        assertThat(byName).isInstanceOf(TestProviders.RecordingStateManager.class);
        assertThat(byAlias).isInstanceOf(TestProviders.RecordingStateManager.class);
        assertThat(byName.isConnected()).as("create() must not connect").isFalse();
        assertThat(StateManagers.available()).extracting(BackendInfo::name).containsExactly("tiny");
    }

    @Test
    void backendIsInferredFromTheUrlWhenDbBackendIsAbsent() {
        StateManager m = StateManagers.fromUrl("tiny://somewhere");
        assertThat(m).isInstanceOf(TestProviders.RecordingStateManager.class);
    }

    @Test
    void unknownBackendNamesWhatWasAskedWhatIsAvailableAndWhichArtifactToAdd() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TinyStateManagerProvider.class,
                TestProviders.CountingStateManagerProvider.class);
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("postgress").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessageStartingWith("Unknown db_backend 'postgress'. Available: counting (com.example:counting-backend), tiny (")
                .hasMessageEndingWith("For PostgreSQL add io.venomqa:venomqa-backend-postgres.");
    }

    @Test
    void aTypoOfABackendOnTheClassPathSuggestsItsName() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TinyStateManagerProvider.class,
                TestProviders.CountingStateManagerProvider.class);
        // The artifact is there: the user needs the name, not the advice to add a jar.
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("countng").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessageStartingWith("Unknown db_backend 'countng'. Available: counting (com.example:counting-backend), tiny (")
                .hasMessageEndingWith(" Did you mean 'counting'?")
                .hasMessageNotContaining("META-INF/services");
    }

    @Test
    void knownBackendMissingFromTheClassPathSaysWhichArtifactToAdd() throws Exception {
        ClassLoader loader = loaderWith();
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("sqlite").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessage("Unknown db_backend 'sqlite'. Available: none (no venomqa-backend-* artifact on the class path)."
                        + " For SQLite add io.venomqa:venomqa-backend-sqlite.");
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder()
                .url("postgresql://qa:secret@localhost:5432/qa_test").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessageContaining("db_url 'postgresql://qa:***@localhost:5432/qa_test' needs the PostgreSQL backend")
                .hasMessageContaining("add io.venomqa:venomqa-backend-postgres")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aNameNothingLikeAnyBackendExplainsTheWayOut() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TinyStateManagerProvider.class);
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("oracle-xyz").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessageContaining("Unknown db_backend 'oracle-xyz'")
                .hasMessageContaining("META-INF/services/io.venomqa.state.spi.StateManagerProvider");
    }

    @Test
    void aServicesFileNamingTheStateManagerInsteadOfItsProviderSaysSo() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.RecordingStateManager.class);
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("tiny").build(), loader))
                .hasMessageContaining(TestProviders.RecordingStateManager.class.getName() + " not a subtype")
                .hasMessageContaining("does not implement io.venomqa.state.spi.StateManagerProvider")
                .hasMessageContaining("not the StateManager itself")
                .hasMessageNotContaining("public no-argument constructor");
    }

    @Test
    void twoProvidersClaimingOneNameFailNamingBothClassesAndTheirJars() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TwinAStateManagerProvider.class,
                TestProviders.TwinBStateManagerProvider.class);
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("twin").build(), loader))
                .isInstanceOf(BackendConflictException.class)
                .hasMessageContaining("Two backends claim db_backend 'twin'")
                .hasMessageContaining(TestProviders.TwinAStateManagerProvider.class.getName() + " (from file:")
                .hasMessageContaining(TestProviders.TwinBStateManagerProvider.class.getName() + " (from file:")
                .hasMessageContaining("-Dvenomqa.state.provider=");
    }

    @Test
    void systemPropertyForcesAProviderAndResolvesAConflict() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TwinAStateManagerProvider.class,
                TestProviders.TwinBStateManagerProvider.class, TestProviders.CountingStateManagerProvider.class);
        System.setProperty(StateManagers.PROVIDER_PROPERTY, TestProviders.CountingStateManagerProvider.class.getName());
        int before = TestProviders.CountingStateManagerProvider.created;
        StateManager m = StateManagers.create(StateConfig.builder().backend("twin").build(), loader);
        assertThat(m).isNotNull();
        assertThat(TestProviders.CountingStateManagerProvider.created).isEqualTo(before + 1);

        System.setProperty(StateManagers.PROVIDER_PROPERTY, "com.example.Missing");
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("twin").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessageContaining("venomqa.state.provider names 'com.example.Missing'");
    }

    @Test
    void onlyTheChosenProviderCreatesAManager() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TinyStateManagerProvider.class,
                TestProviders.CountingStateManagerProvider.class);
        int before = TestProviders.CountingStateManagerProvider.created;
        StateManagers.create(StateConfig.builder().backend("tiny").build(), loader);
        assertThat(TestProviders.CountingStateManagerProvider.created).isEqualTo(before);
    }

    @Test
    void aUrlOfAnotherBackendThanDbBackendSaysIsAnError() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TinyStateManagerProvider.class);
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("tiny")
                .url("mysql://qa:pw@localhost/db").build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessage("db_backend 'tiny' does not match db_url 'mysql://qa:***@localhost/db', which is a mysql URL."
                        + " Change db_backend to 'mysql' or give a tiny URL.");
    }

    @Test
    void neitherBackendNorUrlIsAClearError() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.TinyStateManagerProvider.class);
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().build(), loader))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessageStartingWith("No backend configured: set db_backend (one of tiny)");
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().url("weird:thing").build(), loader))
                .hasMessageStartingWith("Cannot tell the backend from db_url 'weird:thing'")
                .hasMessageEndingWith("The backend [tiny] on the class path did not claim it: a provider is chosen "
                        + "by db_url alone only when its acceptsUrl(String) returns true for the URL.");
    }

    @Test
    void availableListsNameAliasesArtifactClassAndLocation() throws Exception {
        ClassLoader loader = loaderWith(TestProviders.CountingStateManagerProvider.class);
        assertThat(StateManagers.available(loader)).singleElement().satisfies(info -> {
            assertThat(info.name()).isEqualTo("counting");
            assertThat(info.artifact()).isEqualTo("com.example:counting-backend");
            assertThat(info.providerClass()).isEqualTo(TestProviders.CountingStateManagerProvider.class.getName());
            assertThat(info.location()).startsWith("file:");
        });
    }
}

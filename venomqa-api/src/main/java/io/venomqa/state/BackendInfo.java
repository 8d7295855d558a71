package io.venomqa.state;

import java.util.Set;

/**
 * A backend found on the class path, as listed by {@link StateManagers#available()}.
 *
 * @param name          the name for {@code db_backend}
 * @param aliases       other accepted names
 * @param artifact      Maven coordinates, or the jar file name when the provider does not say
 * @param providerClass fully qualified class name of the provider
 * @param location      where the provider class was loaded from (jar or directory), or {@code "(unknown)"}
 */
public record BackendInfo(String name, Set<String> aliases, String artifact, String providerClass, String location) {
}

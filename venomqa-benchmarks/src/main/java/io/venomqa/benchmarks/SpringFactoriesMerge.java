package io.venomqa.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one {@code META-INF/spring.factories} of the shaded benchmarks jar ({@code src/shade/spring.factories}):
 * every such file of the module's class path merged key by key, each key listing the values of all jars.
 * Spring reads the file as properties, so the shade plugin's appending would keep only one jar's value
 * of each key (Spring Boot's auto-configuration or its test support would silently be lost); the pom
 * leaves the jars' files out and puts this one in. {@code SpringFactoriesTest} fails when the file no
 * longer matches the class path (after a Spring upgrade), and {@link #main} writes it again.
 *
 * <pre>java -cp &lt;the module's runtime class path&gt; io.venomqa.benchmarks.SpringFactoriesMerge src/shade/spring.factories</pre>
 */
public final class SpringFactoriesMerge {

    static final String RESOURCE = "META-INF/spring.factories";
    /** Where the merged file lives in this module (not a resource directory: it must not reach the class path). */
    static final String FILE = "src/shade/spring.factories";

    private SpringFactoriesMerge() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : FILE);
        Files.writeString(out, merged(SpringFactoriesMerge.class.getClassLoader()), StandardCharsets.ISO_8859_1);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The merged file's text for what {@code loader} sees: keys and values sorted, so the text is stable. */
    static String merged(ClassLoader loader) {
        Map<String, Set<String>> merged = new TreeMap<>();
        try {
            Enumeration<URL> found = loader.getResources(RESOURCE);
            while (found.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = found.nextElement().openStream()) {
                    p.load(in);
                }
                for (String key : p.stringPropertyNames()) {
                    Set<String> values = merged.computeIfAbsent(key.trim(), k -> new TreeSet<>());
                    for (String v : p.getProperty(key).split(",")) {
                        if (!v.isBlank()) {
                            values.add(v.trim());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sb = new StringBuilder("# Every META-INF/spring.factories of venomqa-benchmarks' class path, merged by\n"
                + "# io.venomqa.benchmarks.SpringFactoriesMerge (see there); checked by SpringFactoriesTest.\n");
        for (Map.Entry<String, Set<String>> e : merged.entrySet()) {
            sb.append('\n').append(e.getKey()).append("=\\\n  ").append(String.join(",\\\n  ", e.getValue())).append('\n');
        }
        return sb.toString();
    }
}

package io.venomqa.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java example of README.md starts with the imports a reader needs to paste it, and those are
 * the imports of the test that compiles it: the block's code (without its imports, indentation and
 * blank lines, up to a {@code // ...} elision) is found in exactly one test source of the repository, and each import the
 * block shows is imported by that source or is in its package. So an example can neither be left
 * uncompiled nor show an import that does not compile.
 */
class ReadmeImportsTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(static\\s+)?([\\w.]+)\\s*;\\s*$");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

    @Test
    void everyReadmeJavaExampleShowsTheImportsOfTheTestThatCompilesIt() throws IOException {
        Path root = repositoryRoot();
        Map<Path, String> sources = testSources(root);
        Matcher block = JAVA_BLOCK.matcher(Files.readString(root.resolve("README.md")));
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        while (block.find()) {
            blocks++;
            String text = block.group(1);
            List<String> imports = new ArrayList<>();
            Matcher imp = IMPORT.matcher(text);
            int codeStart = 0;
            while (imp.find() && text.substring(codeStart, imp.start()).isBlank()) {
                imports.add(imp.group(2));
                codeStart = imp.end();
            }
            String code = normalized(text.substring(codeStart)).lines().takeWhile(l -> !l.startsWith("// ..."))
                    .collect(Collectors.joining("\n"));
            String firstLine = code.lines().findFirst().orElse("");
            if (imports.isEmpty()) {
                problems.add("README block starting '" + firstLine + "' shows no imports");
                continue;
            }
            List<Path> compiledBy = sources.entrySet().stream().filter(e -> normalized(e.getValue()).contains(code))
                    .map(Map.Entry::getKey).toList();
            if (compiledBy.size() != 1) {
                problems.add("README block starting '" + firstLine + "' is compiled by " + compiledBy.size()
                        + " test sources (expected exactly one): " + compiledBy);
                continue;
            }
            String source = sources.get(compiledBy.get(0));
            Matcher pkg = PACKAGE.matcher(source);
            String sourcePackage = pkg.find() ? pkg.group(1) : "";
            List<String> sourceImports = IMPORT.matcher(source).results().map(r -> r.group(2)).toList();
            for (String name : imports) {
                boolean samePackage = name.substring(0, name.lastIndexOf('.')).equals(sourcePackage);
                if (!samePackage && !sourceImports.contains(name)) {
                    problems.add("README block starting '" + firstLine + "' imports " + name + ", which "
                            + root.relativize(compiledBy.get(0)) + " does not");
                }
            }
        }
        assertThat(blocks).as("Java blocks in README.md").isGreaterThanOrEqualTo(5);
        assertThat(problems).isEmpty();
    }

    /** The code without indentation and blank lines, so a snippet inside a method matches the README's. */
    private static String normalized(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    private static Map<Path, String> testSources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root, 20)) {
            return files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/") && !p.toString().contains("/target/"))
                    .filter(p -> !p.getFileName().toString().equals("ReadmeImportsTest.java"))
                    .collect(Collectors.toMap(p -> p, ReadmeImportsTest::read));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        return dir;
    }
}

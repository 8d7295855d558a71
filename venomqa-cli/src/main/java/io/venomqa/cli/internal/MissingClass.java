package io.venomqa.cli.internal;

import io.venomqa.core.DidYouMean;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What {@code --class NAME} should say when no class of that name loads: the classes of the class path
 * that were probably meant (the same simple name in another package, or a name one typo away), so that
 * {@code --class CheckoutJourneys} answers with the package the user left out. Not API.
 */
public final class MissingClass {

    /** Classes read per class path entry at most: a suggestion is not worth a long scan of a huge jar. */
    private static final int MAX_CLASSES_PER_ENTRY = 50_000;

    private MissingClass() {
    }

    /**
     * The message for {@code name}, which {@code --class-path} {@code entries} and the JVM's own class path
     * do not hold: a suggestion where one is found, and how to add the class either way.
     */
    public static String message(String name, List<Path> entries) {
        List<Path> jvmPath = new ArrayList<>();
        String jvm = System.getProperty("java.class.path", "");
        for (String p : jvm.split(File.pathSeparator)) {
            if (!p.isBlank()) {
                jvmPath.add(Path.of(p));
            }
        }
        // The --class-path entries first: they hold the user's classes, the JVM's path mostly libraries.
        Optional<String> found = suggestion(name, entries);
        String hint = found.or(() -> suggestion(name, jvmPath)).map(s -> " Did you mean " + s + "?").orElse("");
        String where = entries.isEmpty() ? " No --class-path was given: add the jar or directory holding it with --class-path "
                + "(for a Maven project, target/classes and target/test-classes)."
                : " Add the jar or directory holding it with --class-path.";
        return "Class " + name + " not found." + hint + where;
    }

    /**
     * The classes of {@code searched} named as {@code name} is without its package (any case), else the one
     * nearest to {@code name} as a whole; several with the same simple name are listed, "or"-separated.
     */
    static Optional<String> suggestion(String name, List<Path> searched) {
        TreeSet<String> classes = new TreeSet<>();
        for (Path p : searched) {
            try {
                classes.addAll(classesIn(p));
            } catch (IOException | UncheckedIOException | SecurityException e) {
                // An unreadable entry only costs the suggestion its classes.
            }
        }
        classes.remove(name);
        String simple = simpleName(name).toLowerCase(Locale.ROOT);
        List<String> sameSimpleName = classes.stream()
                .filter(c -> simpleName(c).toLowerCase(Locale.ROOT).equals(simple)).limit(3).toList();
        if (!sameSimpleName.isEmpty()) {
            return Optional.of(String.join(" or ", sameSimpleName));
        }
        return DidYouMean.nearest(name, classes);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The top-level classes of a jar or a directory of classes; nothing for anything else. */
    private static List<String> classesIn(Path entry) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                files.filter(f -> f.toString().endsWith(".class")).limit(MAX_CLASSES_PER_ENTRY)
                        .map(f -> className(entry.relativize(f).toString().replace(File.separatorChar, '/')))
                        .flatMap(Optional::stream).forEach(out::add);
            }
        } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (JarFile jar = new JarFile(entry.toFile())) {
                Enumeration<JarEntry> all = jar.entries();
                while (all.hasMoreElements() && out.size() < MAX_CLASSES_PER_ENTRY) {
                    JarEntry e = all.nextElement();
                    String n = e.getName();
                    if (n.startsWith("META-INF/") || !n.endsWith(".class")) {
                        continue;
                    }
                    className(n).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** {@code a/b/C.class} as {@code a.b.C}; nested, anonymous and module or package descriptors are not candidates. */
    private static Optional<String> className(String path) {
        String n = path.substring(0, path.length() - ".class".length());
        if (n.indexOf('$') >= 0 || n.endsWith("module-info") || n.endsWith("package-info")) {
            return Optional.empty();
        }
        return Optional.of(n.replace('/', '.'));
    }
}

package io.venomqa.architecture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture rules of DESIGN.md, checked on the compiled classes of every published module
 * (the jars Maven built, or their class directories): which class refers to which is read from the
 * class files' constant pools, so a reference in a method body counts as much as one in a signature.
 *
 * <ul>
 *   <li>no module uses another module's {@code .internal} package;</li>
 *   <li>no package cycle, where a package's {@code .spi} and {@code .internal} subpackages count as
 *       part of it (the SPI and the internals of a concept may use each other; concepts may not);</li>
 *   <li>one package per module: no package split across two jars;</li>
 *   <li>every published jar names its module ({@code Automatic-Module-Name}), each name different.</li>
 * </ul>
 */
class ArchitectureTest {

    /** Every published module with a jar, and the module name its manifest must carry. */
    static final Map<String, String> PUBLISHED = new LinkedHashMap<>();

    static {
        PUBLISHED.put("venomqa-api", "io.venomqa.api");
        PUBLISHED.put("venomqa-testkit", "io.venomqa.testkit");
        PUBLISHED.put("venomqa-backend-jdbc", "io.venomqa.state.jdbc");
        PUBLISHED.put("venomqa-backend-postgres", "io.venomqa.state.postgres");
        PUBLISHED.put("venomqa-backend-mysql", "io.venomqa.state.mysql");
        PUBLISHED.put("venomqa-backend-sqlite", "io.venomqa.state.sqlite");
        PUBLISHED.put("venomqa-backend-h2", "io.venomqa.state.h2");
        PUBLISHED.put("venomqa-backend-memory", "io.venomqa.state.memory");
        PUBLISHED.put("venomqa-journal", "io.venomqa.state.journal");
        PUBLISHED.put("venomqa-runner", "io.venomqa.runner");
        PUBLISHED.put("venomqa-explore", "io.venomqa.explore");
        PUBLISHED.put("venomqa-openapi", "io.venomqa.openapi");
        PUBLISHED.put("venomqa-junit5", "io.venomqa.junit");
        PUBLISHED.put("venomqa-spring", "io.venomqa.spring");
        PUBLISHED.put("venomqa-cli", "io.venomqa.cli");
    }

    private static final Pattern OUR_CLASS = Pattern.compile("io/venomqa/[A-Za-z0-9_/$]+");

    /** A class of one module and the classes of ours it refers to. */
    record ClassInfo(String module, String name, Set<String> refs) {
        String pkg() {
            return packageOf(name);
        }
    }

    private static final Map<String, Path> ENTRIES = new LinkedHashMap<>();
    private static final Map<String, ClassInfo> CLASSES = new TreeMap<>();

    @BeforeAll
    static void readClassPath() throws IOException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            String module = moduleOf(p);
            if (module != null) {
                ENTRIES.put(module, p);
            }
        }
        assertThat(ENTRIES.keySet()).as("published modules on the test class path").containsAll(PUBLISHED.keySet());
        for (Map.Entry<String, Path> e : ENTRIES.entrySet()) {
            readClasses(e.getKey(), e.getValue());
        }
    }

    /** The module of a class path entry: {@code venomqa-api-0.1.0-SNAPSHOT.jar} or {@code venomqa-api/target/classes}. */
    private static String moduleOf(Path p) {
        String file = p.getFileName() == null ? "" : p.getFileName().toString();
        if (file.endsWith(".jar")) {
            for (String m : PUBLISHED.keySet()) {
                if (file.matches(Pattern.quote(m) + "-\\d.*\\.jar") && !file.endsWith("-tests.jar")) {
                    return m;
                }
            }
            return null;
        }
        if (file.equals("classes") && p.getParent() != null && p.getParent().getParent() != null) {
            String m = p.getParent().getParent().getFileName().toString();
            return PUBLISHED.containsKey(m) ? m : null;
        }
        return null;
    }

    private static void readClasses(String module, Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        add(module, entry.relativize(f).toString().replace('\\', '/'), in);
                    }
                }
            }
        } else {
            try (JarFile jar = new JarFile(entry.toFile())) {
                for (var e : java.util.Collections.list(jar.entries())) {
                    if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            add(module, e.getName(), in);
                        }
                    }
                }
            }
        }
    }

    private static void add(String module, String path, InputStream in) throws IOException {
        String name = path.substring(0, path.length() - ".class".length());
        if (name.endsWith("module-info") || name.endsWith("package-info")) {
            return;
        }
        Set<String> refs = new TreeSet<>();
        for (String utf8 : constantPoolStrings(in)) {
            Matcher m = OUR_CLASS.matcher(utf8);
            while (m.find()) {
                String ref = m.group();
                int dollar = ref.indexOf('$');
                refs.add(dollar < 0 ? ref : ref.substring(0, dollar));
            }
        }
        String outer = name.indexOf('$') < 0 ? name : name.substring(0, name.indexOf('$'));
        refs.remove(outer);
        CLASSES.merge(name, new ClassInfo(module, name, refs), (a, b) -> a);
    }

    /** The UTF-8 constants of a class file: class names, descriptors and signatures among them. */
    static List<String> constantPoolStrings(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> out.add(in.readUTF());
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two slots
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return out;
    }

    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }

    /** A package with its {@code .spi} and {@code .internal} parts folded in: {@code io.venomqa.state.spi} is {@code io.venomqa.state}. */
    static String unitOf(String pkg) {
        String[] parts = pkg.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (part.equals("internal") || part.equals("spi")) {
                break;
            }
            sb.append(sb.length() == 0 ? "" : ".").append(part);
        }
        return sb.toString();
    }

    private static boolean isInternal(String pkg) {
        return ("." + pkg + ".").contains(".internal.");
    }

    @Test
    @DisplayName("the class files were read")
    void classesWereRead() {
        assertThat(CLASSES).hasSizeGreaterThan(100);
        assertThat(CLASSES).containsKeys("io/venomqa/state/StateManager", "io/venomqa/runner/JourneyRunner");
    }

    @Test
    @DisplayName("no module uses another module's .internal package")
    void noForeignInternals() {
        Map<String, String> moduleOfPackage = new HashMap<>();
        CLASSES.values().forEach(c -> moduleOfPackage.putIfAbsent(c.pkg(), c.module()));
        List<String> violations = new ArrayList<>();
        for (ClassInfo c : CLASSES.values()) {
            for (String ref : c.refs()) {
                String pkg = packageOf(ref);
                String owner = moduleOfPackage.get(pkg);
                if (isInternal(pkg) && owner != null && !owner.equals(c.module())) {
                    violations.add(c.name().replace('/', '.') + " (" + c.module() + ") uses " + ref.replace('/', '.')
                            + " (" + owner + ")");
                }
            }
        }
        assertThat(violations).as("uses of another module's internals; make the type public API or move the code").isEmpty();
    }

    @Test
    @DisplayName("no package cycles (a package's .spi and .internal count as part of it)")
    void noPackageCycles() {
        Map<String, Map<String, String>> edges = new TreeMap<>(); // unit -> (unit -> example)
        for (ClassInfo c : CLASSES.values()) {
            String from = unitOf(c.pkg());
            for (String ref : c.refs()) {
                if (!CLASSES.containsKey(ref)) {
                    continue;
                }
                String to = unitOf(packageOf(ref));
                if (!to.equals(from)) {
                    edges.computeIfAbsent(from, k -> new TreeMap<>())
                            .putIfAbsent(to, c.name().replace('/', '.') + " -> " + ref.replace('/', '.'));
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (Set<String> scc : stronglyConnected(edges)) {
            if (scc.size() > 1) {
                StringBuilder sb = new StringBuilder("cycle between " + scc + ":");
                for (String a : scc) {
                    edges.getOrDefault(a, Map.of()).forEach((b, example) -> {
                        if (scc.contains(b)) {
                            sb.append("\n    ").append(example);
                        }
                    });
                }
                cycles.add(sb.toString());
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    @DisplayName("one package per module: no package is split across jars")
    void noSplitPackages() {
        Map<String, Set<String>> modulesOfPackage = new TreeMap<>();
        CLASSES.values().forEach(c -> modulesOfPackage.computeIfAbsent(c.pkg(), k -> new TreeSet<>()).add(c.module()));
        assertThat(modulesOfPackage).allSatisfy((pkg, modules) -> assertThat(modules).as(pkg).hasSize(1));
    }

    @Test
    @DisplayName("every published jar has its own Automatic-Module-Name")
    void automaticModuleNames() throws IOException {
        List<String> notJars = ENTRIES.entrySet().stream().filter(e -> Files.isDirectory(e.getValue()))
                .map(Map.Entry::getKey).toList();
        assertThat(notJars).as("run through 'mvn verify' (or package): the manifest is only in the built jars, "
                + "and these modules are class directories on this class path").isEmpty();
        for (Map.Entry<String, String> e : PUBLISHED.entrySet()) {
            try (JarFile jar = new JarFile(ENTRIES.get(e.getKey()).toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                        .as("Automatic-Module-Name of %s", e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    /** Tarjan's algorithm, iterative enough for a few dozen packages. */
    static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(m -> nodes.addAll(m.keySet()));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                strongConnect(n, edges, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void strongConnect(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                      List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                strongConnect(w, edges, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> scc = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (!w.equals(v));
            out.add(scc);
        }
    }

    @Test
    @DisplayName("the rules themselves: units fold .spi and .internal, cycles are found")
    void rulesSelfCheck() {
        assertThat(unitOf("io.venomqa.state.spi")).isEqualTo("io.venomqa.state");
        assertThat(unitOf("io.venomqa.state.jdbc.spi")).isEqualTo("io.venomqa.state.jdbc");
        assertThat(unitOf("io.venomqa.state.journal.internal")).isEqualTo("io.venomqa.state.journal");
        assertThat(unitOf("io.venomqa.report")).isEqualTo("io.venomqa.report");
        Map<String, Map<String, String>> g = new TreeMap<>();
        g.put("a", Map.of("b", "a->b"));
        g.put("b", Map.of("c", "b->c"));
        g.put("c", Map.of("a", "c->a"));
        g.put("d", Map.of("a", "d->a"));
        assertThat(stronglyConnected(g)).contains(Set.of("a", "b", "c")).contains(Set.of("d"));
    }
}

package io.venomqa.cli;

import io.venomqa.config.ConfigException;
import picocli.CommandLine.Option;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code -cp/--class-path} option shared by every command that looks for backends, strategies
 * or journeys: {@code run}, {@code doctor}, {@code reset} and {@code backends} see the same jars, so
 * a custom backend that {@code run -cp} finds is found by {@code doctor -cp} too. While a command
 * runs, the extra entries are on the thread's context class loader, which is where
 * {@link io.venomqa.state.StateManagers} looks for providers.
 */
public final class ClassPathOption {

    @Option(names = {"-cp", "--class-path"}, paramLabel = "PATH", split = "[:;]",
            description = "Jars and directories holding journeys, custom backends or strategies (':' separated, repeatable).")
    List<Path> entries = new ArrayList<>();

    /** A loader that sees the entries and, through {@code parent}, everything else; {@code parent} when there are none. */
    ClassLoader loader(ClassLoader parent) throws MalformedURLException {
        return entries.isEmpty() ? parent : new URLClassLoader(urls(), parent);
    }

    /** Runs {@code body} with the entries on the context class loader, then puts the old loader back. */
    <T> T with(Callable<T> body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader parent = thread.getContextClassLoader();
        ClassLoader loader = loader(parent);
        thread.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            thread.setContextClassLoader(parent);
        }
    }

    private URL[] urls() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (Path p : entries) {
            File f = p.toAbsolutePath().toFile();
            if (!f.exists()) {
                throw new ConfigException("--class-path entry " + f + " does not exist.");
            }
            urls.add(f.toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}

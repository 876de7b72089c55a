package io.voltworkflow.tools.apisurface;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSurfaceCheckTest {

    @TempDir
    Path work;

    private Path upstream;
    private Path surface;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A small "upstream" repository with two modules, written the way upstream code is written. */
    @BeforeEach
    void writeUpstream() throws IOException {
        upstream = work.resolve("upstream");
        surface = work.resolve("surface");
        write(upstream, "core/src/main/java/org/example/model/Describable.java", """
                package org.example.model;
                public interface Describable<T extends Describable<T>> {
                    default String getDescriptor() { return null; }
                }
                """);
        write(upstream, "core/src/main/java/org/example/model/Run.java", """
                package org.example.model;

                import edu.umd.cs.findbugs.annotations.NonNull;
                import java.io.File;
                import java.io.IOException;
                import java.util.*;

                public abstract class Run<J extends Comparable<J>, R extends Run<J, R>> implements Describable<R>, Comparable<R> {
                    public static final int QUEUED = 1;
                    protected Run(@NonNull J job) throws IOException { }
                    public @NonNull File getRootDir() { return null; }
                    public synchronized void save() throws IOException { }
                    public List<String> getLog(int maxLines) throws IOException { return null; }
                    public static <T extends Run<?, ?>> T fromId(String id, Class<T> type) { return null; }
                    public void annotate(Object... notes) { }
                    public abstract Map<String, ? extends Collection<Option>> options();
                    public enum State { QUEUED, RUNNING }
                    public static final class Option {
                        public Option(String name) { }
                        public String name() { return null; }
                    }
                }
                """);
        write(upstream, "api/src/main/java/org/example/steps/Step.java", """
                package org.example.steps;
                import org.example.model.Run;
                public interface Step {
                    boolean start(Run<?, ?> run) throws Exception;
                    default void stop(Throwable cause) throws Exception { }
                    String NAME = "step";
                }
                """);
        write(upstream, "api/src/test/java/org/example/steps/StepTest.java", "this is not java and is never read");
    }

    @Test
    void surfaceWrittenDifferentlyButEquivalentMatches() throws IOException {
        write(surface, "org/example/model/Describable.java", """
                package org.example.model;
                public interface Describable<T extends Describable<T>> {
                    default String getDescriptor() { throw new UnsupportedOperationException(); }
                }
                """);
        write(surface, "org/example/model/Run.java", """
                package org.example.model;

                import java.util.Collection;
                import java.util.Map;

                public abstract class Run<J extends Comparable<J>, R extends Run<J, R>> implements Comparable<R> {
                    protected Run(J job) throws java.io.IOException { }
                    public java.io.File getRootDir() { throw new UnsupportedOperationException(); }
                    public void save() throws java.io.IOException { }
                    public static <T extends Run<?, ?>> T fromId(String id, Class<T> type) { return null; }
                    public void annotate(Object... notes) { }
                    public abstract Map<String, ? extends Collection<Run.Option>> options();
                    public enum State { RUNNING }
                    public static final class Option {
                        public Option(String name) { }
                    }
                }
                """);
        write(surface, "org/example/steps/Step.java", """
                package org.example.steps;
                public interface Step {
                    abstract boolean start(org.example.model.Run<?, ?> run) throws Exception;
                    String NAME = null;
                }
                """);

        int status = check();

        assertThat(output()).contains("checked 5 types", "0 mismatch(es)");
        assertThat(status).isEqualTo(ApiSurfaceCheck.MATCHES);
    }

    @Test
    void everyKindOfDifferenceIsListed() throws IOException {
        write(surface, "org/example/model/Run.java", """
                package org.example.model;

                import java.util.List;

                public abstract class Run<J, R extends Run<J, R>> implements Runnable {
                    public static final long QUEUED = 1;
                    public Run(J job) { }
                    public String getRootDir() { return null; }
                    public List<String> getLog(long maxLines) throws java.io.IOException { return null; }
                    public static <T extends Run<?, ?>> T fromId(String id, Class<T> type) throws Exception { return null; }
                    public void annotate(Object[] notes) { }
                    public enum State { PAUSED }
                    public static class Option { }
                }
                """);
        write(surface, "org/example/steps/Step.java", """
                package org.example.steps;
                public interface Step {
                    void stop(Throwable cause) throws Exception;
                }
                """);
        write(surface, "org/example/steps/Missing.java", """
                package org.example.steps;
                public class Missing { }
                """);

        int status = check();

        assertThat(status).isEqualTo(ApiSurfaceCheck.MISMATCHES);
        assertThat(output()).contains(
                "org.example.model.Run: type parameters: surface [J, R extends org.example.model.Run<J,R>], upstream "
                        + "[J extends java.lang.Comparable<J>, R extends org.example.model.Run<J,R>]",
                "org.example.model.Run: supertype java.lang.Runnable is not a direct supertype upstream",
                "org.example.model.Run#QUEUED: type: surface long, upstream int",
                "org.example.model.Run#<init>(J): modifiers: surface [public], upstream [protected]",
                "org.example.model.Run#<init>(J): throws: surface [], upstream [java.io.IOException]",
                "org.example.model.Run#getRootDir(): return type: surface java.lang.String, upstream java.io.File",
                "org.example.model.Run#getLog(long): no such method upstream (upstream declares: getLog(int))",
                "org.example.model.Run#fromId(java.lang.String, java.lang.Class<T>): throws: surface [java.lang.Exception]",
                "org.example.model.Run#annotate(java.lang.Object[]): no such method upstream "
                        + "(upstream declares: annotate(java.lang.Object...))",
                "org.example.model.Run.State.PAUSED: enum constant not declared upstream",
                "org.example.model.Run.Option: modifiers: surface [public, static], upstream [final, public, static]",
                "org.example.steps.Step#stop(java.lang.Throwable): modifiers: surface [abstract, public], upstream [public]",
                "org.example.steps.Missing: type not found in the upstream sources",
                "13 mismatch(es)");
    }

    @Test
    void missingArgumentsAreAUsageError() {
        int status = ApiSurfaceCheck.run(new String[] {"--surface", "x"}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(ApiSurfaceCheck.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: api-surface-check");
    }

    @Test
    void anUpstreamDirectoryThatDoesNotExistIsAUsageError() throws IOException {
        write(surface, "org/example/steps/Step.java", "package org.example.steps; public interface Step { }");

        int status = ApiSurfaceCheck.run(new String[] {"--surface", surface.toString(),
                "--upstream", work.resolve("nowhere").toString()}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(ApiSurfaceCheck.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a directory", "nowhere");
    }

    private int check() {
        return ApiSurfaceCheck.run(new String[] {"--surface", surface.toString(), "--upstream", upstream.toString()},
                new PrintStream(out), new PrintStream(err));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static void write(Path root, String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}

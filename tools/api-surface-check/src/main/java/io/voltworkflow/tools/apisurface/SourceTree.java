package io.voltworkflow.tools.apisurface;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Java sources of one side of the comparison (the declared surface, or the upstream checkouts): a list of
 * source roots in which a type {@code a.b.C.D} is looked up as the file {@code a/b/C.java} (nested {@code D}).
 * Files are parsed lazily, because an upstream checkout holds thousands of files and the surface needs a few.
 */
final class SourceTree {

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", "test", "resources");

    private final List<Path> roots;
    private final JavaParser parser;
    private final Map<Path, Optional<CompilationUnit>> parsed = new HashMap<>();

    private SourceTree(List<Path> roots) {
        this.roots = List.copyOf(roots);
        this.parser = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    }

    /** A tree whose roots are exactly the given directories. */
    static SourceTree ofRoots(List<Path> roots) {
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("not a directory: " + root);
            }
        }
        return new SourceTree(roots);
    }

    /**
     * A tree over checkouts: every {@code src/main/java} directory below each checkout becomes a root (a
     * multi-module repository such as Jenkins core has several); a directory without any is itself a root.
     */
    static SourceTree ofCheckouts(List<Path> checkouts) {
        List<Path> roots = new ArrayList<>();
        for (Path checkout : checkouts) {
            if (!Files.isDirectory(checkout)) {
                throw new IllegalArgumentException("not a directory: " + checkout);
            }
            List<Path> found = findMainSourceRoots(checkout);
            roots.addAll(found.isEmpty() ? List.of(checkout) : found);
        }
        return new SourceTree(roots);
    }

    private static List<Path> findMainSourceRoots(Path checkout) {
        List<Path> found = new ArrayList<>();
        collectMainSourceRoots(checkout, 0, found);
        return found;
    }

    private static void collectMainSourceRoots(Path dir, int depth, List<Path> found) {
        if (dir.endsWith(Path.of("src", "main", "java"))) {
            found.add(dir);
            return;
        }
        if (depth > 6) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isDirectory(child) && !SKIPPED_DIRECTORIES.contains(child.getFileName().toString())) {
                    collectMainSourceRoots(child, depth + 1, found);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    List<Path> roots() {
        return roots;
    }

    /** Whether the tree declares the type with this canonical name (nested types joined with dots). */
    boolean declares(String canonicalName) {
        return find(canonicalName).isPresent();
    }

    Optional<TypeDeclaration<?>> find(String canonicalName) {
        String[] segments = canonicalName.split("\\.");
        for (int length = segments.length; length >= 1; length--) {
            int topLevel = length;
            String relative = String.join("/", Arrays.copyOfRange(segments, 0, topLevel)) + ".java";
            for (Path root : roots) {
                Path file = root.resolve(relative);
                if (Files.isRegularFile(file)) {
                    Optional<TypeDeclaration<?>> type = parse(file)
                            .flatMap(unit -> unit.getTypes().stream()
                                    .filter(t -> t.getNameAsString().equals(segments[topLevel - 1]))
                                    .findFirst())
                            .flatMap(top -> descend(top, segments, topLevel));
                    if (type.isPresent()) {
                        return type;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<TypeDeclaration<?>> descend(TypeDeclaration<?> type, String[] segments, int from) {
        TypeDeclaration<?> current = type;
        for (int i = from; i < segments.length; i++) {
            String name = segments[i];
            Optional<TypeDeclaration<?>> member = current.getMembers().stream()
                    .filter(TypeDeclaration.class::isInstance)
                    .<TypeDeclaration<?>>map(m -> (TypeDeclaration<?>) m)
                    .filter(t -> t.getNameAsString().equals(name))
                    .findFirst();
            if (member.isEmpty()) {
                return Optional.empty();
            }
            current = member.get();
        }
        return Optional.of(current);
    }

    /** Every compilation unit below the roots (used for the surface, which is small). */
    List<CompilationUnit> allUnits() {
        List<CompilationUnit> units = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    if (!file.getFileName().toString().equals("package-info.java")) {
                        parse(file).ifPresent(units::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot walk " + root, e);
            }
        }
        return units;
    }

    private Optional<CompilationUnit> parse(Path file) {
        return parsed.computeIfAbsent(file, f -> {
            try {
                ParseResult<CompilationUnit> result = parser.parse(f);
                if (!result.isSuccessful()) {
                    throw new IllegalStateException("cannot parse " + f + ": " + result.getProblems());
                }
                return result.getResult();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        });
    }
}

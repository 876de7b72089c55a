package io.voltworkflow.engines.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the file paths a unified diff touches and rejects any that could reach outside the workspace or into its
 * version control: absolute paths, {@code ..} segments, {@code .git/}, backslashes, control characters and symbolic
 * links. Generated patches are untrusted input.
 */
public final class PatchPaths {
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private PatchPaths() {}

    /** The paths, in order of first mention; throws {@link IllegalArgumentException} naming the first unsafe one. */
    public static List<String> touchedPaths(String patch) {
        Set<String> paths = new LinkedHashSet<>();
        for (String line : patch.split("\n", -1)) {
            if (line.startsWith("diff --git ")) {
                String[] parts = line.substring("diff --git ".length()).split(" ");
                for (String part : parts) {
                    addPath(part, paths);
                }
            } else if (line.startsWith("--- ") || line.startsWith("+++ ")) {
                addPath(line.substring(4).split("\t")[0].strip(), paths);
            } else if ((line.startsWith("new file mode ") || line.startsWith("new mode "))
                    && line.strip().endsWith("120000")) {
                throw new IllegalArgumentException(
                        "the patch creates a symbolic link, which could point outside the workspace");
            } else if (line.startsWith("rename to ")
                    || line.startsWith("rename from ")
                    || line.startsWith("copy to ")
                    || line.startsWith("copy from ")) {
                addPath(
                        line.substring(line.indexOf(' ', line.indexOf(' ') + 1) + 1)
                                .strip(),
                        paths);
            }
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("the patch names no file ('--- a/…' / '+++ b/…' headers missing)");
        }
        return new ArrayList<>(paths);
    }

    private static void addPath(String raw, Set<String> paths) {
        if (raw.isEmpty() || raw.equals("/dev/null")) {
            return;
        }
        String path = raw.startsWith("a/") || raw.startsWith("b/") ? raw.substring(2) : raw;
        paths.add(requireSafe(path));
    }

    /** {@code path} unchanged if it is a plain relative path inside the workspace. */
    public static String requireSafe(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("the patch has an empty file path");
        }
        if (path.startsWith("/")
                || path.startsWith("~")
                || WINDOWS_DRIVE.matcher(path).matches()) {
            throw new IllegalArgumentException(
                    "the patch touches absolute path '" + path + "'; only workspace-relative paths are allowed");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            throw new IllegalArgumentException("the patch touches path '" + path.replaceAll("\\p{Cntrl}", "?")
                    + "' with a backslash or control character");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(
                        "the patch touches path '" + path + "' which leaves the workspace through '..'");
            }
            if (segment.equals(".git")) {
                throw new IllegalArgumentException(
                        "the patch touches '" + path + "' inside the repository's .git directory");
            }
        }
        return path;
    }
}

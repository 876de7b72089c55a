package io.voltworkflow.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a token file: one token per line as {@code <kind> <secret>}, where kind is {@code full} or
 * {@code read-only}; blank lines and lines starting with {@code #} are ignored. Errors name the line, never the
 * secret.
 */
public final class AccessTokens {
    private AccessTokens() {}

    public static List<AccessToken> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
        return parse(lines, file.toString());
    }

    static List<AccessToken> parse(List<String> lines, String source) {
        List<AccessToken> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException(
                        source + " line " + (i + 1) + ": expected '<full|read-only> <secret>'");
            }
            try {
                tokens.add(AccessToken.of(parts[1], AccessToken.Access.fromWireName(parts[0])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no token");
        }
        return List.copyOf(tokens);
    }
}

package io.voltworkflow.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The token {@code serve} creates when none is configured: {@code <data-dir>/api-token}, readable by the owner only,
 * reused on later starts, and found there by the client commands. The secret is never printed.
 */
final class ApiTokenFile {
    static final String NAME = "api-token";

    private ApiTokenFile() {}

    static Path path(Path dataDirectory) {
        return dataDirectory.resolve(NAME);
    }

    /** The existing token, or a new random one written with owner-only permissions. */
    static String readOrCreate(Path dataDirectory) {
        Path file = path(dataDirectory);
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n");
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token file " + file, e);
        }
        return token;
    }

    /** A token file for clients: the bare token, or {@code <kind> <token>} lines (the first line counts). */
    static String read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", -1);
            return parts[parts.length - 1];
        }
        throw new IllegalArgumentException("token file " + file + " holds no token");
    }
}

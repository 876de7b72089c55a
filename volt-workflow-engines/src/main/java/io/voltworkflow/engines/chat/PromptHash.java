package io.voltworkflow.engines.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Identifies the exact prompt a model was sent (provenance) without keeping its text: SHA-256 of system and user. */
final class PromptHash {
    private PromptHash() {}

    static String of(String system, String user) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(system.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(user.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.model.WorkflowId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The id of a build's workflow is derived from the build, never random: after a controller restart the step finds
 * its workflow again, and creating it twice is impossible. Readable first, unique by a hash of the full job name.
 */
public final class WorkflowIds {

    private static final int MAX_JOB_SLUG = 60;

    private WorkflowIds() {}

    public static WorkflowId forBuild(String jobFullName, int buildNumber, String workflowName) {
        String slug = jobFullName
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_JOB_SLUG) {
            slug = slug.substring(0, MAX_JOB_SLUG);
        }
        return WorkflowId.of("jenkins-" + (slug.isEmpty() ? "job" : slug) + "-" + buildNumber + "-" + workflowName + "-"
                + shortHash(jobFullName));
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

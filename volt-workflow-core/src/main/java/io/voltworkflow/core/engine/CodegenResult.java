package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Generated code: a unified diff ({@code patch}), the files it touches, and a reference users can follow (a pull
 * request URL, a patch file path, a commit). {@code generator} says what produced it, e.g. {@code scaffold}.
 */
public record CodegenResult(
        String summary,
        String patch,
        List<String> files,
        @Nullable String reference,
        String generator,
        @Nullable JsonNode details) {
    public CodegenResult {
        summary = summary == null ? "" : summary;
        patch = patch == null ? "" : patch;
        files = List.copyOf(files == null ? List.of() : files);
        generator = generator == null ? "" : generator;
    }
}

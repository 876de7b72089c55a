package io.voltworkflow.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web front-end's static files, looked up by the name a browser asks for (for example {@code "app.js"} or
 * {@code "workflow-view.css"}). Both hosts serve them from this jar: the standalone server under its UI path and the
 * Jenkins plugin from its bundled copy.
 *
 * <p>Names are relative, slash-separated and made only of letters, digits, {@code .}, {@code _} and {@code -}:
 * anything that could climb out of the asset directory ({@code ..}, absolute paths, backslashes, encoded characters)
 * is rejected, so a host can pass the request path through without checking it itself.
 */
public final class UiAssets {

    /** The classpath directory that holds the assets. */
    public static final String RESOURCE_ROOT = "io/voltworkflow/ui/";

    /** The page a host serves for its UI root. */
    public static final String INDEX = "index.html";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json");

    private UiAssets() {}

    /**
     * Looks up an asset.
     *
     * @param name the relative name, as taken from the request path after the host's UI prefix
     * @return the asset, or empty when the name is unsafe, has an unserved extension or names no asset
     */
    public static Optional<Asset> find(String name) {
        Objects.requireNonNull(name, "name");
        if (!isSafeName(name)) {
            return Optional.empty();
        }
        String contentType = CONTENT_TYPES.get(extension(name));
        if (contentType == null) {
            return Optional.empty();
        }
        try (InputStream in = UiAssets.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Asset(name, contentType, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read UI asset " + name, e);
        }
    }

    /** Whether {@code name} is a relative asset name that cannot leave the asset directory. */
    static boolean isSafeName(String name) {
        if (name.isEmpty() || name.length() > 200) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * One static file of the front-end.
     *
     * @param name        the relative name it was found under
     * @param contentType the {@code Content-Type} header value to serve it with
     * @param bytes       its content (copied in and out: an asset is immutable)
     */
    @SuppressWarnings("ArrayRecordComponent") // copied in and out, see above; equality is not used
    public record Asset(String name, String contentType, byte[] bytes) {

        public Asset {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(contentType, "contentType");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Asset that
                    && name.equals(that.name)
                    && contentType.equals(that.contentType)
                    && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, contentType, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Asset[" + name + ", " + contentType + ", " + bytes.length + " bytes]";
        }
    }
}

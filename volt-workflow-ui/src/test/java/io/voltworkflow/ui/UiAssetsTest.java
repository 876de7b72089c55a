package io.voltworkflow.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UiAssetsTest {

    @Test
    void findsTheFrontEndFilesWithTheirContentTypes() {
        assertThat(UiAssets.find(UiAssets.INDEX)).hasValueSatisfying(asset -> {
            assertThat(asset.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(new String(asset.bytes(), StandardCharsets.UTF_8))
                    .contains("<script type=\"module\" src=\"app.js\">");
        });
        assertThat(UiAssets.find("workflow-view.js"))
                .hasValueSatisfying(
                        asset -> assertThat(asset.contentType()).isEqualTo("text/javascript; charset=utf-8"));
        assertThat(UiAssets.find("workflow-view.css"))
                .hasValueSatisfying(asset -> assertThat(asset.contentType()).isEqualTo("text/css; charset=utf-8"));
        assertThat(UiAssets.find("favicon.svg"))
                .hasValueSatisfying(asset -> assertThat(asset.contentType()).isEqualTo("image/svg+xml"));
    }

    @Test
    void everyHtmlPageLoadsScriptsOnlyFromFilesSoAStrictContentSecurityPolicyHolds() {
        String index = new String(UiAssets.find(UiAssets.INDEX).orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertThat(index)
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                .doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("style=");
    }

    @Test
    void anAssetCannotBeChangedThroughItsBytes() {
        UiAssets.Asset asset = UiAssets.find("app.js").orElseThrow();
        asset.bytes()[0] = 0;
        assertThat(asset.bytes()[0]).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "/index.html", "../index.html", "io/../../secret.js", "a/../app.js", "./app.js", "a//b.js",
                        "app.js/",
                "..", "...js", "a..b/app.js", "C:\\app.js", "dir\\app.js", "%2e%2e/app.js", "app.js?x=1", "app.js#x",
                ".hidden.js", "app.js\u0000.css", "UiAssets.class", "io/voltworkflow/ui/UiAssets.class", "index",
            })
    void rejectsNamesThatAreUnsafeOrNotFrontEndFiles(String name) {
        assertThat(UiAssets.find(name)).isEmpty();
    }

    @Test
    void unknownNamesAreEmpty() {
        assertThat(UiAssets.find("missing.js")).isEmpty();
        assertThat(UiAssets.find("sub/dir/missing.css")).isEmpty();
    }
}

package io.voltworkflow.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.server.AccessToken;
import io.voltworkflow.server.AccessTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {
    @Test
    void neverShowsTheSecret() {
        AccessToken token = AccessToken.of("s3cret-s3cret-s3cret", AccessToken.Access.FULL);
        assertThat(token.toString()).doesNotContain("s3cret").contains("redacted");
        assertThat(token.matches(AccessToken.sha256("s3cret-s3cret-s3cret"))).isTrue();
        assertThat(token.matches(AccessToken.sha256("s3cret-s3cret-s3creT"))).isFalse();
    }

    @Test
    void refusesShortSecrets() {
        assertThatThrownBy(() -> AccessToken.of("short", AccessToken.Access.FULL))
                .hasMessageContaining("at least 16")
                .hasMessageNotContaining("short");
    }

    @Test
    void readsATokenFileAndNamesTheBadLineWithoutTheSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# tokens\nfull aaaaaaaaaaaaaaaaaaaa\n\nread-only bbbbbbbbbbbbbbbbbbbb\n");
        assertThat(AccessTokens.load(file))
                .extracting(AccessToken::access)
                .containsExactly(AccessToken.Access.FULL, AccessToken.Access.READ_ONLY);

        Files.writeString(file, "full aaaaaaaaaaaaaaaaaaaa\nadmin cccccccccccccccccccc\n");
        assertThatThrownBy(() -> AccessTokens.load(file))
                .hasMessageContaining("line 2")
                .hasMessageContaining("admin")
                .hasMessageNotContaining("cccc");
    }
}

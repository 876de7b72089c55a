package io.voltworkflow.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchPathsTest {

    @Test
    void readsThePathsOfAGitDiff() {
        String patch = """
        diff --git a/src/A.java b/src/A.java
        --- a/src/A.java
        +++ b/src/A.java
        @@ -1 +1 @@
        -a
        +b
        diff --git a/docs/new.md b/docs/new.md
        new file mode 100644
        --- /dev/null
        +++ b/docs/new.md
        @@ -0,0 +1 @@
        +hello
        """;

        assertThat(PatchPaths.touchedPaths(patch)).containsExactly("src/A.java", "docs/new.md");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/etc/passwd | absolute path",
                "../outside.txt | '..'",
                "src/../../outside.txt | '..'",
                ".git/hooks/pre-commit | .git directory",
                "sub/.git/config | .git directory",
                "C:/Windows/system.ini | absolute path",
                "~/.ssh/authorized_keys | absolute path",
                "src\\\\..\\\\x | backslash"
            })
    void rejectsPathsThatLeaveTheWorkspace(String path, String reason) {
        String patch = "--- a/" + path + "\n+++ b/" + path + "\n@@ -0,0 +1 @@\n+x\n";

        assertThatThrownBy(() -> PatchPaths.touchedPaths(patch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsARenameOutOfTheWorkspace() {
        String patch = "diff --git a/a.txt b/a.txt\nrename from a.txt\nrename to ../a.txt\n";

        assertThatThrownBy(() -> PatchPaths.touchedPaths(patch)).hasMessageContaining("'..'");
    }

    @Test
    void rejectsASymbolicLink() {
        String patch =
                "diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+/etc\n";

        assertThatThrownBy(() -> PatchPaths.touchedPaths(patch)).hasMessageContaining("symbolic link");
    }

    @Test
    void aPatchWithoutFileHeadersIsRejected() {
        assertThatThrownBy(() -> PatchPaths.touchedPaths("just some text")).hasMessageContaining("names no file");
    }
}

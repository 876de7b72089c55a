package io.jenkins.plugins.voltworkflow.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    @Test
    void passesEverythingThroughAndKeepsTheLastLines() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        OutputTail tail = new OutputTail(log, 2);

        tail.write("one\r\ntwo\nthree\nfour – é".getBytes(StandardCharsets.UTF_8));

        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("one\r\ntwo\nthree\nfour – é");
        assertThat(tail.lastLines()).containsExactly("three", "four – é");
    }

    @Test
    void veryLongLinesAreCut() throws IOException {
        OutputTail tail = new OutputTail(new ByteArrayOutputStream(), 1);

        tail.write(("x".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8));

        assertThat(tail.lastLines().get(0)).hasSize(OutputTail.MAX_LINE_BYTES);
    }
}

package io.voltworkflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the harness from rotting: every scenario runs at the smallest scale and yields figures. No timing checks. */
class HarnessSmokeTest {
    @TempDir
    Path workDir;

    @Test
    void everyScenarioProducesFigures() throws Exception {
        for (String scenario : Harness.Scenarios.byName().keySet()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<Figure> figures = Harness.run(
                    new String[] {scenario, "--quick", "--dir", workDir.toString()},
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(figures)
                    .as(scenario)
                    .isNotEmpty()
                    .allSatisfy(f -> assertThat(f.scenario()).isEqualTo(scenario));
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| " + scenario + " | 1 |");
        }
    }

    @Test
    void profileWritesAFlameGraphPerMeasuredPhase() throws Exception {
        Path flames = workDir.resolve("flames");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Harness.run(
                new String[] {"cost", "--quick", "--dir", workDir.toString(), "--profile", flames.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(flames.resolve("cost-1-sequential-cpu.html")).content().contains("cost-1-sequential");
        assertThat(flames.resolve("cost-1-in-flight-alloc.html")).isNotEmptyFile();
        assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern("event (cpu|itimer)");
    }

    @Test
    void listNamesEveryScenario() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Harness.run(new String[] {"list"}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(Harness.Scenarios.byName().keySet());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Harness.run(new String[] {"nope"}, System.out))
                .hasMessageContaining("unknown scenario 'nope'");
        assertThatThrownBy(() -> Harness.run(new String[] {"overhead", "--scale", "5000"}, System.out))
                .hasMessageContaining("--scale 5000 must be between 1 and 1000");
        assertThatThrownBy(() -> Harness.run(new String[] {"overhead", "--scale"}, System.out))
                .hasMessageContaining("--scale needs a value");
    }
}

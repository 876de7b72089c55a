package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code serve} reloads on SIGHUP, sent as an operator sends it: {@code kill -HUP} from another process. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Windows has no SIGHUP")
class ReloadSignalTest {
    @Test
    void aHangUpFromAnotherProcessRunsTheReload() throws Exception {
        CountDownLatch reloaded = new CountDownLatch(1);
        try (ReloadSignal ignored = ReloadSignal.install(reloaded::countDown)) {
            Process kill = new ProcessBuilder(
                            "kill",
                            "-HUP",
                            String.valueOf(ProcessHandle.current().pid()))
                    .inheritIO()
                    .start();
            assertThat(kill.waitFor()).isZero();
            assertThat(reloaded.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}

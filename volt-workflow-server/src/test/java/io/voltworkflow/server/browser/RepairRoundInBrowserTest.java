package io.voltworkflow.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voltworkflow.server.operations.ServeProcess;
import io.voltworkflow.server.testing.FakeOpenAi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The repair loop as a user meets it, in headless Debian Chromium: a real {@code volt serve} process whose
 * configuration file names two engine profiles, the offline one (its default) and {@code cloud}, a loopback fake of
 * an OpenAI-compatible model that writes {@code helo} until a repair round hands it the validation failure. The
 * user picks {@code cloud} in the create form, sees the task go through repair round 1 of 2 in the graph, the
 * timeline and the step table, and downloads every patch the rounds produced.
 */
class RepairRoundInBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODEGEN = "Generate Code for Task T1";

    @TempDir
    Path dir;

    private FakeOpenAi openai;
    private ServeProcess serve;
    private HeadlessChromium browser;
    private ChromeDriver driver;
    private Path downloads;

    @BeforeEach
    void start() throws Exception {
        openai = new FakeOpenAi().repairingAfterValidation();
        Path secret = dir.resolve("openai.key");
        Files.writeString(secret, FakeOpenAi.KEY + "\n");
        Path config = dir.resolve("volt.yaml");
        Files.writeString(
                config, """
                credentials:
                  openai: {file: "%s"}
                engines:
                  default: offline
                  profiles:
                    offline: {}
                    cloud:
                      nlp:     {type: openai, url: "%s", model: %s, credentials: openai}
                      codegen: {type: openai, url: "%s", model: %s, credentials: openai}
                """.formatted(secret, openai.url(), FakeOpenAi.MODEL, openai.url(), FakeOpenAi.MODEL));
        serve = ServeProcess.start(
                "serve",
                "io.voltworkflow.server.cli.Main",
                List.of(
                        "serve",
                        "--port",
                        "0",
                        "--no-auth",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString()),
                Map.of(
                        "VOLT_WORKFLOW_VALIDATION_COMMAND",
                        "grep -qx hello hello/T1.txt || { echo 'hello/T1.txt does not say hello'; exit 1; }"),
                dir.resolve("serve.log"));
        downloads = Files.createDirectories(dir.resolve("downloads"));
        browser = new HeadlessChromium(dir.resolve("profile"), downloads);
        driver = browser.driver;
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1600));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (serve != null) {
            ServeProcess.kill(serve.process());
        }
        if (openai != null) {
            openai.close();
        }
    }

    @Test
    void aProfileChosenInTheFormRepairsItsCodeInRoundOneAndThePatchesDownloadFromThePage() throws Exception {
        driver.get(serve.url().resolve("/#/new").toString());
        WebElement profiles = browser.await(
                "the engine profiles of the configuration file",
                ExpectedConditions.visibilityOfElementLocated(By.id("engine-profile")));
        Select profile = new Select(profiles);
        assertThat(profile.getOptions())
                .extracting(option -> option.getAttribute("value"))
                .contains("offline", "cloud");
        profile.selectByValue("cloud");
        driver.findElement(By.id("requirement")).sendKeys("Add a greeting file");
        browser.screenshot("repair-create-form");
        driver.findElement(By.cssSelector(".create-form button[type=submit]")).click();

        browser.await("the new workflow's page", ExpectedConditions.urlContains("#/workflows/wf-"));
        browser.await(
                "repair round 1 of 2 in the graph",
                d -> title(".vw-dag .vw-node[data-step='" + CODEGEN + "']").contains("repair round 1 of 2"));
        browser.await("the finished state", ExpectedConditions.textToBe(By.cssSelector(".vw-connection"), "Finished"));
        String id = driver.getCurrentUrl().replaceAll(".*#/workflows/", "");

        assertThat(title(".vw-dag .vw-node[data-step='Validate Task T1']")).contains("repair round 1 of 2");
        assertThat(title(".vw-lane[data-step='" + CODEGEN + "']")).contains("repair round 1 of 2");
        assertThat(driver.findElement(By.cssSelector("tr[data-step='" + CODEGEN + "'] th"))
                        .getText())
                .contains("repair round 1 of 2");
        assertThat(driver.findElement(By.cssSelector(".vw-meta")).getText())
                .contains("1 repair round for 1 of 1 tasks");
        assertThat(openai.operations).containsExactly("analyze", "create_tasks", "codegen", "codegen");
        driver.executeScript("window.scrollTo(0, 0)");
        browser.screenshot("repair-round");

        WebElement download = driver.findElement(By.cssSelector(".vw-download-patches"));
        // Clear of the page's sticky header, where a click at the very top of the view would land.
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", download);
        download.click();
        Path file = downloads.resolve(id + "-patches.json");
        browser.await("the downloaded patches", d -> Files.isRegularFile(file));
        JsonNode history = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(history.path("workflowId").asText()).isEqualTo(id);
        List<JsonNode> patches = new java.util.ArrayList<>();
        history.path("patches").forEach(patches::add);
        assertThat(patches).extracting(p -> p.path("step").asText()).containsOnly(CODEGEN);
        assertThat(patches).extracting(p -> p.path("repairRound").asInt()).containsExactly(0, 1);
        assertThat(patches.get(0).path("patch").asText()).contains("+helo\n");
        assertThat(patches.get(1).path("patch").asText()).contains("+hello\n");
        for (JsonNode patch : patches) {
            assertThat(patch.path("patchSha256").asText())
                    .isEqualTo(sha256(patch.path("patch").asText()));
            assertThat(patch.path("provenance").path("model").asText()).isEqualTo(FakeOpenAi.MODEL);
        }
        assertThat(browser.consoleProblems()).isEmpty();
    }

    /** An SVG element's tooltip, which carries the step's state and round. */
    private String title(String selector) {
        List<WebElement> found = driver.findElements(By.cssSelector(selector + " > title"));
        return found.isEmpty() ? "" : String.valueOf(found.get(0).getAttribute("textContent"));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

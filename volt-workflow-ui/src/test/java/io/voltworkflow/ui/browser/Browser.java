package io.voltworkflow.ui.browser;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by the Debian chromedriver: nothing is downloaded (Selenium Manager is bypassed
 * by naming both binaries). Missing binaries fail the test with the install command instead of skipping it.
 */
final class Browser implements AutoCloseable {
    /** Selenium warns that it has no CDP classes for this Chromium; the tests use none. Held: loggers are weak. */
    @SuppressWarnings("UnusedVariable")
    private static final java.util.logging.Logger CDP_VERSION_WARNINGS =
            quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.OFF);
        return logger;
    }

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser start(Path profileDirectory) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The UI browser tests need headless Chromium at " + CHROMIUM + " and its driver at " + CHROMEDRIVER
                    + ". Install them with: apt-get update && apt-get install -y chromium chromium-driver"
                    + " (CI's .ci/run does this).");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-default-apps",
                "--disable-extensions",
                "--window-size=1440,1000",
                "--user-data-dir=" + profileDirectory.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options));
    }

    WebDriver driver() {
        return driver;
    }

    <T> T await(String description, ExpectedCondition<T> condition) {
        // The view redraws the graph when a step changes, so an element found a moment ago may be gone: look again.
        return new WebDriverWait(driver, WAIT)
                .withMessage(description)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    int count(String cssSelector) {
        return driver.findElements(By.cssSelector(cssSelector)).size();
    }

    Object script(String javascript, Object... arguments) {
        return driver.executeScript(javascript, arguments);
    }

    /**
     * Console errors that mean the page is broken or unsafe: Content-Security-Policy violations and uncaught
     * exceptions. (Failed requests the test provokes on purpose, like a 400 from the create form, are not.)
     */
    List<String> consoleProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Uncaught"))
                .toList();
    }

    /**
     * Saves PNGs of the page, in the light and the dark colour scheme, when -Dvolt.ui.screenshots=<dir> is set (for
     * looking at the design; never committed). The window is first grown to the page's height.
     */
    void screenshot(String name) {
        // Kept as test artifacts: target/screenshots/ unless -Dvolt.ui.screenshots names another directory.
        String directory = System.getProperty("volt.ui.screenshots", "target/screenshots");
        try {
            Number height = (Number)
                    script("window.scrollTo(0, 0); return Math.max(document.documentElement.scrollHeight, 900);");
            driver.manage().window().setSize(new Dimension(1440, Math.min(2200, height.intValue())));
            Files.createDirectories(Path.of(directory));
            for (String scheme : List.of("light", "dark")) {
                driver.executeCdpCommand(
                        "Emulation.setEmulatedMedia",
                        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
                Files.write(
                        Path.of(directory).resolve(name + "-" + scheme + ".png"),
                        driver.getScreenshotAs(OutputType.BYTES));
            }
            driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
            driver.manage().window().setSize(new Dimension(1440, 1000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}

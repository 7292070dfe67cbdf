package io.userbound.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's {@code chromium}, headless, driven by Debian's
 * {@code chromium-driver} through Selenium. Both paths are set explicitly, so Selenium
 * Manager never looks for (or downloads) a browser or driver. CI installs both packages
 * ({@code .ci/run}); this test does not skip without them.
 *
 * <p>Saves a screenshot to {@code target/screenshots/}; it also writes
 * {@code docs/screenshot.png} (the README's picture) when that file is missing or
 * {@code -Dsample.updateScreenshot=true} is set, so that a test run leaves the work tree clean.
 */
@ExtendWith(SampleAppExtension.class)
class SampleAppBrowserTest {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ChromeDriverService service;
  private static WebDriver driver;
  private static Path profile;

  @BeforeAll
  static void startBrowser() throws IOException {
    assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install chromium)").canRead();
    assertThat(new File(CHROMEDRIVER))
        .as("Debian's chromium-driver (apt-get install chromium-driver)")
        .canRead();
    profile = Files.createTempDirectory("sample-chromium-");
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1280,900",
        "--lang=en-US",
        "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (service != null) {
        service.stop();
      }
      if (profile != null) {
        try (Stream<Path> files = Files.walk(profile)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  @Test
  void bob_seesHisPanels_addsAnHour_andLogsOut(SampleApp app) throws IOException {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    driver.get(app.uri().toString());
    logIn(wait, "bob");

    // finance: bob may connect, but every table is refused, and shown as such
    assertThat(driver.findElement(By.cssSelector("#db-finance .chip")).getText())
        .isEqualTo("connected as bob");
    for (String s : List.of("employees", "customers", "invoices")) {
      WebElement section = driver.findElement(By.id("section-finance-" + s));
      assertThat(section.getAttribute("data-state")).as(s).isEqualTo("denied");
      assertThat(section.getText()).contains("Permission denied");
    }
    // staff: a staff writer sees the projects and everyone's hours
    assertThat(driver.findElements(By.cssSelector("#section-staff-projects tbody tr"))).hasSize(3);
    assertThat(driver.findElement(By.id("section-staff-hours")).getText())
        .contains("alice", "dave");

    String note = "Cabling plan for rack B";
    new Select(driver.findElement(By.id("hour-project")))
        .selectByVisibleText("ATLAS \u2013 Data centre move");
    WebElement hours = driver.findElement(By.id("hour-hours"));
    hours.clear();
    hours.sendKeys("2.5");
    driver.findElement(By.id("hour-note")).sendKeys(note);
    driver.findElement(By.id("hour-submit")).click();
    WebElement fresh =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#section-staff-hours tr.fresh")));
    assertThat(fresh.getText()).contains("bob", "ATLAS", "2.50", note);

    screenshot("bob");

    driver.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-view")));
    assertThat(driver.findElement(By.id("app-view")).isDisplayed()).isFalse();
    PostgresServer finance = app.demo().orElseThrow().finance();
    PostgresServer staff = app.demo().orElseThrow().staff();
    wait.until(d -> finance.backendCount("bob") == 0 && staff.backendCount("bob") == 0);
  }

  @Test
  void carol_seesNoStaffDatabase_andAWrongPasswordIsRefused(SampleApp app) throws IOException {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    driver.get(app.uri().toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-view")));
    driver.findElement(By.id("username")).sendKeys("carol");
    driver.findElement(By.id("password")).sendKeys("wrong");
    driver.findElement(By.id("login-submit")).click();
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
    assertThat(error.getText()).contains("refused");
    screenshot("login-refused");

    driver.findElement(By.id("username")).clear();
    logIn(wait, "carol");
    WebElement staff = driver.findElement(By.id("db-staff"));
    assertThat(staff.getAttribute("data-state")).isEqualTo("denied");
    assertThat(staff.getText()).contains("No access to this database");
    assertThat(driver.findElements(By.cssSelector("#section-finance-invoices tbody tr")))
        .isNotEmpty();

    driver.findElement(By.id("invoice-amount")).sendKeys("10.00");
    driver.findElement(By.id("invoice-submit")).click();
    WebElement message =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invoice-message")));
    assertThat(message.getText()).contains("Permission denied");
    screenshot("carol");

    driver.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-view")));
  }

  private static void logIn(WebDriverWait wait, String role) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-view")));
    driver.findElement(By.id("username")).sendKeys(role);
    driver.findElement(By.id("password")).sendKeys(DemoPerson.named(role).password());
    driver.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
    assertThat(driver.findElement(By.id("me-user")).getText()).isEqualTo(role);
    // every section has loaded (or been refused)
    wait.until(
        d ->
            d.findElements(By.cssSelector("[data-state=loading]")).isEmpty()
                && !d.findElements(By.cssSelector(".section")).isEmpty());
  }

  /** Saves a screenshot as target/screenshots/NAME.png; bob's also becomes the README's picture. */
  private static void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), png);
    Path docs = Path.of("docs", "screenshot.png");
    if (name.equals("bob")
        && Files.isDirectory(docs.getParent())
        && (!Files.exists(docs) || Boolean.getBoolean("sample.updateScreenshot"))) {
      Files.write(docs, png);
    }
  }
}

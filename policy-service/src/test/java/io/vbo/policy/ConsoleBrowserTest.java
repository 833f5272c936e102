package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web console in Debian's Chromium (driven by Playwright) against the running service, real broker and real
 * PostgreSQL; every phone's results arrive through {@code vbo.probe-results}. Screenshots go to
 * target/console-screenshots/.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Path SCREENSHOTS = Paths.get("target/console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL base;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private Playwright playwright;
    private Browser browser;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** Playwright on the system's Chromium: the library's own browser download does not work here. */
    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    static Browser chromium(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true)
                .setArgs(List.of("--disable-dev-shm-usage")));
    }

    static BrowserContext login(Browser browser, URL base, String user) {
        return browser.newContext(new Browser.NewContextOptions().setBaseURL(base.toString())
                .setHttpCredentials(user, user).setViewportSize(1400, 900));
    }

    @BeforeAll
    void seed() {
        List<ProbeResult> results = new ArrayList<>();
        // con/7001: 10 downlink + 10 uplink results at 150 kbit/s in the last hour, one failure, one 30 h ago.
        for (int i = 0; i < 20; i++) {
            results.add(TestData.ok("con", "7001", i % 2 == 0 ? Direction.DOWNLINK : Direction.UPLINK, 150_000,
                    now.minus(60 - 2 * i, ChronoUnit.MINUTES)));
        }
        results.add(TestData.failed("con", "7001", Outcome.TIMEOUT, now.minus(10, ChronoUnit.MINUTES)));
        results.add(0, TestData.ok("con", "7001", Direction.DOWNLINK, 150_000, now.minus(30, ChronoUnit.HOURS)));
        for (int i = 0; i < 3; i++) {
            results.add(TestData.ok("con", "7002", Direction.DOWNLINK, 50_000, now.minus(30 - i, ChronoUnit.MINUTES)));
            results.add(TestData.ok("con", "7003", Direction.DOWNLINK, 20_000, now.minus(30 - i, ChronoUnit.MINUTES)));
            results.add(TestData.failed("con", "7004", Outcome.UNREACHABLE, now.minus(30 - i, ChronoUnit.MINUTES)));
        }
        results.add(TestData.ok("con2", "7101", Direction.DOWNLINK, 200_000, now.minus(5, ChronoUnit.MINUTES)));
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            // Each phone's ceiling, as the writer reports it: no decision is made before it. With the stock
            // translators and one call, its tiers are 109.0k (G.722/G.711 at 87.2 / 0.8) with all four codecs,
            // 45.5k (GSM at 36.4 / 0.8) and no-codec-fits.
            for (String key : List.of("con/7001", "con/7002", "con/7003", "con/7004", "con2/7101")) {
                String[] pe = key.split("/");
                EndpointCeiling c = new EndpointCeiling(1, pe[0], pe[1], List.of("ulaw", "alaw", "g722", "gsm"),
                        EndpointCeiling.Source.FILE, now);
                kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));
            }
            results.forEach(r -> kafka.send(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r)));
            TestData.await("5 phones stored", WAIT, () -> viewerApi("/api/v1/endpoints?pbx=con").path("items.size()")
                    .equals(4) && viewerApi("/api/v1/endpoints/con/7004").path("status").equals("UNMEASURED")
                    && viewerApi("/api/v1/endpoints/con/7003").path("tier") != null
                    && viewerApi("/api/v1/endpoints/con2/7101").statusCode() == 200);
            // The config writer could not apply con/7003's decision: that phone is a problem.
            String decision = viewerApi("/api/v1/endpoints/con/7003/decisions").path("[0].decisionId");
            kafka.send(Topics.CONFIG_APPLIED, "con/7003", EventJson.toJson(new ConfigApplied(1,
                    UUID.fromString(decision), "con", "7003", ConfigApplied.Status.FAILED, List.of(),
                    "pjsip.conf not writable", now)));
            TestData.await("con/7003 apply failed", WAIT, () -> "FAILED".equals(
                    viewerApi("/api/v1/endpoints/con/7003/decisions").path("[0].appliedStatus")));
        }
        playwright = playwright();
        browser = chromium(playwright);
    }

    @AfterAll
    void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    /** RestAssured's port is set per test, after {@code @BeforeAll}: address the service explicitly. */
    private io.restassured.response.Response viewerApi(String path) {
        return given().port(base.getPort()).auth().preemptive().basic("viewer", "viewer").get(path);
    }

    private static String tierOf(Page page, String key) {
        return page.locator("tr[data-key='" + key + "'] td.tier").innerText().strip();
    }

    @Test
    void fleetListsPhonesWithTiersAndProblemsFirst() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/?pbx=con");
            assertEquals(List.of("con/7003", "con/7001", "con/7002", "con/7004"),
                    page.locator("#fleet-body tr").all().stream().map(r -> r.getAttribute("data-key")).toList(),
                    "the failed apply first, then by endpoint");
            assertEquals("109.0k", tierOf(page, "con/7001"));
            assertEquals("45.5k", tierOf(page, "con/7002"));
            assertEquals("no-codec-fits", tierOf(page, "con/7003"));
            assertEquals("—", tierOf(page, "con/7004"));
            assertEquals("UNMEASURED", page.locator("tr[data-key='con/7004'] td.status").innerText().strip());
            assertEquals("apply failed", page.locator("tr[data-key='con/7003'] .badge").innerText());
            assertEquals("150 kbit/s", page.locator("tr[data-key='con/7001'] td.num").first().innerText());
            assertEquals("10.231.7.2", page.locator("tr[data-key='con/7001'] td").nth(2).innerText());
            assertEquals("gsm", page.locator("tr[data-key='con/7003'] td.decided").innerText(),
                    "20 kbit/s: nothing fits, the leanest codec of the ceiling");
            assertTrue(page.locator("tr[data-key='con/7003'] td.status").innerText().startsWith("NO_CODEC_FITS"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("fleet.png")).setFullPage(true));
        }
    }

    @Test
    void filtersSearchAndSortNarrowTheTable() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/");
            page.selectOption("#filter-pbx", "con2");
            page.click("#filter-apply");
            page.waitForURL("**pbx=con2**");
            assertEquals(List.of("con2/7101"), keys(page));
            page.selectOption("#filter-pbx", "con");
            page.selectOption("#filter-status", "UNMEASURED");
            page.click("#filter-apply");
            page.waitForURL("**status=UNMEASURED**");
            assertEquals(List.of("con/7004"), keys(page));
            page.navigate("/?pbx=con&q=7002");
            assertEquals(List.of("con/7002"), keys(page));
            page.navigate("/?pbx=con&sort=down&dir=desc");
            assertEquals(List.of("con/7003", "con/7001", "con/7002", "con/7004"), keys(page),
                    "problems first, then fastest downlink first, unmeasured last");
            page.navigate("/?pbx=con&size=2");
            assertEquals(List.of("con/7003", "con/7001"), keys(page));
            page.click("#page-next");
            page.waitForURL("**page=1**");
            assertEquals(List.of("con/7002", "con/7004"), keys(page));
        }
    }

    private static List<String> keys(Page page) {
        return page.locator("#fleet-body tr").all().stream().map(r -> r.getAttribute("data-key")).toList();
    }

    @Test
    void phoneChartHasOnePointPerMeasurementInRange() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/phones/con/7001");
            assertEquals(21, page.locator("svg.chart .probe").count(), "20 results and 1 failure in the last 24 h");
            assertEquals(1, page.locator("svg.chart .probe.failed").count());
            assertEquals(10, page.locator("svg.chart circle.probe.down").count());
            assertEquals("21", page.locator("#result-count").innerText());
            assertEquals(2, page.locator("svg.chart line.threshold").count(), "high and medium; low always fits");
            assertEquals(2, page.locator("svg.chart polyline.estimate").count());
            assertEquals("109.0k", page.locator("svg.chart rect.tier-span").first().getAttribute("data-tier"));
            assertTrue(page.locator("#decisions tr.decision").first().innerText().contains("first decision"));
            assertEquals(0, page.locator("#pin-button").count(), "a viewer sees no actions");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("phone.png")).setFullPage(true));
            page.click("a.range:text('7d')");
            page.waitForURL("**range=7d");
            assertEquals(22, page.locator("svg.chart .probe").count(), "and the one of 30 h ago");
        }
    }

    @Test
    void pbxPageCountsPhonesPerTier() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/pbxs/con");
            Locator high = page.locator("#tiers tr[data-tier='109.0k'] td");
            assertEquals("109.0k", high.nth(0).innerText());
            assertEquals("1", high.nth(2).innerText(), "one MEASURED phone in 109.0k");
            assertEquals("1", page.locator("#tiers tr[data-tier='(none)'] td").nth(3).innerText(),
                    "one UNMEASURED phone without a tier");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("pbx.png")).setFullPage(true));
        }
    }

    @Test
    void adminPinsAPhoneAndTheFleetRowFollowsTheDecisionLive() {
        try (BrowserContext context = login(browser, base, "admin");
                KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            Page fleet = context.newPage();
            fleet.navigate("/?pbx=con2");
            assertEquals("109.0k", tierOf(fleet, "con2/7101"));

            Page phone = context.newPage();
            phone.navigate("/phones/con2/7101");
            phone.onDialog(dialog -> dialog.accept());
            phone.fill("#pin-codecs", "g729, gsm");
            phone.click("#pin-button");
            Locator result = phone.locator("#action-result .decision-result");
            result.waitFor();
            assertEquals("pinned", phone.locator("#action-result .result-tier").innerText());
            assertEquals("g729,gsm", phone.locator("#action-result .result-codecs").innerText());
            phone.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("phone-admin.png"))
                    .setFullPage(true));

            // The open fleet page shows the pin without a reload, then what Asterisk reported for it.
            fleet.waitForCondition(() -> "pinned".equals(tierOf(fleet, "con2/7101")),
                    new Page.WaitForConditionOptions().setTimeout(WAIT.toMillis()));
            assertEquals("g729, gsm", fleet.locator("tr[data-key='con2/7101'] td.decided").innerText());
            assertEquals("not reported yet", fleet.locator("tr[data-key='con2/7101'] td.applied").innerText());
            String decision = phone.locator("#action-result code").innerText();
            kafka.send(Topics.CONFIG_APPLIED, "con2/7101", EventJson.toJson(new ConfigApplied(1,
                    UUID.fromString(decision), "con2", "7101", ConfigApplied.Status.APPLIED, List.of("g729", "gsm"),
                    null, Instant.now())));
            fleet.waitForCondition(() -> "APPLIED: g729, gsm".equals(
                    fleet.locator("tr[data-key='con2/7101'] td.applied").innerText()),
                    new Page.WaitForConditionOptions().setTimeout(WAIT.toMillis()));

            phone.navigate("/phones/con2/7101");
            phone.click("#unpin-button");
            phone.locator("#action-result .decision-result").waitFor();
            assertEquals("109.0k", phone.locator("#action-result .result-tier").innerText());
            phone.click("#redecide-button");
            phone.locator("#action-result .decision-result:has-text('decided again')").waitFor();
            assertEquals("109.0k", phone.locator("#action-result .result-tier").innerText());
        }
    }

    @Test
    void viewerHasNoActionsAndForgedPostsAreRefused() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/phones/con/7002");
            assertEquals(0, page.locator("#actions").count());
            assertEquals(0, page.locator("#pin-button").count());
            assertEquals(0, page.locator("meta[name='vbo-csrf']").count());
        }
        given().auth().preemptive().basic("viewer", "viewer").formParam("codecs", "gsm")
                .post("/console/actions/con/7002/pin").then().statusCode(403);
        // An admin's browser without the page's token: what a cross-site form would send.
        given().auth().preemptive().basic("admin", "admin").formParam("codecs", "gsm")
                .post("/console/actions/con/7002/pin").then().statusCode(403);
        given().auth().preemptive().basic("admin", "admin").header("X-VBO-CSRF", "forged").formParam("codecs", "gsm")
                .post("/console/actions/con/7002/pin").then().statusCode(403);
        given().auth().preemptive().basic("admin", "admin").post("/console/actions/con/7002/redecide").then()
                .statusCode(403);
        assertEquals("45.5k", viewerApi("/api/v1/endpoints/con/7002").path("tier"), "nothing was pinned");
        given().get("/").then().statusCode(401);
    }
}

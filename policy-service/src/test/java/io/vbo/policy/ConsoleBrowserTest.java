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
import io.vbo.events.CallQuality;
import io.vbo.events.ConfigApplied;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.PbxCapabilities;
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
 * PostgreSQL; every phone's results arrive through {@code vbo.probe-results}. "Probe now" goes to
 * {@link ProbeServiceStub}, an HTTP server on loopback. Screenshots go to target/console-screenshots/.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = ProbeServiceStub.class, restrictToAnnotatedClass = true)
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
        results.add(TestData.ok("con3", "7201", Direction.DOWNLINK, 200_000, now.minus(5, ChronoUnit.MINUTES)));
        // con4/7301 and con4/7302 share site "branch" (discovery saw them behind one address): 200 kbit/s both ways.
        for (String e : List.of("7301", "7302")) {
            results.add(TestData.ok("con4", e, Direction.DOWNLINK, 200_000, now.minus(4, ChronoUnit.MINUTES)));
            results.add(TestData.ok("con4", e, Direction.UPLINK, 200_000, now.minus(4, ChronoUnit.MINUTES)));
        }
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            for (String e : List.of("7301", "7302")) {
                int port = 5060 + Integer.parseInt(e) % 10;
                EndpointObserved o = new EndpointObserved(1, "con4", e, e, "sip:" + e + "@10.231.40.7:" + port,
                        "10.231.40.7", port, "udp", ContactStatus.REACHABLE, 20_000L, "baresip", 0, now, "branch");
                kafka.send(Topics.ENDPOINTS, "con4/" + e, EventJson.toJson(o));
            }
            // Each phone's ceiling, as the writer reports it: no decision is made before it. With the stock
            // translators and one call, its tiers are 109.0k (G.722/G.711 at 87.2 / 0.8) with all four codecs,
            // 45.5k (GSM at 36.4 / 0.8) and no-codec-fits.
            for (String key : List.of("con/7001", "con/7002", "con/7003", "con/7004", "con2/7101", "con3/7201",
                    "con4/7301", "con4/7302")) {
                String[] pe = key.split("/");
                EndpointCeiling c = new EndpointCeiling(1, pe[0], pe[1], List.of("ulaw", "alaw", "g722", "gsm"),
                        EndpointCeiling.Source.FILE, now);
                kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));
            }
            // PBX con3's config writer reported its translators; con and con2 never did.
            PbxCapabilities caps = new PbxCapabilities(1, "con3", List.of("ulaw", "alaw", "g722", "gsm"),
                    PbxCapabilities.SOURCE_TRANSLATION, "config-writer con3", now.minus(1, ChronoUnit.HOURS));
            kafka.send(Topics.PBX_CAPABILITIES, caps.key(), EventJson.toJson(caps));
            results.forEach(r -> kafka.send(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r)));
            TestData.await("5 phones stored", WAIT, () -> viewerApi("/api/v1/endpoints?pbx=con").path("items.size()")
                    .equals(4) && viewerApi("/api/v1/endpoints/con/7004").path("status").equals("UNMEASURED")
                    && viewerApi("/api/v1/endpoints/con/7003").path("tier") != null
                    && viewerApi("/api/v1/endpoints/con2/7101").statusCode() == 200
                    && viewerApi("/api/v1/endpoints/con3/7201").path("tier") != null
                    && viewerApi("/api/v1/pbxs/con3/capabilities").statusCode() == 200
                    && Integer.valueOf(1).equals(viewerApi("/api/v1/sites/con4/branch").path("limit.maxCalls"))
                    && Integer.valueOf(2).equals(viewerApi("/api/v1/sites/con4/branch").path("limit.endpoints.size()")));
            // The config writer could not apply con/7003's decision: that phone is a problem.
            String decision = viewerApi("/api/v1/endpoints/con/7003/decisions").path("[0].decisionId");
            kafka.send(Topics.CONFIG_APPLIED, "con/7003", EventJson.toJson(new ConfigApplied(1,
                    UUID.fromString(decision), "con", "7003", ConfigApplied.Status.FAILED, List.of(),
                    "pjsip.conf not writable", now)));
            TestData.await("con/7003 apply failed", WAIT, () -> "FAILED".equals(
                    viewerApi("/api/v1/endpoints/con/7003/decisions").path("[0].appliedStatus")));
            // con/7001's calls: two good G.711 calls and one Asterisk did not measure in the last hour, one 30 h ago.
            List<CallQuality> calls = List.of(call("1.1", 4.3, 0.5, now.minus(50, ChronoUnit.MINUTES)),
                    call("1.2", 4.1, 1.0, now.minus(20, ChronoUnit.MINUTES)), call("1.3", null, null,
                            now.minus(5, ChronoUnit.MINUTES)), call("1.4", 4.0, 2.0, now.minus(30, ChronoUnit.HOURS)));
            calls.forEach(q -> kafka.send(Topics.CALL_QUALITY, q.key(), EventJson.toJson(q)));
            TestData.await("4 calls stored", WAIT, () -> viewerApi("/api/v1/endpoints/con/7001/calls").path("items.size()")
                    .equals(4));
        }
        playwright = playwright();
        browser = chromium(playwright);
    }

    /** A 60 s ulaw call of con/7001 that ended at {@code at}; without a MOS, one Asterisk did not measure. */
    private static CallQuality call(String uniqueId, Double mos, Double loss, Instant at) {
        CallQuality.Summary summary = mos == null
                ? new CallQuality.Summary(60_000, CallQuality.MediaPath.NOT_MEASURED, 0, null, null, null, null, null,
                        null, null, null, 16)
                : new CallQuality.Summary(60_000, CallQuality.MediaPath.RTCP, 6, 3000L, loss, loss, loss, 5.0, 8.0, 40.0,
                        mos, 16);
        return new CallQuality(1, CallQuality.Kind.SUMMARY, "con", "7001", uniqueId, uniqueId, "PJSIP/7001-00000001",
                7, "ulaw", null, summary, at);
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
            assertEquals("4.20 (3)", page.locator("tr[data-key='con/7001'] td.calls").innerText(),
                    "median MOS of the rated calls of the last 24 h, and how many calls");
            assertEquals("—", page.locator("tr[data-key='con/7002'] td.calls").innerText());
            assertEquals("gsm", page.locator("tr[data-key='con/7003'] td.decided").innerText(),
                    "20 kbit/s: nothing fits, the leanest codec of the ceiling");
            assertTrue(page.locator("tr[data-key='con/7003'] td.status").innerText().startsWith("NO_CODEC_FITS"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("fleet.png")).setFullPage(true));
        }
    }

    /**
     * Site "branch" of con4: K = 1 (the policy default, nothing learned or configured), capacity 200 kbit/s measured
     * through its phones; 200 × 0.8 = 160 kbit/s carries floor(160 ÷ 87.2) = 1 G.722/G.711 call of tier 109.0k.
     */
    @Test
    void sitesShowInTheFleetThePhoneAndThePbxPage() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/?pbx=con4");
            assertEquals("branch", page.locator("tr[data-key='con4/7301'] td.site").innerText());
            assertEquals("branch", page.locator("tr[data-key='con4/7302'] td.site").innerText());
            page.navigate("/?q=branch");
            assertEquals(List.of("con4/7301", "con4/7302"), keys(page), "the search finds a site's phones");
            page.navigate("/?pbx=con");
            assertEquals("—", page.locator("tr[data-key='con/7001'] td.site").innerText(), "a site of its own");

            page.navigate("/phones/con4/7302");
            assertEquals("branch: 2 phones share its uplink of 200 kbit/s, K = 1 concurrent calls (default), call limit 1",
                    page.locator("#phone-site").innerText());
            page.click("#phone-site a");
            page.waitForURL("**/pbxs/con4#sites");
            Locator row = page.locator("#site-table tr[data-site='branch'] td");
            assertEquals(List.of("branch", "2", "1", "default", "200 kbit/s", "109.0k", "1"), row.allInnerTexts());
            assertEquals(1, page.locator("#site-table tbody tr").count());
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("pbx-sites.png")).setFullPage(true));

            page.navigate("/phones/con/7001");
            assertEquals("none: the phone is a site of its own", page.locator("#phone-site").innerText());
            page.navigate("/pbxs/con");
            assertEquals("No site groups phones of this PBX: each is a site of its own.",
                    page.locator("#site-table tbody td").innerText());
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
            assertEquals(3, page.locator("svg.chart circle.call").count(), "the 3 calls of the last 24 h");
            assertEquals(1, page.locator("svg.chart circle.call.unrated").count());
            assertEquals(2, page.locator("svg.chart rect.call-loss").count(), "the unmeasured call has no loss");
            assertEquals("3", page.locator("#call-count").innerText());
            assertEquals(3, page.locator("#calls tr.call").count());
            assertTrue(page.locator("#calls tr.call").nth(1).innerText().contains("4.10"), "newest first");
            assertEquals("median 4.20 of 3 calls", page.locator("#phone-call-mos").innerText());
            assertTrue(page.locator("#decisions tr.decision").first().innerText().contains("first decision"));
            assertEquals(0, page.locator("#pin-button").count(), "a viewer sees no actions");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("phone.png")).setFullPage(true));
            page.click("a.range:text('7d')");
            page.waitForURL("**range=7d");
            assertEquals(22, page.locator("svg.chart .probe").count(), "and the one of 30 h ago");
            assertEquals(4, page.locator("svg.chart circle.call").count(), "and the call of 30 h ago");
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
            assertEquals("3", page.locator("#call-total .calls").innerText(), "con/7001's 3 calls of the last 24 h");
            assertEquals("0", page.locator("#call-total .bad").innerText());
            assertEquals("2", page.locator("#call-total [data-band='4.03-4.34']").innerText(), "MOS 4.3 and 4.1");
            assertEquals("0", page.locator("#call-total [data-band='4.34-4.50']").innerText());
            assertTrue(page.locator("#transcodable").innerText().contains("assumed"), page.locator("#transcodable")
                    .innerText());
            assertEquals("none received", page.locator("#ami-capabilities").innerText());
            assertTrue(page.locator("#ami-call").innerText().endsWith("(discovery, from Asterisk's RTCP events)"));
            assertTrue(page.locator("#ami-applied").innerText().endsWith("Z (config writer, after Asterisk's reload)"),
                    "con/7003's FAILED report: " + page.locator("#ami-applied").innerText());
            assertTrue(page.locator("#probe-budget").innerText().startsWith("Reported by probe-service, not known to"
                    + " the policy"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("pbx.png")).setFullPage(true));

            page.navigate("/pbxs/con3");
            assertEquals("alaw, g722, gsm, ulaw", page.locator("#transcodable .codecs").innerText());
            assertTrue(page.locator("#transcodable .source").innerText().startsWith("— read by core show translation at "),
                    page.locator("#transcodable .source").innerText());
            assertTrue(page.locator("#ami-capabilities").innerText().endsWith(
                    "(config-writer con3, core show translation over AMI)"));
            assertEquals("No call ended in the last 24 h.", page.locator("#call-hours tbody td").innerText());
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
    void adminEditsTheCeilingAndSeesTheDecision() {
        try (BrowserContext context = login(browser, base, "admin")) {
            Page phone = context.newPage();
            phone.navigate("/phones/con3/7201");
            assertTrue(phone.locator("#phone-ceiling").innerText().startsWith("ulaw, alaw, g722, gsm (FILE, "),
                    phone.locator("#phone-ceiling").innerText());
            assertEquals("ulaw, alaw, g722, gsm", phone.inputValue("#ceiling-codecs"));
            List<String> questions = new ArrayList<>();
            phone.onDialog(dialog -> {
                questions.add(dialog.message());
                dialog.accept();
            });
            phone.fill("#ceiling-codecs", "gsm");
            phone.click("#ceiling-button");
            phone.locator("#action-result .decision-result").waitFor();
            assertEquals(List.of("Set the ceiling of con3/7201 to these codecs? Decisions never allow more; the policy"
                    + " decides again now."), questions);
            assertTrue(phone.locator("#action-result").innerText().startsWith("ceiling set to gsm:"),
                    phone.locator("#action-result").innerText());
            assertEquals("45.5k", phone.locator("#action-result .result-tier").innerText(),
                    "200 kbit/s but only GSM allowed");
            assertEquals("gsm", phone.locator("#action-result .result-codecs").innerText());

            phone.navigate("/phones/con3/7201");
            assertTrue(phone.locator("#phone-ceiling").innerText().startsWith("gsm (ADMIN by admin, "),
                    phone.locator("#phone-ceiling").innerText());
            assertEquals("45.5k", phone.locator("#phone-tier").innerText());
            phone.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("phone-ceiling.png"))
                    .setFullPage(true));
        }
        assertEquals(List.of("gsm"), viewerApi("/api/v1/endpoints/con3/7201/ceiling").path("codecs"));
    }

    @Test
    void adminProbesNowThroughProbeServiceAndSeesItsRefusal() {
        ProbeServiceStub.SEEN.clear();
        try (BrowserContext context = login(browser, base, "admin")) {
            Page phone = context.newPage();
            phone.onDialog(dialog -> dialog.accept());
            phone.navigate("/phones/con/7001");
            assertEquals(0, phone.locator("#probe-absent").count());
            phone.click("#probe-button");
            phone.locator("#action-result .decision-result").waitFor();
            assertTrue(phone.locator("#action-result").innerText().startsWith(
                    "probe requested: probe-service made con/7001 due now;"), phone.locator("#action-result").innerText());
            assertEquals("109.0k", phone.locator("#action-result .result-tier").innerText(), "the decision in force");
            assertEquals(List.of(new ProbeServiceStub.Seen("POST", "/probes/endpoints/con/7001",
                    "Basic YWRtaW46YWRtaW4=")), ProbeServiceStub.SEEN, "the admin's own credentials, sent on");

            phone.navigate("/phones/con2/7101");
            phone.click("#probe-button");
            phone.locator("#action-result .error").waitFor();
            assertEquals("Refused (502): probe-service answered 404: no endpoint con2/7101 is scheduled here",
                    phone.locator("#action-result .error").innerText());
        }
        given().auth().preemptive().basic("viewer", "viewer").post("/console/actions/con/7001/probe").then()
                .statusCode(403);
        given().auth().preemptive().basic("admin", "admin").post("/console/actions/con/7001/probe").then()
                .statusCode(403);
        assertEquals(2, ProbeServiceStub.SEEN.size(), "refused posts never reach probe-service");
    }

    @Test
    void viewerHasNoActionsAndForgedPostsAreRefused() {
        try (BrowserContext context = login(browser, base, "viewer")) {
            Page page = context.newPage();
            page.navigate("/phones/con/7002");
            assertEquals(0, page.locator("#actions").count());
            assertEquals(0, page.locator("#pin-button").count());
            assertEquals(0, page.locator("#ceiling-button").count());
            assertEquals(0, page.locator("#probe-button").count());
            assertTrue(page.locator("#phone-ceiling").innerText().startsWith("ulaw, alaw, g722, gsm (FILE"),
                    "a viewer sees the ceiling");
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
        given().auth().preemptive().basic("viewer", "viewer").formParam("codecs", "gsm")
                .post("/console/actions/con/7002/ceiling").then().statusCode(403);
        given().auth().preemptive().basic("admin", "admin").formParam("codecs", "gsm")
                .post("/console/actions/con/7002/ceiling").then().statusCode(403);
        assertEquals(List.of("ulaw", "alaw", "g722", "gsm"), viewerApi("/api/v1/endpoints/con/7002/ceiling")
                .path("codecs"), "the ceiling was not changed");
        assertEquals("45.5k", viewerApi("/api/v1/endpoints/con/7002").path("tier"), "nothing was pinned");
        given().get("/").then().statusCode(401);
    }
}

package io.vbo.policy;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.CallQuality;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.service.AppliedService;
import io.vbo.policy.service.CallService;
import io.vbo.policy.service.CeilingService;
import io.vbo.policy.service.IngestService;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (surefire only picks *Test classes): the fleet page with 2,000
 * phones (20 PBXs × 100) in Debian's Chromium, time from navigation start to the first frame with the table built
 * (the page's {@code vbo-rendered} mark), for the default page of 100 rows and for all 2,000 rows on one page, plus
 * the live refresh of 2,000 rows. Also writes the screenshots used in docs/.
 *
 * <pre>
 * ./mvnw -B -q -pl policy-service -am verify -Dtest=FleetPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Results are printed and written to policy-service/target/console-benchmark.md.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class FleetPageBenchmark {
    private static final int PBXS = 20;
    private static final int PER_PBX = 100;
    private static final int RUNS = Integer.getInteger("bench.runs", 9);

    @Inject
    IngestService ingest;
    @Inject
    AppliedService applied;
    @Inject
    CallService calls;
    @Inject
    CeilingService ceilings;
    @TestHTTPResource("/")
    URL base;

    private final StringBuilder report = new StringBuilder();

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println("[bench] " + line);
        report.append(line).append('\n');
    }

    @Test
    void fleetPageWith2000Phones() throws IOException, URISyntaxException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        seedFleet(now);
        seedDocsPhone(now);
        serverTime("/?size=100");
        serverTime("/?size=2000");
        try (Playwright playwright = ConsoleBrowserTest.playwright();
                Browser browser = ConsoleBrowserTest.chromium(playwright);
                BrowserContext context = ConsoleBrowserTest.login(browser, base, "admin")) {
            Page page = context.newPage();
            measure(page, "/?pbx=&size=100", 100);
            measure(page, "/?size=2000", 2000);
            double[] refresh = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                refresh[i] = ((Number) page.evaluate("async () => { const t = performance.now();"
                        + " const r = await fetch('/console/fleet/rows?size=2000'); await r.text();"
                        + " return performance.now() - t; }")).doubleValue();
            }
            say("live refresh fetch, 2000 rows: median %.0f ms, max %.0f ms (%d runs)", median(refresh), max(refresh),
                    RUNS);

            // The same 2,000 rows laid out as the plain table they were before the grid rows (for comparison on the
            // same machine at the same time).
            try (BrowserContext tableContext = ConsoleBrowserTest.login(browser, base, "admin")) {
                tableContext.addInitScript("document.addEventListener('DOMContentLoaded', () => {"
                        + " const s = document.createElement('style'); s.textContent = '#fleet { display: table; }"
                        + " #fleet thead { display: table-header-group; position: static; }"
                        + " #fleet tbody { display: table-row-group; } #fleet tr { display: table-row;"
                        + " content-visibility: visible; } #fleet th, #fleet td { display: table-cell; }"
                        + " #fleet th { position: sticky; }'; document.head.appendChild(s); });");
                say("as a plain table (before):");
                measure(tableContext.newPage(), "/?size=2000", 2000);
            }

            page.setViewportSize(1600, 900);
            page.navigate("/?pbx=pbx00&size=20");
            page.screenshot(new Page.ScreenshotOptions().setPath(ConsoleBrowserTest.SCREENSHOTS.resolve("docs-fleet.png")));
            page.setViewportSize(1400, 900);
            page.navigate("/phones/lab/6001");
            page.screenshot(new Page.ScreenshotOptions().setPath(ConsoleBrowserTest.SCREENSHOTS.resolve("docs-phone.png"))
                    .setFullPage(true));
        }
        Files.writeString(Path.of("target/console-benchmark.md"), report);
    }

    /** The server's part alone: the whole HTML of a fleet page over HTTP, without a browser. */
    private void serverTime(String path) throws URISyntaxException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve(path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8))).build();
        double[] ms = new double[RUNS];
        long bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(client, request);
            ms[i] = (System.nanoTime() - start) / 1e6;
            bytes = response.body().length();
        }
        say("server %s: HTML (%d kB) in median %.0f ms, max %.0f ms (%d runs)", path, bytes / 1024, median(ms), max(ms),
                RUNS);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(request.uri() + " → " + response.statusCode());
            }
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void measure(Page page, String url, int expectedRows) {
        double[] rendered = new double[RUNS];
        double[] response = new double[RUNS];
        double[] painted = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            page.navigate(url);
            page.waitForFunction("() => performance.getEntriesByName('vbo-painted').length > 0");
            rendered[i] = ((Number) page.evaluate("() => performance.getEntriesByName('vbo-rendered')[0].startTime"))
                    .doubleValue();
            response[i] = ((Number) page.evaluate("() => performance.getEntriesByType('navigation')[0].responseEnd"))
                    .doubleValue();
            painted[i] = ((Number) page.evaluate("() => performance.getEntriesByName('vbo-painted')[0].startTime"))
                    .doubleValue();
            int rows = page.locator("#fleet-body tr").count();
            if (rows != expectedRows) {
                throw new AssertionError(url + ": " + rows + " rows, expected " + expectedRows);
            }
        }
        say("%s (%d rows): rendered median %.0f ms, max %.0f ms; HTML received median %.0f ms (%d runs, first %.0f ms)",
                url, expectedRows, median(rendered), max(rendered), median(response), RUNS, rendered[0]);
        double[] browserShare = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            browserShare[i] = rendered[i] - response[i];
        }
        say("  browser's share (rendered - HTML received) median %.0f ms; first frame painted median %.0f ms",
                median(browserShare), median(painted));
    }

    /** 2,000 phones with varied links; a few failed applies and rollbacks so problems head the table. */
    private void seedFleet(Instant now) {
        Random random = new Random(13);
        List<ProbeResult> results = new ArrayList<>();
        for (int p = 0; p < PBXS; p++) {
            for (int e = 0; e < PER_PBX; e++) {
                String pbx = String.format(Locale.ROOT, "pbx%02d", p);
                String endpoint = String.valueOf(1000 + e);
                String address = "10.231." + p + "." + (e + 2);
                double rate = Math.pow(10, 4.3 + random.nextDouble() * 2.5);
                for (int i = 0; i < 4; i++) {
                    Instant at = now.minus(60 - i * 10, ChronoUnit.MINUTES);
                    Direction d = i % 2 == 0 ? Direction.DOWNLINK : Direction.UPLINK;
                    if (e % 50 == 49) {
                        results.add(result(pbx, endpoint, address, d, Protocol.TCP, null, null, null, Outcome.UNREACHABLE, at));
                    } else {
                        results.add(result(pbx, endpoint, address, d, Protocol.TCP, (long) (rate * (0.9 + random.nextDouble() * 0.2)),
                                null, null, Outcome.OK, at));
                    }
                }
                results.add(result(pbx, endpoint, address, Direction.DOWNLINK, Protocol.UDP, 64_000L,
                        random.nextDouble() * 3, random.nextDouble() * 20, Outcome.OK, now.minus(5, ChronoUnit.MINUTES)));
            }
        }
        for (int p = 0; p < PBXS; p++) {
            for (int e = 0; e < PER_PBX; e++) {
                ceilings.record(new EndpointCeiling(1, String.format(Locale.ROOT, "pbx%02d", p), String.valueOf(1000 + e),
                        List.of("g722", "ulaw", "alaw", "gsm"), EndpointCeiling.Source.FILE, now.minus(2, ChronoUnit.HOURS)));
            }
        }
        for (int i = 0; i < results.size(); i += 5000) {
            ingest.ingest(results.subList(i, Math.min(results.size(), i + 5000)));
        }
        List<DecisionEntity> decisions = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> DecisionEntity.<DecisionEntity>listAll());
        for (DecisionEntity d : decisions) {
            int n = Integer.parseInt(d.endpoint) % 100;
            ConfigApplied.Status status = n == 7 ? ConfigApplied.Status.FAILED
                    : n == 13 ? ConfigApplied.Status.ROLLED_BACK : ConfigApplied.Status.APPLIED;
            applied.record(new ConfigApplied(1, d.decisionId, d.pbxId, d.endpoint, status,
                    status == ConfigApplied.Status.APPLIED ? Arrays.asList(d.codecs.split(",")) : List.of(),
                    status == ConfigApplied.Status.FAILED ? "pjsip.conf: permission denied"
                            : status == ConfigApplied.Status.ROLLED_BACK ? "reload failed, previous file restored" : null,
                    now));
        }
        List<CallQuality> summaries = new ArrayList<>();
        for (int p = 0; p < PBXS; p++) {
            for (int e = 0; e < PER_PBX; e++) {
                for (int c = 0; c < 2; c++) {
                    summaries.add(call(String.format(Locale.ROOT, "pbx%02d", p), String.valueOf(1000 + e),
                            3.2 + random.nextDouble() * 1.2, random.nextDouble() * 3, now.minus(30 + c * 120,
                                    ChronoUnit.MINUTES)));
                }
            }
        }
        for (int i = 0; i < summaries.size(); i += 1000) {
            calls.ingest(summaries.subList(i, Math.min(summaries.size(), i + 1000)));
        }
        say("seeded %d results and %d calls for %d phones, %d decisions", results.size(), summaries.size(),
                PBXS * PER_PBX, decisions.size());
    }

    /** A phone whose link sagged for a few hours yesterday: the chart in docs/console-phone.png. */
    private void seedDocsPhone(Instant now) {
        Random random = new Random(6001);
        List<ProbeResult> results = new ArrayList<>();
        Instant start = now.minus(24, ChronoUnit.HOURS);
        for (int e = 6001; e <= 6006; e++) {
            ceilings.record(new EndpointCeiling(1, "lab", String.valueOf(e), List.of("g722", "ulaw", "alaw", "gsm"),
                    EndpointCeiling.Source.FILE, start.minus(1, ChronoUnit.HOURS)));
        }
        for (int i = 0; i < 72; i++) {
            Instant at = start.plus(20L * i, ChronoUnit.MINUTES);
            double base = i >= 30 && i < 44 ? 70_000 : 420_000;
            for (Direction d : Direction.values()) {
                double rate = base * (d == Direction.UPLINK ? 0.8 : 1) * (0.8 + random.nextDouble() * 0.4);
                results.add(i == 50 && d == Direction.UPLINK
                        ? result("lab", "6001", "10.231.1.2", d, Protocol.TCP, null, null, null, Outcome.TIMEOUT, at)
                        : result("lab", "6001", "10.231.1.2", d, Protocol.TCP, (long) rate, null, null, Outcome.OK, at));
            }
            results.add(result("lab", "6001", "10.231.1.2", Direction.DOWNLINK, Protocol.UDP, 64_000L,
                    random.nextDouble(), 2 + random.nextDouble() * 6, Outcome.OK, at.plusSeconds(30)));
        }
        for (int e = 6002; e <= 6006; e++) {
            double rate = e == 6004 ? 30_000 : e == 6005 ? 80_000 : 600_000;
            for (int i = 0; i < 4; i++) {
                results.add(result("lab", String.valueOf(e), "10.231.1." + (e - 6000 + 1),
                        i % 2 == 0 ? Direction.DOWNLINK : Direction.UPLINK, Protocol.TCP, (long) rate, null, null,
                        Outcome.OK, now.minus(40 - i * 10, ChronoUnit.MINUTES)));
            }
        }
        List<CallQuality> labCalls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            boolean sag = i >= 10 && i < 15;
            labCalls.add(call("lab", "6001", sag ? 3.0 + random.nextDouble() * 0.5 : 4.1 + random.nextDouble() * 0.3,
                    sag ? 6 + random.nextDouble() * 6 : random.nextDouble(), start.plus(i * 60L + 37, ChronoUnit.MINUTES)));
        }
        calls.ingest(labCalls);
        results.sort(java.util.Comparator.comparing(ProbeResult::startedAt));
        // One result at a time, each decision dated a few seconds after the result that caused it: as if they had
        // arrived live (backfilled results are otherwise all decided "now").
        for (ProbeResult r : results) {
            for (DecisionEntity d : ingest.ingest(List.of(r)).decisions()) {
                Instant decided = r.startedAt().plusSeconds(5);
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> DecisionEntity.update(
                        "decidedAt = ?1 where decisionId = ?2", decided, d.decisionId));
            }
        }
    }

    private static int callNumber;

    /** A 3-minute ulaw call's summary that ended at {@code at}. */
    private static CallQuality call(String pbx, String endpoint, double mos, double loss, Instant at) {
        String uniqueId = "1796150000." + callNumber++;
        return new CallQuality(1, CallQuality.Kind.SUMMARY, pbx, endpoint, uniqueId, uniqueId, "PJSIP/" + endpoint
                + "-00000001", 19, "ulaw", null, new CallQuality.Summary(180_000, CallQuality.MediaPath.RTCP, 18, 9000L,
                        loss, loss, loss, 4 + loss * 3, 9 + loss * 5, 40.0, mos, 16), at);
    }

    private static ProbeResult result(String pbx, String endpoint, String address, Direction direction,
            Protocol protocol, Long bps, Double loss, Double jitter, Outcome outcome, Instant at) {
        return new ProbeResult(1, UUID.randomUUID(), pbx, endpoint, address, direction, protocol, bps,
                protocol == Protocol.TCP && bps != null ? 0 : null, jitter, loss, outcome == Outcome.OK ? 28_000L : null,
                3100, outcome, outcome == Outcome.OK ? null : "unable to connect to server", at);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}

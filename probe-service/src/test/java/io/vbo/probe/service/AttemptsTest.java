package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.SiteLimit;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.ProbeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration as an operator writes it, and the attempts one probe makes from it. */
class AttemptsTest {

    @Test
    void defaultsAreTheLadderWithTwoSecondStepsDownThenUpEveryFifteenMinutes() {
        ProbeConfig config = config(Map.of());
        assertEquals(Duration.ofMinutes(15), config.interval());
        assertEquals(64, config.maxParallelPerPbx());
        assertEquals(64, config.maxParallel());
        assertEquals(1_000_000, config.budget());
        assertEquals(0.05, config.budgetShare());
        assertEquals(Duration.ofSeconds(10), config.ladder().checkInterval());
        assertEquals(1, config.ladder().checkSeconds());
        assertTrue(config.pbxIds().isEmpty());
        assertEquals(List.of(ProbeSpec.ladder("10.0.0.5", 5201, Direction.DOWNLINK, 2, 1),
                ProbeSpec.ladder("10.0.0.5", 5201, Direction.UPLINK, 2, 1)),
                prober(config).attempts("10.0.0.5", 1, config.profiles()));
        assertEquals(8, config.ladder().confirmSeconds());
        assertEquals(Duration.ofMillis(200), config.ladder().stepPause());
        assertEquals(2.0, config.ladder().maxLossPercent());
        assertEquals(30.0, config.ladder().maxJitterMs());
        assertEquals(100.0, config.ladder().maxDelayGrowthMs());
        assertEquals(2, config.ladder().retries());
        assertEquals(Duration.ofSeconds(3), config.ladder().retryPause());
    }

    @Test
    void tcpStaysSelectableThreeSecondsDownThenUp() {
        ProbeConfig config = config(Map.of("vbo.probe.profiles", "tcp"));
        assertEquals(List.of(ProbeSpec.tcp("10.0.0.5", 5201, Direction.DOWNLINK, 3),
                ProbeSpec.tcp("10.0.0.5", 5201, Direction.UPLINK, 3)), prober(config).attempts("10.0.0.5", 1,
                config.profiles()));
        assertEquals(Long.MAX_VALUE, prober(config).peakBps(prober(config).attempts("10.0.0.5", 1, config.profiles())),
                "TCP fills the link: it runs alone on its budget");
        ProbeConfig.Reprobe reprobe = config.reprobe();
        assertEquals(Duration.ofMinutes(1), reprobe.minGap());
        assertEquals(3.0, reprobe.rttFactor());
        assertEquals(Duration.ofMillis(20), reprobe.rttMinRise());
        assertEquals(0.125, reprobe.rttWeight());
        assertEquals(Duration.ofSeconds(30), reprobe.rttQuietAfterProbe());
        assertEquals(2.0, reprobe.callLossPercent());
        assertEquals(Duration.ofMillis(30), reprobe.callJitter());
    }

    @Test
    void budgetsPerPbxAndSiteAndASitesProbeHost() {
        ProbeConfig config = config(Map.of("vbo.probe.profiles", "voice", "vbo.probe.pbx.\"pbx-a\".budget", "344000",
                "vbo.probe.sites.\"branch-1\".budget", "100000", "vbo.probe.sites.\"branch-1\".probe-host",
                "10.0.7.7"));
        assertEquals(344_000L, config.pbx().get("pbx-a").budget().orElseThrow());
        assertEquals(100_000L, config.sites().get("branch-1").budget().orElseThrow());
        assertEquals("10.0.7.7", config.sites().get("branch-1").probeHost().orElseThrow());
        assertEquals(68_800, prober(config).peakBps(prober(config).attempts("10.0.0.5", 1, config.profiles())),
                "one G.711 call's packets");
    }

    @Test
    void aLadderReservesItsTopStepForKCallsAndASiteIsProbedAtItsOwnK() {
        EndpointProber prober = prober(config(Map.of()));
        // Two rungs: GSM (33 + 12 bytes every 20 ms) and G.711 (160 + 12 bytes every 20 ms); the policy's K = 2.
        prober.ladder = new io.vbo.probe.iperf.LadderProbe(null, List.of(
                new io.vbo.events.VoiceLadder.Rung(List.of("gsm"), 45, 20),
                new io.vbo.events.VoiceLadder.Rung(List.of("ulaw", "alaw"), 172, 20)), 2,
                new io.vbo.probe.iperf.LadderProbe.Limits(2, 30, 100), Duration.ofMillis(200), 8, 2, Duration.ofSeconds(3),
                io.vbo.probe.iperf.EchoWatch.off());
        prober.sites = new SiteCalls();
        EndpointObserved phone = ScheduleTest.observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0);
        List<ProbeConfig.Profile> ladder = List.of(ProbeConfig.Profile.LADDER);
        // 172 bytes × 8 bits × 50 packets/s × 2 calls
        assertEquals(137_600, prober.peakBps(prober.attempts(phone, ladder)));
        assertEquals(68_800, prober.callBps(), "a live call counts as one G.711 call");
        assertEquals(Long.MAX_VALUE, prober.peakBps(prober.attempts(phone, List.of(ProbeConfig.Profile.TCP))),
                "an operator's TCP probe on a ladder fleet fills the link: it runs alone on its budget");
        assertEquals(List.of(ProbeSpec.tcp("10.0.0.5", 5201, Direction.DOWNLINK, 3),
                ProbeSpec.tcp("10.0.0.5", 5201, Direction.UPLINK, 3)),
                prober.attempts(phone, List.of(ProbeConfig.Profile.TCP)));

        EndpointObserved member = at(phone, "pbx-1", "branch");
        assertEquals(2, prober.attempts(member, ladder).get(0).calls(), "no limit yet: the policy's K");
        prober.sites.update(new SiteLimit(SiteLimit.SCHEMA, "pbx-1", "branch", List.of("1001"), "gsm", "gsm", 36_400,
                160_000, 4, 3, SiteLimit.ConcurrentSource.LEARNED, Instant.now()));
        assertEquals(List.of(3, 3), prober.attempts(member, ladder).stream().map(ProbeSpec::calls).toList());
        assertEquals(3 * 68_800, prober.peakBps(prober.attempts(member, ladder)));
        assertEquals(2, prober.attempts(phone, ladder).get(0).calls(), "a phone of its own keeps the policy's K");
        assertEquals(2, prober.attempts(at(phone, "pbx-2", "branch"), ladder).get(0).calls(),
                "a site of the same name on another PBX is another site");
        prober.sites.remove("pbx-1", "branch");
        assertEquals(2, prober.attempts(member, ladder).get(0).calls(), "the site is gone");
    }

    @Test
    void aLaddersTwoDirectionsRunTogetherUnlessConfiguredOtherwiseAndEverythingElseOneByOne() {
        ProbeConfig config = config(Map.of("vbo.probe.profiles", "ladder,tcp"));
        assertTrue(config.ladder().bothDirections());
        List<ProbeSpec> attempts = prober(config).attempts("10.0.0.5", 2, config.profiles());
        assertEquals(List.of(attempts.subList(0, 2), List.of(attempts.get(2)), List.of(attempts.get(3))),
                prober(config).together(attempts));
        ProbeConfig apart = config(Map.of("vbo.probe.ladder.both-directions", "false"));
        List<ProbeSpec> ladder = prober(apart).attempts("10.0.0.5", 2, apart.profiles());
        assertEquals(List.of(List.of(ladder.get(0)), List.of(ladder.get(1))), prober(apart).together(ladder));
    }

    private static EndpointObserved at(EndpointObserved o, String pbxId, String site) {
        return new EndpointObserved(o.schema(), pbxId, o.endpoint(), o.aor(), o.contactUri(), o.address(), o.port(),
                o.transport(), o.status(), o.rttMicros(), o.userAgent(), o.activeCalls(), o.observedAt(), site);
    }

    @Test
    void voiceProfileAndShortIntervalsAsTheEndToEndRunSetsThem() {
        ProbeConfig config = config(Map.of("vbo.probe.profiles", "tcp,voice", "vbo.probe.interval", "20S",
                "vbo.probe.iperf3.port", "5301", "vbo.probe.iperf3.tcp-seconds", "2", "vbo.probe.pbx-ids", "pbx-a,pbx-b"));
        assertEquals(Duration.ofSeconds(20), config.interval());
        assertEquals(java.util.Set.of("pbx-a", "pbx-b"), config.pbxIds().orElseThrow());
        List<ProbeSpec> attempts = prober(config).attempts("10.0.0.5", 1, config.profiles());
        assertEquals(4, attempts.size());
        assertEquals(ProbeSpec.tcp("10.0.0.5", 5301, Direction.DOWNLINK, 2), attempts.get(0));
        assertEquals(ProbeSpec.voice("10.0.0.5", 5301, Direction.UPLINK, 3, 172, 50), attempts.get(3));
        assertEquals(Protocol.UDP, attempts.get(2).protocol());
        assertEquals(68_800, attempts.get(2).udpBitsPerSecond());
    }

    private static EndpointProber prober(ProbeConfig config) {
        EndpointProber prober = new EndpointProber();
        prober.config = config;
        return prober;
    }

    private static ProbeConfig config(Map<String, String> values) {
        // Quarkus' own Duration converter, so "20S" reads as it does in the running service.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ProbeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
        return config.getConfigMapping(ProbeConfig.class);
    }
}

package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.VoiceLadder;
import io.vbo.probe.iperf.LadderProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private double random = 0.5;
    /**
     * 15 min ± 20 %, re-probes 1 min after the last probe at the soonest, RTTs ignored 30 s after a probe, checks
     * every 20 s.
     */
    private final Schedule schedule = new Schedule(Duration.ofMinutes(15), 0.2, Duration.ofMinutes(1),
            Duration.ofSeconds(30), new RttRise(0.125, 3, 20_000), site -> Optional.ofNullable(
                    Map.of("hq", "10.0.9.9").get(site)), () -> random, Duration.ofSeconds(20));
    private static final EndpointProber.CheckAt G711 = new EndpointProber.CheckAt(
            new VoiceLadder.Rung(List.of("alaw", "g722", "ulaw"), 172, 20), 1);

    private Schedule.Entry observe(EndpointObserved o, Instant at) {
        return schedule.observe(o, at).entry();
    }

    @Test
    void betweenLaddersALinkIsCheckedAndOneThatNoLongerCarriesItsRungGetsItsLadder() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        e.running = true;
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        schedule.checkFrom(e, G711, T0);
        assertEquals(List.of(), schedule.due(T0.plusSeconds(19)));
        assertEquals(List.of(e), schedule.due(T0.plusSeconds(20)));
        assertTrue(e.checkDue(T0.plusSeconds(20)), "a check, not the ladder (due at 15 min)");

        e.running = true;
        schedule.checked(e, check(Outcome.OK, true), T0.plusSeconds(21));
        assertEquals(List.of(), schedule.due(T0.plusSeconds(40)));
        assertTrue(e.checkDue(T0.plusSeconds(41)));

        e.running = true;
        schedule.checked(e, check(Outcome.DEFERRED_ACTIVE_CALL, false), T0.plusSeconds(42));
        assertTrue(e.checkDue(T0.plusSeconds(42)), "a check stopped for a call is due again after it");

        e.running = true;
        schedule.checked(e, check(Outcome.OK, false), T0.plusSeconds(43));
        assertNull(e.check, "no checks until the ladder has run");
        assertEquals(List.of(), schedule.due(T0.plusSeconds(59)), "the ladder waits for min-gap after the last");
        assertEquals(List.of(e), schedule.due(T0.plusSeconds(60)));
        assertFalse(e.checkDue(T0.plusSeconds(60)));
    }

    @Test
    void aLadderThatLeftNoRungToCheckEndsTheChecks() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        schedule.checkFrom(e, G711, T0);
        schedule.checkFrom(e, null, T0.plusSeconds(30));
        assertNull(e.check);
        schedule.checkFrom(e, G711, T0.plusSeconds(60));
        observe(observed("1001", "10.0.0.6", ContactStatus.REACHABLE, 0), T0.plusSeconds(61));
        assertNull(e.check, "a new address is a new link: its ladder, not a check");
    }

    private static LadderProbe.Check check(Outcome outcome, boolean carried) {
        return new LadderProbe.Check(outcome, carried, Map.of());
    }

    @Test
    void dueWhenFirstSeenThenAfterTheInterval() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        assertEquals(List.of(e), schedule.due(T0));
        e.running = true;
        assertEquals(List.of(), schedule.due(T0), "a running probe is not due again");
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        assertEquals(List.of(), schedule.due(T0.plus(Duration.ofMinutes(14))));
        assertEquals(List.of(e), schedule.due(T0.plus(Duration.ofMinutes(15))));
    }

    @Test
    void anOperatorsRequestIsDueAtOnceOrRightAfterTheProbeRunningNow() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        Instant asked = T0.plusSeconds(30);
        schedule.dueNow(e, asked);
        assertEquals(List.of(e), schedule.due(asked), "idle: due at once, not after the interval");

        e.running = true;
        schedule.dueNow(e, asked);
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, asked.plusSeconds(40));
        assertEquals(asked.plusSeconds(40), e.nextDue, "asked while a probe ran: due when it ended");
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, asked.plusSeconds(50));
        assertEquals(List.of(), schedule.due(asked.plusSeconds(51)), "once: the next one is an interval later");
    }

    @Test
    void intervalIsSpreadRandomlyWithinTheConfiguredFraction() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        random = 0.0;
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        assertEquals(T0.plus(Duration.ofMinutes(12)), e.nextDue);
        random = 0.999_999;
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        assertTrue(e.nextDue.isAfter(T0.plus(Duration.ofSeconds(1079))) && !e.nextDue.isAfter(T0.plus(Duration.ofMinutes(18))),
                e.nextDue.toString());
    }

    @Test
    void addressChangeMakesItDueAMinuteAfterItsLastProbeEvenIfItMovedDuringAProbe() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        Instant later = T0.plusSeconds(20);
        observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), later);
        assertEquals(List.of(), schedule.due(later), "same address: not due");
        observe(observed("1001", "10.0.0.9", ContactStatus.REACHABLE, 0), later);
        assertEquals(Instant.parse("2026-11-26T10:01:00Z"), e.nextDue, "rate-limited: a minute after the last probe");

        Instant muchLater = T0.plusSeconds(300);
        e.running = true;
        observe(observed("1001", "10.0.0.10", ContactStatus.REACHABLE, 0), muchLater);
        schedule.finished(e, probed("10.0.0.9"), Outcome.OK, muchLater.plusSeconds(7));
        assertEquals(Instant.parse("2026-11-26T10:06:07Z"), e.nextDue, "probed the old address: due a minute later");
    }

    @Test
    void anRttRiseWellAboveTheBaselineMakesItDueAndSmallOnesDoNot() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", 1_000L, 0), T0);
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0);
        Instant t = T0.plusSeconds(40);
        assertFalse(schedule.observe(observed("1001", "10.0.0.5", 2_000L, 0), t).rttRose(), "1 ms → 2 ms");
        assertFalse(schedule.observe(observed("1001", "10.0.0.5", 15_000L, 0), t).rttRose(),
                "×13 but only 14 ms above the baseline");
        assertEquals(T0.plus(Duration.ofMinutes(15)), e.nextDue);
        // baseline now 1000 → 1125 → 2859 µs; 500 ms is a rise.
        assertTrue(schedule.observe(observed("1001", "10.0.0.5", 500_000L, 0), t).rttRose());
        assertEquals(Instant.parse("2026-11-26T10:01:00Z"), e.nextDue);
    }

    @Test
    void rttsWhileAProbeRunsAndJustAfterAreNeitherJudgedNorLearnt() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", 1_000L, 0), T0);
        e.running = true;
        assertFalse(schedule.observe(observed("1001", "10.0.0.5", 2_400_000L, 0), T0.plusSeconds(3)).rttRose());
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0.plusSeconds(7));
        assertFalse(schedule.observe(observed("1001", "10.0.0.5", 900_000L, 0), T0.plusSeconds(36)).rttRose(),
                "29 s after the probe: still its own traffic draining");
        assertTrue(schedule.observe(observed("1001", "10.0.0.5", 500_000L, 0), T0.plusSeconds(37)).rttRose(),
                "the baseline is still 1 ms");
    }

    @Test
    void troubleDuringAProbeMakesTheNextOneDueAMinuteAfterIt() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        e.running = true;
        schedule.reprobe(e, T0.plusSeconds(2));
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0.plusSeconds(7));
        assertEquals(Instant.parse("2026-11-26T10:01:07Z"), e.nextDue);
        schedule.finished(e, probed("10.0.0.5"), Outcome.OK, T0.plusSeconds(70));
        assertEquals(Instant.parse("2026-11-26T10:16:10Z"), e.nextDue, "once only");
    }

    @Test
    void aSiteIsOneTargetProbedThroughItsFirstReachableEndpoint() {
        Schedule.Entry a = observe(inSite("2002", "10.0.1.3", ContactStatus.REACHABLE, "branch"), T0);
        Schedule.Entry b = observe(inSite("2001", "10.0.1.2", ContactStatus.UNREACHABLE, "branch"), T0);
        Schedule.Entry c = observe(inSite("2003", "10.0.1.4", ContactStatus.REACHABLE, "branch"), T0);
        assertTrue(a == b && b == c, "one entry for the site");
        assertEquals(List.of(a), schedule.due(T0));
        assertEquals("2002", a.target().orElseThrow().endpoint(), "2001 is unreachable");
        observe(inSite("2001", "10.0.1.2", ContactStatus.REACHABLE, "branch"), T0.plusSeconds(1));
        assertEquals("2001", a.target().orElseThrow().endpoint());
        assertEquals(schedule.get("pbx-1", "2003").orElseThrow(), a);
        schedule.finished(a, a.target().orElseThrow(), Outcome.OK, T0.plusSeconds(1));
        observe(inSite("2000", "10.0.1.9", ContactStatus.REACHABLE, "branch"), T0.plusSeconds(90));
        assertEquals("2000", a.target().orElseThrow().endpoint());
        assertEquals(List.of(), schedule.due(T0.plusSeconds(90)), "a new member measures the same uplink: not due");
        schedule.remove("pbx-1", "2000");

        // A call on any endpoint of the site is a call on its uplink.
        observe(inSite("2003", "10.0.1.4", ContactStatus.REACHABLE, "branch", 1), T0.plusSeconds(2));
        assertTrue(a.callActive());

        // Moving to its own site takes the endpoint out.
        Schedule.Entry own = observe(observed("2003", "10.0.1.4", ContactStatus.REACHABLE, 0), T0.plusSeconds(3));
        assertTrue(own != a && !a.callActive());
        assertEquals(List.of("2001", "2002"), List.copyOf(a.latest.keySet()));
        schedule.remove("pbx-1", "2001");
        schedule.remove("pbx-1", "2002");
        assertEquals(List.of(own), schedule.all(), "an empty site is forgotten");
    }

    @Test
    void aSiteWithAProbeHostIsProbedThereUnderItsFirstEndpointsName() {
        Schedule.Entry hq = observe(inSite("3002", "10.0.2.3", ContactStatus.REACHABLE, "hq"), T0);
        observe(inSite("3001", "10.0.2.2", ContactStatus.REACHABLE, "hq"), T0);
        EndpointObserved target = hq.target().orElseThrow();
        assertEquals("3001", target.endpoint());
        assertEquals("10.0.9.9", target.address());
        assertEquals("hq", target.site());
        schedule.finished(hq, hq.target().orElseThrow(), Outcome.OK, T0);
        observe(inSite("3001", "10.0.2.7", ContactStatus.REACHABLE, "hq"), T0.plusSeconds(90));
        assertEquals(List.of(), schedule.due(T0.plusSeconds(90)), "a phone's new address does not move the probe host");
        assertNull(observe(observed("3003", "10.0.2.9", ContactStatus.REACHABLE, 0), T0).site);
    }

    @Test
    void neverDueWhileAsteriskReportsItUnreachable() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.UNREACHABLE, 0), T0);
        assertEquals(List.of(), schedule.due(T0.plus(Duration.ofHours(1))));
        observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0.plusSeconds(5));
        assertEquals(List.of(e), schedule.due(T0.plusSeconds(5)));
    }

    @Test
    void oldestDueFirstAndGoneEndpointsForgotten() {
        Schedule.Entry a = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0.plusSeconds(2));
        Schedule.Entry b = observe(observed("1002", "10.0.0.6", ContactStatus.NON_QUALIFIED, 0), T0);
        assertEquals(List.of(b, a), schedule.due(T0.plusSeconds(3)));
        schedule.remove("pbx-1", "1002");
        assertEquals(List.of(a), schedule.due(T0.plusSeconds(3)));
    }

    @Test
    void aCallEndingResetsTheDeferralNotice() {
        Schedule.Entry e = observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 2), T0);
        assertTrue(e.callActive());
        e.deferralReported = true;
        observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0.plusSeconds(30));
        assertTrue(!e.callActive() && !e.deferralReported);
        assertEquals(List.of(e), schedule.due(T0.plusSeconds(30)), "still due: the deferred probe runs after the call");
    }

    static EndpointObserved observed(String endpoint, String address, ContactStatus status, int calls) {
        return new EndpointObserved(1, "pbx-1", endpoint, endpoint, "sip:" + endpoint + "@" + address + ":5060", address,
                5060, "udp", status, 1200L, "test", calls, T0, null);
    }

    private static EndpointObserved observed(String endpoint, String address, long rttMicros, int calls) {
        return new EndpointObserved(1, "pbx-1", endpoint, endpoint, "sip:" + endpoint + "@" + address + ":5060", address,
                5060, "udp", ContactStatus.REACHABLE, rttMicros, "test", calls, T0, null);
    }

    /** What a probe of endpoint 1001 was sent to. */
    private static EndpointObserved probed(String address) {
        return observed("1001", address, ContactStatus.REACHABLE, 0);
    }

    private static EndpointObserved inSite(String endpoint, String address, ContactStatus status, String site) {
        return inSite(endpoint, address, status, site, 0);
    }

    private static EndpointObserved inSite(String endpoint, String address, ContactStatus status, String site,
            int calls) {
        return new EndpointObserved(1, "pbx-1", endpoint, endpoint, "sip:" + endpoint + "@" + address + ":5060", address,
                5060, "udp", status, 1200L, "test", calls, T0, site);
    }
}

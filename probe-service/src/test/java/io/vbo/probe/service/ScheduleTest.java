package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private double random = 0.5;
    private final Schedule schedule = new Schedule(Duration.ofMinutes(15), 0.2, () -> random);

    @Test
    void dueWhenFirstSeenThenAfterTheInterval() {
        Schedule.Entry e = schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        assertEquals(List.of(e), schedule.due(T0));
        e.running = true;
        assertEquals(List.of(), schedule.due(T0), "a running probe is not due again");
        schedule.finished(e, "10.0.0.5", Outcome.OK, T0);
        assertEquals(List.of(), schedule.due(T0.plus(Duration.ofMinutes(14))));
        assertEquals(List.of(e), schedule.due(T0.plus(Duration.ofMinutes(15))));
    }

    @Test
    void intervalIsSpreadRandomlyWithinTheConfiguredFraction() {
        Schedule.Entry e = schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        random = 0.0;
        schedule.finished(e, "10.0.0.5", Outcome.OK, T0);
        assertEquals(T0.plus(Duration.ofMinutes(12)), e.nextDue);
        random = 0.999_999;
        schedule.finished(e, "10.0.0.5", Outcome.OK, T0);
        assertTrue(e.nextDue.isAfter(T0.plus(Duration.ofSeconds(1079))) && !e.nextDue.isAfter(T0.plus(Duration.ofMinutes(18))),
                e.nextDue.toString());
    }

    @Test
    void addressChangeMakesItDueAtOnceEvenIfItMovedDuringAProbe() {
        Schedule.Entry e = schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0);
        schedule.finished(e, "10.0.0.5", Outcome.OK, T0);
        Instant later = T0.plusSeconds(60);
        schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), later);
        assertEquals(List.of(), schedule.due(later), "same address: not due");
        schedule.observe(observed("1001", "10.0.0.9", ContactStatus.REACHABLE, 0), later);
        assertEquals(List.of(e), schedule.due(later));

        e.running = true;
        schedule.observe(observed("1001", "10.0.0.10", ContactStatus.REACHABLE, 0), later);
        schedule.finished(e, "10.0.0.9", Outcome.OK, later.plusSeconds(7));
        assertEquals(List.of(e), schedule.due(later.plusSeconds(7)), "probed the old address: due again at once");
    }

    @Test
    void neverDueWhileAsteriskReportsItUnreachable() {
        Schedule.Entry e = schedule.observe(observed("1001", "10.0.0.5", ContactStatus.UNREACHABLE, 0), T0);
        assertEquals(List.of(), schedule.due(T0.plus(Duration.ofHours(1))));
        schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0.plusSeconds(5));
        assertEquals(List.of(e), schedule.due(T0.plusSeconds(5)));
    }

    @Test
    void oldestDueFirstAndGoneEndpointsForgotten() {
        Schedule.Entry a = schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0.plusSeconds(2));
        Schedule.Entry b = schedule.observe(observed("1002", "10.0.0.6", ContactStatus.NON_QUALIFIED, 0), T0);
        assertEquals(List.of(b, a), schedule.due(T0.plusSeconds(3)));
        schedule.remove("pbx-1", "1002");
        assertEquals(List.of(a), schedule.due(T0.plusSeconds(3)));
    }

    @Test
    void aCallEndingResetsTheDeferralNotice() {
        Schedule.Entry e = schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 2), T0);
        assertTrue(e.callActive());
        e.deferralReported = true;
        schedule.observe(observed("1001", "10.0.0.5", ContactStatus.REACHABLE, 0), T0.plusSeconds(30));
        assertTrue(!e.callActive() && !e.deferralReported);
        assertEquals(List.of(e), schedule.due(T0.plusSeconds(30)), "still due: the deferred probe runs after the call");
    }

    static EndpointObserved observed(String endpoint, String address, ContactStatus status, int calls) {
        return new EndpointObserved(1, "pbx-1", endpoint, endpoint, "sip:" + endpoint + "@" + address + ":5060", address,
                5060, "udp", status, 1200L, "test", calls, T0);
    }
}

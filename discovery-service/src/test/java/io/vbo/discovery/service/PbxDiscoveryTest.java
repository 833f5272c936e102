package io.vbo.discovery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vbo.ami.AmiMessage;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointGone;
import io.vbo.events.EndpointObserved;
import io.vbo.lab.ami.Transcripts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PbxDiscoveryTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final List<EndpointEvent> published = new ArrayList<>();
    private final PbxDiscovery discovery = new PbxDiscovery("pbx-1", published::add, Clock.fixed(NOW, ZoneOffset.UTC),
            Sites.automaticOnly());

    private static Contact contact(String aor, String uri) {
        return new Contact(aor, aor, uri, ContactAddress.of(uri, null, null).orElseThrow(), ContactStatus.REACHABLE, 400L, "ua");
    }

    @Test
    void everyListedContactIsPublishedAndAMissingOneIsGone() {
        Contact a = contact("1001", "sip:1001@10.0.0.1:5060");
        Contact b = contact("1002", "sip:1002@10.0.0.2:5060");
        discovery.snapshot(List.of(a, b), Map.of("1001", 1));
        assertEquals(2, published.size());
        EndpointObserved first = (EndpointObserved) published.get(0);
        assertEquals(new EndpointObserved(1, "pbx-1", "1001", "1001", "sip:1001@10.0.0.1:5060", "10.0.0.1", 5060, "udp",
                ContactStatus.REACHABLE, 400L, "ua", 1, NOW, null), first);
        assertEquals(0, ((EndpointObserved) published.get(1)).activeCalls());

        published.clear();
        discovery.snapshot(List.of(a), Map.of());
        assertEquals(2, published.size());
        assertEquals(new EndpointGone(1, "pbx-1", "1002", "sip:1002@10.0.0.2:5060", "absent from the contact list", NOW),
                published.get(1));
        assertEquals(1, discovery.contactCount());

        published.clear();
        discovery.snapshot(List.of(), Map.of());
        assertEquals(List.of(new EndpointGone(1, "pbx-1", "1001", "sip:1001@10.0.0.1:5060", "absent from the contact list", NOW)),
                published);
    }

    @Test
    void capturedContactStatusEventsBecomeImmediateEvents() {
        discovery.snapshot(List.of(new Contact("1002", "1002", "sip:1002-0x560e6d0b1270@10.231.2.2:5060",
                new ContactAddress("10.231.2.2", 5060, "udp"), ContactStatus.REACHABLE, 439L, "baresip")), Map.of("1002", 0));
        published.clear();
        Transcripts.messages("ami-events-contact-status.txt").stream().map(AmiMessage::parse)
                .filter(m -> "ContactStatus".equals(m.event())).forEach(discovery::contactStatus);
        assertEquals(8, published.size());
        assertEquals(new EndpointGone(1, "pbx-1", "1002", "sip:1002-0x560e6d0b1270@10.231.2.2:5060", "removed", NOW),
                published.get(0));
        EndpointObserved nonQualified = assertInstanceOf(EndpointObserved.class, published.get(1));
        assertEquals(ContactStatus.NON_QUALIFIED, nonQualified.status());
        assertNull(nonQualified.rttMicros());
        assertEquals("10.231.2.2", nonQualified.address());
        EndpointObserved reachable = (EndpointObserved) published.get(2);
        assertEquals(ContactStatus.REACHABLE, reachable.status());
        assertEquals(310L, reachable.rttMicros());
        EndpointObserved unreachable = (EndpointObserved) published.get(3);
        assertEquals(ContactStatus.UNREACHABLE, unreachable.status());
        assertNull(unreachable.rttMicros());
        assertInstanceOf(EndpointGone.class, published.get(7));
        assertEquals(1, discovery.contactCount());
    }

    @Test
    void aContactThatBreaksTheContractIsSkippedNotFatal() {
        Contact bad = new Contact("a b", "a b", "sip:x@10.0.0.9", new ContactAddress("10.0.0.9", 5060, "udp"),
                ContactStatus.REACHABLE, 1L, "");
        discovery.snapshot(List.of(bad, contact("1001", "sip:1001@10.0.0.1")), Map.of());
        assertEquals(1, published.size());
        assertEquals("1001", published.get(0).endpoint());
    }
}

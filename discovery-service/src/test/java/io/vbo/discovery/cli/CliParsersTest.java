package io.vbo.discovery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vbo.discovery.service.Contact;
import io.vbo.discovery.service.ContactAddress;
import io.vbo.events.ContactStatus;
import io.vbo.lab.ami.Transcripts;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliParsersTest {

    @Test
    void registeredContacts() {
        List<CliParsers.CliContact> contacts = CliParsers.contacts(Transcripts.text("cli-pjsip-show-contacts.txt"));
        assertEquals(3, contacts.size());
        CliParsers.CliContact first = contacts.get(0);
        assertEquals("1001", first.aor());
        assertEquals("sip:1001-0x5644aa7f0270@10.231.1.2:5060", first.uri());
        assertEquals(ContactStatus.REACHABLE, first.status());
        assertEquals(479L, first.rttMicros());
        assertEquals(new ContactAddress("10.231.1.2", 5060, "udp"), first.address().orElseThrow());
        assertEquals(List.of(479L, 439L, 440L), contacts.stream().map(CliParsers.CliContact::rttMicros).toList());
    }

    @Test
    void unavailableContactWithNan() {
        List<CliParsers.CliContact> contacts = CliParsers.contacts(Transcripts.text("cli-pjsip-show-contacts-unavail.txt"));
        assertEquals(3, contacts.size());
        assertEquals(ContactStatus.UNREACHABLE, contacts.get(1).status());
        assertNull(contacts.get(1).rttMicros());
        assertEquals("sip:1002-0x55fae8836270@10.231.2.2:5060", contacts.get(1).uri());
        assertEquals(676L, contacts.get(2).rttMicros());
    }

    @Test
    void emptyAndOtherOutputsGiveNoContacts() {
        assertEquals(List.of(), CliParsers.contacts(Transcripts.text("cli-pjsip-show-contacts-empty.txt")));
        assertEquals(List.of(), CliParsers.contacts(Transcripts.text("cli-pjsip-reload.txt")));
        assertEquals(List.of(), CliParsers.contacts(Transcripts.text("cli-core-reload.txt")));
        assertEquals(3, CliParsers.contacts(Transcripts.text("codec-change-cli-pjsip-show-contacts-after.txt")).size());
    }

    @Test
    void endpointsGiveAorsAndChannels() {
        List<CliParsers.CliEndpoint> endpoints = CliParsers.endpoints(Transcripts.text("cli-pjsip-show-endpoints.txt"));
        assertEquals(List.of(new CliParsers.CliEndpoint("1001", List.of("1001"), 0),
                new CliParsers.CliEndpoint("1002", List.of("1002"), 0),
                new CliParsers.CliEndpoint("1003", List.of("1003"), 0)), endpoints);
        assertEquals(3, CliParsers.endpoints(Transcripts.text("cli-pjsip-show-endpoints-unavail.txt")).size());
        String busy = Transcripts.text("cli-pjsip-show-endpoints.txt").replaceFirst("Not in use    0 of inf", "In use        2 of inf");
        assertEquals(2, CliParsers.endpoints(busy).get(0).channels());
    }

    @Test
    void contactsResolveToTheEndpointListingTheirAor() {
        List<CliParsers.CliEndpoint> endpoints = List.of(new CliParsers.CliEndpoint("alice", List.of("1001"), 1));
        List<Contact> contacts = CliParsers.resolve(CliParsers.contacts(Transcripts.text("cli-pjsip-show-contacts.txt")), endpoints);
        assertEquals(List.of("alice", "1002", "1003"), contacts.stream().map(Contact::endpoint).toList());
        assertEquals("", contacts.get(0).userAgent());
    }

    @Test
    void rttConversion() {
        assertEquals(479L, CliParsers.millisToMicros("0.479"));
        assertEquals(12_345L, CliParsers.millisToMicros("12.345"));
        assertNull(CliParsers.millisToMicros("nan"));
        assertNull(CliParsers.millisToMicros("N/A"));
    }
}

package io.vbo.discovery.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vbo.ami.AmiMessage;
import io.vbo.discovery.service.Contact;
import io.vbo.discovery.service.ContactAddress;
import io.vbo.events.ContactStatus;
import io.vbo.lab.ami.Transcripts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmiParsersTest {

    static List<AmiMessage> messages(String file) {
        return Transcripts.messages(file).stream().map(m -> AmiMessage.parse(m.replace("\r\n\r\n", ""))).toList();
    }

    static List<Contact> contacts(String file) {
        return messages(file).stream().filter(m -> "ContactList".equals(m.event()))
                .map(m -> AmiParsers.contact(m).orElseThrow()).toList();
    }

    @Test
    void threeRegisteredContactsWithEveryField() {
        List<Contact> contacts = contacts("ami-pjsipshowcontacts.response.txt");
        assertEquals(List.of(
                new Contact("1001", "1001", "sip:1001-0x5644aa7f0270@10.231.1.2:5060",
                        new ContactAddress("10.231.1.2", 5060, "udp"), ContactStatus.REACHABLE, 479L,
                        "baresip v1.0.0 (x86_64/linux)"),
                new Contact("1002", "1002", "sip:1002-0x560e6d0b1270@10.231.2.2:5060",
                        new ContactAddress("10.231.2.2", 5060, "udp"), ContactStatus.REACHABLE, 439L,
                        "baresip v1.0.0 (x86_64/linux)"),
                new Contact("1003", "1003", "sip:1003-0x5629609f9270@10.231.3.2:5060",
                        new ContactAddress("10.231.3.2", 5060, "udp"), ContactStatus.REACHABLE, 440L,
                        "baresip v1.0.0 (x86_64/linux)")), contacts);
    }

    @Test
    void unreachableContactHasNoRtt() {
        Contact unavailable = contacts("ami-pjsipshowcontacts-unavail.response.txt").get(1);
        assertEquals("sip:1002-0x55fae8836270@10.231.2.2:5060", unavailable.uri());
        assertEquals(ContactStatus.UNREACHABLE, unavailable.status());
        assertNull(unavailable.rttMicros());
    }

    @Test
    void activeChannelsPerEndpoint() {
        assertEquals(Map.of("1001", 0, "1002", 0, "1003", 0),
                AmiParsers.activeChannels(messages("ami-pjsipshowendpoints.response.txt")));
        AmiMessage busy = AmiMessage.parse(Transcripts.messages("ami-pjsipshowendpoints.response.txt").get(1)
                .replace("ActiveChannels: 0", "ActiveChannels: 2"));
        assertEquals(Map.of("1001", 2), AmiParsers.activeChannels(List.of(busy)));
    }

    @Test
    void contactStatusEventsCarryUriStateAorAndRtt() {
        List<AmiMessage> events = messages("ami-events-contact-status.txt").stream()
                .filter(m -> "ContactStatus".equals(m.event())).toList();
        assertEquals(8, events.size());
        assertEquals("Removed", events.get(0).get("ContactStatus"));
        assertEquals("sip:1002-0x55fae8836270@10.231.2.2:5060", events.get(2).get("URI"));
        assertEquals(310L, AmiParsers.micros(events.get(2).get("RoundtripUsec")));
        assertNull(AmiParsers.micros("N/A"));
    }
}

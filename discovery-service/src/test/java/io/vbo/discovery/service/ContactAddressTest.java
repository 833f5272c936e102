package io.vbo.discovery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContactAddressTest {

    private static Optional<ContactAddress> of(String uri, String via, String viaPort) {
        return ContactAddress.of(uri, via, viaPort);
    }

    @Test
    void ipv4UriWithPort() {
        assertEquals(Optional.of(new ContactAddress("10.231.1.2", 5060, "udp")),
                of("sip:1001-0x5644aa7f0270@10.231.1.2:5060", "10.231.1.2", "5060"));
    }

    @Test
    void bracketedIpv6UriWithAndWithoutPort() {
        assertEquals(Optional.of(new ContactAddress("2001:db8::7", 5062, "udp")), of("sip:1001@[2001:db8::7]:5062", null, null));
        assertEquals(Optional.of(new ContactAddress("2001:db8::7", 5060, "udp")), of("sip:1001@[2001:db8::7]", null, null));
        assertEquals(Optional.of(new ContactAddress("fe80::1", 5080, "tcp")), of("sip:u@[fe80::1]:5080;transport=TCP", null, null));
    }

    @Test
    void transportFromUriParameterOrSipsScheme() {
        assertEquals(Optional.of(new ContactAddress("192.0.2.10", 5070, "tcp")), of("sip:1001@192.0.2.10:5070;transport=tcp;ob", null, null));
        assertEquals(Optional.of(new ContactAddress("192.0.2.10", 5061, "tls")), of("sips:1001@192.0.2.10", null, null));
        assertEquals(Optional.of(new ContactAddress("192.0.2.10", 443, "wss")), of("sip:x@192.0.2.10:443;transport=wss", null, null));
    }

    @Test
    void behindNatTheUriWinsOverTheVia() {
        // rewrite_contact=yes: the URI carries the public source address, the Via the phone's private one.
        assertEquals(Optional.of(new ContactAddress("203.0.113.9", 40112, "udp")),
                of("sip:1001@203.0.113.9:40112", "192.168.1.20", "5060"));
    }

    @Test
    void hostNameUriFallsBackToTheVia() {
        assertEquals(Optional.of(new ContactAddress("198.51.100.4", 5062, "udp")), of("sip:1001@phone.example:5060", "198.51.100.4", "5062"));
        assertEquals(Optional.of(new ContactAddress("2001:db8::9", 5060, "udp")), of("sip:1001@phone.example", "2001:db8::9", ""));
        assertEquals(Optional.empty(), of("sip:1001@phone.example", "", ""));
        assertEquals(Optional.empty(), of("sip:1001@phone.example", "other.example", "5060"));
    }

    @Test
    void uriWithoutUserPartAndWithHeaders() {
        assertEquals(Optional.of(new ContactAddress("10.0.0.1", 5060, "udp")), of("sip:10.0.0.1?X-Foo=bar", null, null));
    }
}

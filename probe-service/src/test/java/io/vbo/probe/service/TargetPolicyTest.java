package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.Cidr;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetPolicyTest {
    private static final Optional<List<Cidr>> ANY = Optional.empty();

    @Test
    void addressesThatAreNotOnePhoneAreRefusedWhateverTheConfiguration() {
        String[][] cases = {
                { "127.0.0.1", "127.0.0.1 is a loopback address" },
                { "127.8.9.10", "127.8.9.10 is a loopback address" },
                { "::1", "::1 is a loopback address" },
                { "::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address" },
                { "::ffff:7f00:1", "::ffff:7f00:1 is a loopback address" },
                { "::127.0.0.1", "::127.0.0.1 is a loopback address" },
                { "0.0.0.0", "0.0.0.0 is an unspecified address" },
                { "0.1.2.3", "0.1.2.3 is an unspecified address" },
                { "::", ":: is an unspecified address" },
                { "::ffff:0.0.0.0", "::ffff:0.0.0.0 is an unspecified address" },
                { "224.0.0.1", "224.0.0.1 is a multicast address" },
                { "239.255.255.250", "239.255.255.250 is a multicast address" },
                { "ff02::1", "ff02::1 is a multicast address" },
                { "255.255.255.255", "255.255.255.255 is a broadcast address" },
                { "::ffff:255.255.255.255", "::ffff:255.255.255.255 is a broadcast address" },
                { "169.254.1.1", "169.254.1.1 is a link-local address" },
                { "::ffff:169.254.1.1", "::ffff:169.254.1.1 is a link-local address" },
                { "fe80::1", "fe80::1 is a link-local address" },
        };
        for (String[] c : cases) {
            assertEquals(Optional.of(c[1]), TargetPolicy.refusal("p", c[0], ANY), c[0]);
            assertEquals(Optional.of(c[1]), TargetPolicy.refusal("p", c[0],
                    Optional.of(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")))), c[0] + " with everything allowed");
        }
    }

    @Test
    void privateAndPublicUnicastIsAllowedWithoutAnAllowList() {
        for (String ok : List.of("10.231.4.2", "192.168.1.20", "172.16.0.9", "198.51.100.7", "2001:db8::5",
                "::ffff:10.0.0.1", "fd00::1")) {
            assertEquals(Optional.empty(), TargetPolicy.refusal("p", ok, ANY), ok);
        }
    }

    @Test
    void anAllowListKeepsProbesInsideItsNetworksAndRefusesTheirBroadcastAddress() {
        Optional<List<Cidr>> paris = Optional.of(List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("2001:db8:1::/48"),
                Cidr.parse("192.0.2.7")));
        assertEquals(Optional.empty(), TargetPolicy.refusal("paris", "10.20.3.4", paris));
        assertEquals(Optional.empty(), TargetPolicy.refusal("paris", "::ffff:10.20.255.254", paris));
        assertEquals(Optional.empty(), TargetPolicy.refusal("paris", "2001:db8:1:ff::9", paris));
        assertEquals(Optional.empty(), TargetPolicy.refusal("paris", "192.0.2.7", paris));
        assertEquals(Optional.of("10.21.0.1 is outside vbo.probe.pbx.\"paris\".allowed-targets "
                + "[10.20.0.0/16, 2001:db8:1:0:0:0:0:0/48, 192.0.2.7/32]"), TargetPolicy.refusal("paris", "10.21.0.1", paris));
        assertTrue(TargetPolicy.refusal("paris", "192.0.2.8", paris).orElseThrow().contains("is outside"));
        assertTrue(TargetPolicy.refusal("paris", "2001:db8:2::1", paris).orElseThrow().contains("is outside"));
        assertEquals(Optional.of("10.20.255.255 is the broadcast address of 10.20.0.0/16"),
                TargetPolicy.refusal("paris", "10.20.255.255", paris));
        assertEquals(Optional.of("::ffff:10.20.255.255 is the broadcast address of 10.20.0.0/16"),
                TargetPolicy.refusal("paris", "::ffff:10.20.255.255", paris));
    }

    @Test
    void cidrNotation() {
        assertEquals("10.20.0.0/16", Cidr.parse("10.20.3.4/16").toString());
        assertEquals("192.0.2.7/32", Cidr.parse(" 192.0.2.7 ").toString());
        assertEquals("2001:db8:0:0:0:0:0:0/32", Cidr.parse("2001:db8::/32").toString());
        assertTrue(Cidr.parse("10.20.0.0/30").isBroadcast(Cidr.parse("10.20.0.3").network()));
        assertEquals(false, Cidr.parse("10.20.0.0/31").isBroadcast(Cidr.parse("10.20.0.1").network()));
        for (String bad : List.of("", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "pbx.example.net/24", "::/129",
                "10.0.0.0/8/8")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
            assertTrue(e.getMessage().contains("CIDR") || e.getMessage().contains("prefix length"), e.getMessage());
        }
    }
}

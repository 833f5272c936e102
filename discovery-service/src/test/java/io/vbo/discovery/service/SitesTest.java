package io.vbo.discovery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.discovery.config.SitesConfig;
import io.vbo.events.ContactStatus;
import io.vbo.events.Validate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SitesTest {
    private static Contact contact(String endpoint, String address, int port) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        String uri = "sip:" + endpoint + "@" + host + ":" + port;
        return new Contact(endpoint, endpoint, uri, new ContactAddress(address, port, "udp"), ContactStatus.REACHABLE,
                400L, "ua");
    }

    private static SitesConfig config(Map<String, List<String>> sites) {
        List<SitesConfig.Site> list = sites.entrySet().stream().map(e -> (SitesConfig.Site) new SitesConfig.Site() {
            @Override
            public String name() {
                return e.getKey();
            }

            @Override
            public List<String> cidrs() {
                return e.getValue();
            }

            @Override
            public Optional<SitesConfig.Uplink> uplink() {
                return Optional.empty();
            }

            @Override
            public Optional<Integer> maxCalls() {
                return Optional.empty();
            }

            @Override
            public Optional<Integer> concurrentCalls() {
                return Optional.empty();
            }
        }).toList();
        return () -> list;
    }

    @Test
    void twoPhonesAtOneAddressWithDifferentPortsFormOneAutomaticSite() {
        Contact a = contact("1001", "203.0.113.7", 5060);
        Contact b = contact("1002", "203.0.113.7", 5072);
        Contact alone = contact("1003", "198.51.100.9", 5060);
        Map<String, String> sites = Sites.automaticOnly().assign(List.of(a, b, alone));
        assertEquals("nat-203-0-113-7", sites.get(a.uri()));
        assertEquals("nat-203-0-113-7", sites.get(b.uri()));
        assertNull(sites.get(alone.uri()), "a phone alone at its address is a site of its own");
    }

    @Test
    void twoContactsOfOneEndpointAtOneAddressAreNoSite() {
        Contact first = contact("1001", "203.0.113.7", 5060);
        Contact second = contact("1001", "203.0.113.7", 5062);
        Map<String, String> sites = Sites.automaticOnly().assign(List.of(first, second));
        assertNull(sites.get(first.uri()));
        assertNull(sites.get(second.uri()));
    }

    @Test
    void ipv6AutomaticNamesAreValidSiteNames() {
        Contact a = contact("1001", "2001:db8::7", 5060);
        Contact b = contact("1002", "2001:db8::7", 5062);
        assertEquals("nat-2001-db8--7", Sites.automaticOnly().assign(List.of(a, b)).get(a.uri()));
        String longest = Sites.automaticName("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
        assertEquals("nat-ffff-ffff-ffff-ffff-ffff-ffff-255-255-255-255", longest);
        assertTrue(Validate.SITE.matcher(longest).matches());
    }

    @Test
    void aConfiguredSiteWinsOverTheAutomaticOneAndTheFirstListedWins() {
        Sites sites = Sites.from(config(new java.util.LinkedHashMap<>(Map.of("branch", List.of("10.20.0.0/16",
                "2001:db8:1::/48")))));
        Contact v4 = contact("1001", "10.20.3.4", 5060);
        Contact v6 = contact("1002", "2001:db8:1::9", 5060);
        Contact nat1 = contact("1003", "203.0.113.7", 5060);
        Contact nat2 = contact("1004", "203.0.113.7", 5070);
        Contact outside = contact("1005", "10.21.0.1", 5060);
        Map<String, String> assigned = sites.assign(List.of(v4, v6, nat1, nat2, outside));
        assertEquals("branch", assigned.get(v4.uri()));
        assertEquals("branch", assigned.get(v6.uri()));
        assertEquals("nat-203-0-113-7", assigned.get(nat1.uri()));
        assertNull(assigned.get(outside.uri()));

        Map<String, List<String>> two = new java.util.LinkedHashMap<>();
        two.put("first", List.of("10.20.0.0/16"));
        two.put("second", List.of("10.20.3.0/24"));
        assertEquals("first", Sites.from(config(two)).assign(List.of(v4)).get(v4.uri()));
    }

    @Test
    void hostileOrBadSitesAreRefusedAtStartWithTheKeyNamed() {
        for (String hostile : List.of("a,b", "x)", "${EXTEN}", "a b", "-lead", "semi;colon")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sites.from(config(Map.of(hostile, List.of("10.0.0.0/8")))), hostile);
            assertTrue(e.getMessage().startsWith("vbo.sites[0].name '"), e.getMessage());
            assertTrue(e.getMessage().contains("must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}"), e.getMessage());
        }
        assertEquals("vbo.sites[0].name 'nat-1' refused: names starting with 'nat-' are the automatic sites'",
                assertThrows(IllegalArgumentException.class,
                        () -> Sites.from(config(Map.of("nat-1", List.of("10.0.0.0/8"))))).getMessage());
        assertEquals("vbo.sites[0].cidrs[1]: '10.0.0.0/33': the prefix length must be 0..32",
                assertThrows(IllegalArgumentException.class,
                        () -> Sites.from(config(Map.of("b", List.of("10.1.0.0/16", "10.0.0.0/33"))))).getMessage());
        assertEquals("vbo.sites[0].cidrs is empty: list the networks of site b",
                assertThrows(IllegalArgumentException.class, () -> Sites.from(config(Map.of("b", List.of()))))
                        .getMessage());
    }
}

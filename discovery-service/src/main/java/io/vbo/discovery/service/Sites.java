package io.vbo.discovery.service;

import io.vbo.discovery.config.SitesConfig;
import io.vbo.events.Cidr;
import io.vbo.events.InvalidEventException;
import io.vbo.events.Validate;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which site (phones sharing one uplink, docs/sites.md) a contact belongs to, first rule that applies:
 * <ol>
 * <li>a configured site whose networks hold the contact's address (the first one listed, when several do);</li>
 * <li>contacts of two or more endpoints at one address (phones behind one NAT router reach the PBX from the same
 * IP, different ports) form the site {@code nat-<address>}, dots and colons turned into dashes;</li>
 * <li>otherwise none: the endpoint is a site of its own ({@code null} in the event).</li>
 * </ol>
 * Sites are per PBX: the same rules run on each PBX's contacts and the site is keyed {@code pbxId/site}.
 */
public final class Sites {
    /** Prefix of an automatic site's name. */
    public static final String AUTOMATIC_PREFIX = "nat-";

    private record Configured(String name, List<Cidr> networks) {
    }

    private final List<Configured> configured;

    private Sites(List<Configured> configured) {
        this.configured = List.copyOf(configured);
    }

    /** No configured site: only the automatic grouping. */
    public static Sites automaticOnly() {
        return new Sites(List.of());
    }

    /** The configured sites; a bad name or network stops the start with the key named. */
    public static Sites from(SitesConfig config) {
        List<Configured> sites = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.sites().size(); i++) {
            SitesConfig.Site site = config.sites().get(i);
            String key = "vbo.sites[" + i + "]";
            try {
                Validate.site("name", site.name());
            } catch (InvalidEventException e) {
                throw new IllegalArgumentException(key + ".name '" + Validate.printable(site.name()) + "' refused: "
                        + e.getMessage() + " (the name becomes part of Asterisk dialplan variable and group names)");
            }
            if (site.name().toLowerCase(Locale.ROOT).startsWith(AUTOMATIC_PREFIX)) {
                throw new IllegalArgumentException(key + ".name '" + site.name() + "' refused: names starting with '"
                        + AUTOMATIC_PREFIX + "' are the automatic sites'");
            }
            if (!names.add(site.name())) {
                throw new IllegalArgumentException(key + ".name '" + site.name() + "' is configured twice");
            }
            if (site.cidrs().isEmpty()) {
                throw new IllegalArgumentException(key + ".cidrs is empty: list the networks of site " + site.name());
            }
            List<Cidr> networks = new ArrayList<>();
            for (int j = 0; j < site.cidrs().size(); j++) {
                try {
                    networks.add(Cidr.parse(site.cidrs().get(j)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ".cidrs[" + j + "]: " + e.getMessage());
                }
            }
            sites.add(new Configured(site.name(), networks));
        }
        return new Sites(sites);
    }

    /** Each contact's site, by URI, from one complete view of a PBX's contacts. */
    public Map<String, String> assign(Iterable<Contact> contacts) {
        Map<String, Set<String>> endpointsAt = new HashMap<>();
        contacts.forEach(c -> endpointsAt.computeIfAbsent(c.address().address(), a -> new HashSet<>()).add(c.endpoint()));
        Map<String, String> sites = new HashMap<>();
        for (Contact c : contacts) {
            String address = c.address().address();
            String site = configured(address);
            if (site == null && endpointsAt.get(address).size() > 1) {
                site = automaticName(address);
            }
            sites.put(c.uri(), site);
        }
        return sites;
    }

    private String configured(String address) {
        if (configured.isEmpty()) {
            return null;
        }
        InetAddress ip = Cidr.parse(address).network();
        for (Configured site : configured) {
            if (site.networks().stream().anyMatch(n -> n.contains(ip))) {
                return site.name();
            }
        }
        return null;
    }

    /** {@code 203.0.113.7} → {@code nat-203-0-113-7}, {@code 2001:db8::7} → {@code nat-2001-db8--7}. */
    static String automaticName(String address) {
        return AUTOMATIC_PREFIX + address.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
    }
}

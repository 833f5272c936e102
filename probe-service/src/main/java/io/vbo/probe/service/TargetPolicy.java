package io.vbo.probe.service;

import io.vbo.events.Cidr;
import io.vbo.probe.config.ProbeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a probe may be sent to. Whoever can write to {@code vbo.endpoints} chooses the address, so a
 * full-rate iperf3 run must never go to this host, to a whole network, or outside the networks an operator allowed
 * for the PBX. IPv4-mapped and IPv4-compatible IPv6 forms are judged as the IPv4 address they carry.
 */
@ApplicationScoped
public class TargetPolicy {
    /** Prefix of the {@code error} of a refused target's result (outcome {@code REFUSED_TARGET}). */
    public static final String REFUSED = "refused target: ";

    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
    private static final Cidr LIMITED_BROADCAST = Cidr.parse("255.255.255.255/32");

    @Inject
    ProbeConfig config;

    /** Why {@code address} must not be probed for {@code pbxId}, or empty when it may be. */
    public Optional<String> refusal(String pbxId, String address) {
        ProbeConfig.Pbx pbx = config.pbx().get(pbxId);
        return refusal(pbxId, address, pbx == null ? Optional.empty() : pbx.allowedTargets());
    }

    static Optional<String> refusal(String pbxId, String address, Optional<List<Cidr>> allowed) {
        InetAddress ip = normalise(address);
        String kind = ip.isLoopbackAddress() ? "a loopback"
                : ip.isAnyLocalAddress() || THIS_NETWORK.contains(ip) ? "an unspecified"
                : ip.isMulticastAddress() ? "a multicast"
                : LIMITED_BROADCAST.contains(ip) ? "a broadcast"
                : ip.isLinkLocalAddress() ? "a link-local"
                : null;
        if (kind != null) {
            return Optional.of(address + " is " + kind + " address");
        }
        if (allowed.isEmpty()) {
            return Optional.empty();
        }
        for (Cidr network : allowed.get()) {
            if (network.isBroadcast(ip)) {
                return Optional.of(address + " is the broadcast address of " + network);
            }
        }
        if (allowed.get().stream().noneMatch(network -> network.contains(ip))) {
            return Optional.of(address + " is outside vbo.probe.pbx.\"" + pbxId + "\".allowed-targets " + allowed.get());
        }
        return Optional.empty();
    }

    /** The address as judged: {@code ::ffff:a.b.c.d} and {@code ::a.b.c.d} become {@code a.b.c.d}. */
    static InetAddress normalise(String address) {
        InetAddress ip = Cidr.parse(address).network();
        if (ip instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress() && !ip.isLoopbackAddress()
                && !ip.isAnyLocalAddress()) {
            try {
                return Inet4Address.getByAddress(Arrays.copyOfRange(v6.getAddress(), 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return ip;
    }
}

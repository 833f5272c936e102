package io.vbo.discovery.service;

import io.vbo.events.Validate;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the PBX reaches a phone: IP literal, port, transport.
 *
 * <p>Rule (docs/decisions.md): the host and port of the contact URI, because that is where Asterisk
 * itself sends qualify OPTIONS and calls (with {@code rewrite_contact=yes}, Asterisk's NAT setting, the URI already
 * holds the address the REGISTER came from). {@code ViaAddr}/{@code ViaPort} — the phone's own top Via of the
 * REGISTER, its private address when behind NAT — are used only when the URI host is a name rather than an IP
 * literal, because discovery never resolves names. IPv6 hosts come bracketed in URIs and leave unbracketed.
 */
public record ContactAddress(String address, int port, String transport) {

    /** Applies the rule; empty when neither the URI nor the Via gives an IP literal. */
    public static Optional<ContactAddress> of(String uri, String viaAddr, String viaPort) {
        if (uri == null) {
            return Optional.empty();
        }
        String trimmed = uri.strip();
        boolean sips = trimmed.toLowerCase(Locale.ROOT).startsWith("sips:");
        String rest = trimmed.substring(trimmed.indexOf(':') + 1);
        int semicolon = rest.indexOf(';');
        String params = semicolon >= 0 ? rest.substring(semicolon) : "";
        String hostPort = semicolon >= 0 ? rest.substring(0, semicolon) : rest;
        int query = hostPort.indexOf('?');
        if (query >= 0) {
            hostPort = hostPort.substring(0, query);
        }
        int at = hostPort.lastIndexOf('@');
        hostPort = at >= 0 ? hostPort.substring(at + 1) : hostPort;
        String transport = transport(params, sips);
        int defaultPort = transport.equals("tls") ? 5061 : 5060;

        String host;
        Integer port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return viaFallback(viaAddr, viaPort, transport, defaultPort);
            }
            host = hostPort.substring(1, close);
            port = parsePort(hostPort.substring(close + 1));
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            port = colon >= 0 ? parsePort(hostPort.substring(colon)) : null;
        }
        if (Validate.isIpLiteral(host)) {
            return Optional.of(new ContactAddress(host, port != null ? port : defaultPort, transport));
        }
        return viaFallback(viaAddr, viaPort, transport, defaultPort);
    }

    private static Optional<ContactAddress> viaFallback(String viaAddr, String viaPort, String transport, int defaultPort) {
        if (viaAddr == null || viaAddr.isBlank()) {
            return Optional.empty();
        }
        String via = viaAddr.strip();
        if (via.startsWith("[") && via.endsWith("]")) {
            via = via.substring(1, via.length() - 1);
        }
        if (!Validate.isIpLiteral(via)) {
            return Optional.empty();
        }
        Integer port = viaPort == null ? null : parsePort(":" + viaPort.strip());
        return Optional.of(new ContactAddress(via, port != null && port > 0 ? port : defaultPort, transport));
    }

    private static String transport(String params, boolean sips) {
        for (String param : params.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("transport")) {
                return param.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
            }
        }
        return sips ? "tls" : "udp";
    }

    /** {@code ":5060"} → 5060; empty or invalid → null. */
    private static Integer parsePort(String colonPort) {
        if (!colonPort.startsWith(":") || colonPort.length() < 2) {
            return null;
        }
        try {
            int port = Integer.parseInt(colonPort.substring(1));
            return port >= 1 && port <= 65535 ? port : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

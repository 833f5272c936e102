package io.vbo.events;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A network in CIDR notation ({@code 10.20.0.0/16}, {@code 2001:db8::/32}; a bare address is a single host). Read
 * from configuration through {@link #parse(String)}, so a wrong value stops the start with the key named.
 *
 * @param network the first address, host bits cleared
 * @param prefix  prefix length
 */
public record Cidr(InetAddress network, int prefix) {

    public static Cidr parse(String text) {
        String value = text == null ? "" : text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (!Validate.isIpLiteral(address)) {
            throw new IllegalArgumentException("'" + Validate.printable(value) + "' is not a network in CIDR notation "
                    + "(e.g. 10.20.0.0/16)");
        }
        InetAddress ip = literal(address);
        int bits = ip.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + Validate.printable(value) + "': the prefix length must be 0.." + bits);
        }
        return new Cidr(literal(mask(ip, prefix, false)), prefix);
    }

    /** Whether {@code ip} lies in this network (an IPv4 address never lies in an IPv6 network, or the reverse). */
    public boolean contains(InetAddress ip) {
        return ip.getAddress().length == network.getAddress().length
                && mask(ip, prefix, false).equals(network.getHostAddress());
    }

    /** The IPv4 subnet broadcast address (all host bits set) of a network with room for hosts (prefix up to /30). */
    public boolean isBroadcast(InetAddress ip) {
        return network.getAddress().length == 4 && prefix <= 30 && contains(ip)
                && mask(ip, prefix, true).equals(ip.getHostAddress());
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    /** {@code ip} with its host bits cleared, or set when {@code ones}. */
    private static String mask(InetAddress ip, int prefix, boolean ones) {
        byte[] bytes = ip.getAddress();
        int bits = bytes.length * 8;
        BigInteger value = new BigInteger(1, bytes);
        BigInteger host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger result = ones ? value.or(host) : value.andNot(host);
        byte[] raw = result.toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a literal already checked by {@link Validate#isIpLiteral}: never a name lookup. */
    static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + Validate.printable(address) + "' is not an IP address", e);
        }
    }
}

package io.vbo.events;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Field checks shared by every contract. Each one throws {@link InvalidEventException} naming the field,
 * so a dead-lettered message or a 400 says exactly what was wrong.
 */
public final class Validate {
    /** PBX ids: also used in Kafka keys, file names and metric labels. */
    public static final Pattern PBX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /**
     * PJSIP object names (endpoint, AOR). Stricter than Asterisk itself: these names end up in config
     * section headers, dialplan lines and Kafka keys, where {@code ]}, {@code ;}, {@code /} or a newline
     * would be an injection.
     */
    public static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,79}");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private Validate() {
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidEventException(field, "is required");
        }
        return value;
    }

    public static String requiredText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field, "is required");
        }
        return value;
    }

    public static String pbxId(String field, String value) {
        return matches(field, value, PBX_ID, "must match " + PBX_ID.pattern());
    }

    public static String endpoint(String field, String value) {
        return matches(field, value, ENDPOINT, "must match " + ENDPOINT.pattern());
    }

    /** An IPv4 or IPv6 literal, never a host name (nothing here may trigger a DNS lookup or an option). */
    public static String ipLiteral(String field, String value) {
        requiredText(field, value);
        if (!isIpLiteral(value)) {
            throw new InvalidEventException(field, "must be an IPv4 or IPv6 address literal, got '" + printable(value) + "'");
        }
        return value;
    }

    public static boolean isIpLiteral(String value) {
        if (value == null) {
            return false;
        }
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            // Only hex digits, colons and dots reach here, so this parses a literal and never resolves a name
            // (an IPv4-mapped ::ffff:a.b.c.d comes back as an Inet4Address, which is fine).
            return java.net.InetAddress.getByName(value) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public static int port(String field, Integer value) {
        required(field, value);
        return range(field, value, 1, 65535);
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidEventException(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidEventException(field, "must not be negative, got " + value);
        }
        return value;
    }

    public static double range(String field, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            throw new InvalidEventException(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public static int schema(int value, int supported) {
        if (value != supported) {
            throw new InvalidEventException("schema", "unsupported version " + value + " (this build reads " + supported + ")");
        }
        return value;
    }

    /** A non-empty list of known codec names, without duplicates. Returns an immutable copy. */
    public static List<String> codecs(String field, List<String> codecs) {
        required(field, codecs);
        if (codecs.isEmpty()) {
            throw new InvalidEventException(field, "must name at least one codec");
        }
        for (int i = 0; i < codecs.size(); i++) {
            String codec = codecs.get(i);
            if (!Codecs.isKnown(codec)) {
                throw new InvalidEventException(field + "[" + i + "]", "unknown codec '" + printable(codec)
                        + "' (known: " + String.join(",", Codecs.KNOWN) + ")");
            }
            if (codecs.indexOf(codec) != i) {
                throw new InvalidEventException(field + "[" + i + "]", "codec '" + codec + "' is listed twice");
            }
        }
        return List.copyOf(codecs);
    }

    private static String matches(String field, String value, Pattern pattern, String problem) {
        requiredText(field, value);
        if (!pattern.matcher(value).matches()) {
            throw new InvalidEventException(field, problem + ", got '" + printable(value) + "'");
        }
        return value;
    }

    /** Renders control characters visibly so an error message cannot itself inject lines into a log. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(100).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return value.length() > 100 ? out + "…" : out.toString();
    }
}

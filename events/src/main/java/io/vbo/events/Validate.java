package io.vbo.events;

import java.time.Instant;
import java.util.Collection;
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
    /**
     * Earliest instant a contract or an API parameter may carry. Together with {@link #LATEST} the range is a product
     * choice (years 1970 to 9999, what ISO-8601 writes without a sign), well inside what PostgreSQL's
     * {@code timestamptz} stores (4713 BC to 294276 AD), so every accepted instant is also stored.
     */
    /**
     * A site name: letters, digits, {@code _} and {@code -}. It becomes part of Asterisk dialplan variable and
     * {@code GROUP()} names, so nothing that dialplan would parse ({@code @ , ( ) $ { } ;}, spaces) is allowed.
     */
    public static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** Latest instant a contract or an API parameter may carry: the end of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** Longest name-like value (tier, preset, transport, reporting service, a reported codec name). */
    public static final int MAX_NAME = 64;
    /** Longest free text (user agent, contact URI, error, reason, detail). */
    public static final int MAX_TEXT = 4096;
    /** Most entries of a list or map that no other rule bounds (reported codecs, thresholds, exclusions). */
    public static final int MAX_ITEMS = 64;
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

    /** A required instant within {@link #EARLIEST} .. {@link #LATEST}. */
    public static Instant instant(String field, Instant value) {
        required(field, value);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new InvalidEventException(field, "must be between " + EARLIEST + " and " + LATEST + ", got " + value);
        }
        return value;
    }

    /** A required, non-blank text of at most {@code max} characters. */
    public static String requiredText(String field, String value, int max) {
        return text(field, requiredText(field, value), max);
    }

    /** An optional text of at most {@code max} characters; {@code null} stays {@code null}. */
    public static String text(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidEventException(field, "must be at most " + max + " characters, got " + value.length());
        }
        return value;
    }

    /**
     * A producer's free text cut to {@code max} characters (ending in {@code …}), so a long tool output or exception
     * message cannot make its own event invalid; {@code null} stays {@code null}.
     */
    public static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    /** A list or map's entries, at most {@code max} of them. */
    public static <C extends Collection<?>> C size(String field, C values, int max) {
        if (values != null && values.size() > max) {
            throw new InvalidEventException(field, "must have at most " + max + " entries, got " + values.size());
        }
        return values;
    }

    /** A required one-line text of at most {@code max} characters, without control characters (it reaches logs). */
    public static String line(String field, String value, int max) {
        requiredText(field, value, max);
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidEventException(field, "must not contain control characters, got '" + printable(value) + "'");
        }
        return value;
    }

    public static String pbxId(String field, String value) {
        return matches(field, value, PBX_ID, "must match " + PBX_ID.pattern());
    }

    public static String endpoint(String field, String value) {
        return matches(field, value, ENDPOINT, "must match " + ENDPOINT.pattern());
    }

    public static String site(String field, String value) {
        return matches(field, value, SITE, "must match " + SITE.pattern());
    }

    /**
     * The name of an endpoint created through the users API: an {@link #ENDPOINT} name that does not start with
     * {@code _}, which would make its {@code exten =>} line a dialplan pattern ({@code _X.} matches every number).
     */
    public static String extension(String field, String value) {
        endpoint(field, value);
        if (value.startsWith("_")) {
            throw new InvalidEventException(field, "must not start with '_' (a dialplan pattern), got '" + printable(value) + "'");
        }
        return value;
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

    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
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

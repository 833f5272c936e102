package io.vbo.lab.netns;

import java.math.BigDecimal;
import java.util.Locale;

/** Link rates written the way {@code tc} and people write them: {@code 40k}, {@code 1.5m}, {@code 64000} (bits/s). */
public final class Rates {
    private Rates() {
    }

    /** Bits per second of {@code text}; {@code k} = 1,000 and {@code m} = 1,000,000 (as {@code tc}'s {@code kbit}). */
    public static long parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("bit", "");
        long factor = 1;
        if (t.endsWith("k")) {
            factor = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 1_000_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("g")) {
            factor = 1_000_000_000;
            t = t.substring(0, t.length() - 1);
        }
        long bps;
        try {
            bps = new BigDecimal(t).multiply(BigDecimal.valueOf(factor)).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a rate: '" + text + "' (examples: 40k, 1.5m, 64000)");
        }
        if (bps < 8_000 || bps > 10_000_000_000L) {
            throw new IllegalArgumentException("rate out of range (8k..10g): '" + text + "'");
        }
        return bps;
    }

    /** {@code down/up}, e.g. {@code 150k/40k}; a single rate means the same both ways. */
    public static long[] parsePair(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            long both = parse(text);
            return new long[] { both, both };
        }
        return new long[] { parse(text.substring(0, slash)), parse(text.substring(slash + 1)) };
    }
}

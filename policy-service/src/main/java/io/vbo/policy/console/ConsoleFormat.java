package io.vbo.policy.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** How the console writes numbers and times; in templates as {@code fmt:rate(...)} and so on (null gives "—"). */
@TemplateExtension(namespace = "fmt")
public final class ConsoleFormat {
    private static final String NONE = "—";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);

    private ConsoleFormat() {
    }

    /** A rate in bit/s as kbit/s or Mbit/s. */
    public static String rate(Number bps) {
        if (bps == null) {
            return NONE;
        }
        double v = bps.doubleValue();
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + " Mbit/s";
        }
        return trim(v / 1000) + " kbit/s";
    }

    public static String percent(Double value) {
        return value == null ? NONE : String.format(Locale.ROOT, "%.1f %%", value);
    }

    public static String ms(Double value) {
        return value == null ? NONE : String.format(Locale.ROOT, "%.1f ms", value);
    }

    public static String rttMs(Long micros) {
        return micros == null ? NONE : ms(micros / 1000.0);
    }

    public static String mos(Double value) {
        return value == null ? NONE : String.format(Locale.ROOT, "%.2f", value);
    }

    /** A duration in milliseconds as whole seconds. */
    public static String seconds(long millis) {
        return millis / 1000 + " s";
    }

    public static String time(Instant t) {
        return t == null ? NONE : TIME.format(t);
    }

    public static String codecs(List<String> codecs) {
        return codecs == null || codecs.isEmpty() ? NONE : String.join(", ", codecs);
    }

    static String axisTime(Instant t, long spanMillis) {
        return spanMillis <= 2 * 86_400_000L ? HOUR.format(t) : DAY.format(t);
    }

    /** For text the chart writes into SVG itself (Qute escapes what templates print). */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static String trim(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v)
                .replaceAll("\\.?0+$", "");
    }
}

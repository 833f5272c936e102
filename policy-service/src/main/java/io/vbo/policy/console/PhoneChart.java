package io.vbo.policy.console;

import io.vbo.policy.console.ConsoleRepository.BucketPoint;
import io.vbo.policy.console.ConsoleRepository.Point;
import io.vbo.policy.model.MedianWindow;
import io.vbo.policy.model.Tier;
import io.vbo.policy.repository.CallRepository.CallRow;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A phone's link over time as inline SVG, drawn on the server so the page needs no chart library: each probe result
 * as a mark (class {@code probe}), the estimator's downlink and uplink medians as lines, the tier thresholds as
 * dashed lines, and the decided tier as a band under the plot. Under it, on the same time axis, each finished call:
 * its MOS as a mark (class {@code call}, coloured by the policy's verdict; hollow on the floor when unrated) over the
 * call's duration, and its loss as a bar (class {@code call-loss}). The rate axis is logarithmic so 30 kbit/s
 * thresholds and 10 Mbit/s links share one chart.
 */
final class PhoneChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 470;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 12;
    private static final int PLOT_BOTTOM = 270;
    private static final int BAND_TOP = 282;
    private static final int BAND_HEIGHT = 16;
    private static final int TIME_LABELS = 314;
    private static final int MOS_TOP = 326;
    private static final int MOS_BOTTOM = 410;
    private static final double MOS_LOW = 1.0;
    private static final double MOS_HIGH = 4.5;
    private static final int LOSS_TOP = 420;
    private static final int LOSS_BOTTOM = 456;
    /** Loss at the top of the loss strip; more is drawn at the top. */
    private static final double LOSS_FULL_PERCENT = 20;
    private static final String[] TIER_COLOURS = { "#2e7d32", "#f9a825", "#ef6c00", "#c62828", "#6a1b9a" };
    private static final String PIN_COLOUR = "#1565c0";

    /** A tier in force from {@code from} on. */
    record TierSpan(Instant from, String tier) {
    }

    private final Instant from;
    private final Instant to;
    private final double logLow;
    private final double logHigh;
    private final StringBuilder svg = new StringBuilder(64 * 1024);

    private PhoneChart(Instant from, Instant to, double lowBps, double highBps) {
        this.from = from;
        this.to = to;
        this.logLow = Math.log10(lowBps);
        this.logHigh = Math.log10(highBps);
    }

    /**
     * Draws one chart.
     *
     * @param points      every result in range (null when {@code buckets} stand for them)
     * @param buckets     per-bucket medians when the range holds too many results to draw one by one
     * @param seedDown    the downlink window before {@code from}, oldest first
     * @param seedUp      the uplink window before {@code from}
     * @param window      the estimator's window size
     * @param tiers       best first
     * @param spans       tiers decided, oldest first; the first may start before {@code from}
     * @param calls       calls that ended in range, oldest first
     * @param mosTarget   the MOS below which the policy judges a call bad (drawn as a line)
     */
    static String draw(Instant from, Instant to, List<Point> points, List<BucketPoint> buckets, List<Long> seedDown,
            List<Long> seedUp, int window, List<Tier> tiers, List<TierSpan> spans, List<CallRow> calls,
            double mosTarget) {
        double high = 2_000_000;
        double low = 10_000;
        for (Tier t : tiers) {
            if (t.thresholdBps() > 0) {
                high = Math.max(high, t.thresholdBps() * 2.0);
                low = Math.min(low, t.thresholdBps() / 2.0);
            }
        }
        if (points != null) {
            for (Point p : points) {
                if (p.bitsPerSecond() != null && p.bitsPerSecond() > 0) {
                    high = Math.max(high, p.bitsPerSecond() * 1.5);
                    low = Math.min(low, p.bitsPerSecond() / 1.5);
                }
            }
        } else {
            for (BucketPoint b : buckets) {
                if (b.p50Bps() != null && b.p50Bps() > 0) {
                    high = Math.max(high, b.p50Bps() * 1.5);
                    low = Math.min(low, b.p50Bps() / 1.5);
                }
            }
        }
        PhoneChart c = new PhoneChart(from, to, Math.max(1, low), high);
        c.svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"link estimates and probes over time\">");
        c.axes();
        c.thresholds(tiers);
        if (points != null) {
            c.estimates(points, seedDown, seedUp, window);
            c.probes(points);
        } else {
            c.buckets(buckets);
        }
        c.band(tiers, spans);
        c.calls(calls, mosTarget);
        c.svg.append("</svg>");
        return c.svg.toString();
    }

    private double x(Instant t) {
        double span = to.toEpochMilli() - from.toEpochMilli();
        double f = (t.toEpochMilli() - from.toEpochMilli()) / span;
        return LEFT + Math.max(0, Math.min(1, f)) * (WIDTH - LEFT - RIGHT);
    }

    private double y(double bps) {
        double f = (Math.log10(Math.max(bps, 1)) - logLow) / (logHigh - logLow);
        return PLOT_BOTTOM - Math.max(0, Math.min(1, f)) * (PLOT_BOTTOM - TOP);
    }

    private void axes() {
        svg.append("<g class=\"axes\">");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(PLOT_BOTTOM - TOP)
                .append("\" fill=\"none\" stroke=\"#bbb\"/>");
        for (int decade = (int) Math.floor(logLow); decade <= Math.ceil(logHigh); decade++) {
            for (int m : new int[] { 1, 2, 5 }) {
                double v = m * Math.pow(10, decade);
                if (Math.log10(v) < logLow || Math.log10(v) > logHigh) {
                    continue;
                }
                String yy = num(y(v));
                svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                        .append(yy).append("\" y2=\"").append(yy).append("\" stroke=\"#eee\"/>");
                svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(yy)
                        .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(ConsoleFormat.rate(v))
                        .append("</text>");
            }
        }
        long span = to.toEpochMilli() - from.toEpochMilli();
        for (int i = 0; i <= 6; i++) {
            Instant t = Instant.ofEpochMilli(from.toEpochMilli() + span * i / 6);
            String xx = num(x(t));
            for (int[] panel : new int[][] { { TOP, PLOT_BOTTOM }, { MOS_TOP, LOSS_BOTTOM } }) {
                svg.append("<line x1=\"").append(xx).append("\" x2=\"").append(xx).append("\" y1=\"").append(panel[0])
                        .append("\" y2=\"").append(panel[1]).append("\" stroke=\"#f3f3f3\"/>");
            }
            svg.append("<text x=\"").append(xx).append("\" y=\"").append(TIME_LABELS)
                    .append("\" text-anchor=\"middle\">").append(ConsoleFormat.axisTime(t, span)).append("</text>");
        }
        svg.append("</g>");
    }

    private void thresholds(List<Tier> tiers) {
        svg.append("<g class=\"thresholds\">");
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            if (t.thresholdBps() <= 0) {
                continue;
            }
            String yy = num(y(t.thresholdBps()));
            svg.append("<line class=\"threshold\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(yy).append("\" y2=\"").append(yy).append("\" stroke=\"")
                    .append(colour(i)).append("\" stroke-dasharray=\"6 4\"/>");
            svg.append("<text x=\"").append(WIDTH - RIGHT + 4).append("\" y=\"").append(yy)
                    .append("\" dominant-baseline=\"middle\" fill=\"").append(colour(i)).append("\">")
                    .append(ConsoleFormat.escape(t.name())).append(t.strict() ? " >" : " ≥").append(' ')
                    .append(ConsoleFormat.rate(t.thresholdBps())).append("</text>");
        }
        svg.append("</g>");
    }

    /** The estimator replayed: the median of the last {@code window} TCP rates per direction after each result. */
    private void estimates(List<Point> points, List<Long> seedDown, List<Long> seedUp, int window) {
        for (String direction : new String[] { "DOWNLINK", "UPLINK" }) {
            boolean down = "DOWNLINK".equals(direction);
            MedianWindow w = new MedianWindow(window, down ? seedDown : seedUp);
            StringBuilder line = new StringBuilder();
            if (!w.isEmpty()) {
                line.append(num(x(from))).append(',').append(num(y(w.median()))).append(' ');
            }
            for (Point p : points) {
                if (direction.equals(p.direction()) && "OK".equals(p.outcome()) && !"UDP".equals(p.protocol())
                        && p.bitsPerSecond() != null) {
                    if (!w.isEmpty()) {
                        line.append(num(x(p.startedAt()))).append(',').append(num(y(w.median()))).append(' ');
                    }
                    w.add(p.bitsPerSecond());
                    line.append(num(x(p.startedAt()))).append(',').append(num(y(w.median()))).append(' ');
                }
            }
            if (line.length() > 0) {
                svg.append("<polyline class=\"estimate ").append(down ? "down" : "up")
                        .append("\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(down ? "#1565c0" : "#8e24aa")
                        .append("\" points=\"").append(line.toString().strip()).append("\"/>");
            }
        }
    }

    private void probes(List<Point> points) {
        svg.append("<g class=\"probes\">");
        for (Point p : points) {
            String xx = num(x(p.startedAt()));
            boolean down = "DOWNLINK".equals(p.direction());
            String title = ConsoleFormat.escape(p.startedAt() + " " + p.direction().toLowerCase(Locale.ROOT) + " "
                    + p.protocol() + " " + p.outcome()
                    + (p.bitsPerSecond() == null ? "" : " " + ConsoleFormat.rate(p.bitsPerSecond()))
                    + (p.lossPercent() == null ? "" : ", loss " + ConsoleFormat.percent(p.lossPercent()))
                    + (p.jitterMs() == null ? "" : ", jitter " + ConsoleFormat.ms(p.jitterMs()))
                    + (p.rttMicros() == null ? "" : ", RTT " + ConsoleFormat.ms(p.rttMicros() / 1000.0)));
            if (!"OK".equals(p.outcome()) || p.bitsPerSecond() == null) {
                svg.append("<path class=\"probe failed\" d=\"M").append(xx).append(' ').append(PLOT_BOTTOM - 8)
                        .append(" l-4 -4 m0 8 l8 -8 m0 8 l-8 -8\" transform=\"translate(4 4)\" stroke=\"#c62828\""
                                + " stroke-width=\"1.5\"><title>")
                        .append(title).append("</title></path>");
            } else if ("UDP".equals(p.protocol())) {
                String yy = num(y(p.bitsPerSecond()));
                svg.append("<rect class=\"probe udp\" x=\"").append(xx).append("\" y=\"").append(yy)
                        .append("\" width=\"5\" height=\"5\" transform=\"translate(-2.5 -2.5)\" fill=\"#00897b\"><title>")
                        .append(title).append("</title></rect>");
            } else {
                svg.append("<circle class=\"probe ").append(down ? "down" : "up").append("\" cx=\"").append(xx)
                        .append("\" cy=\"").append(num(y(p.bitsPerSecond()))).append("\" r=\"3\" fill=\"")
                        .append(down ? "#64b5f6" : "#ce93d8").append("\"><title>").append(title)
                        .append("</title></circle>");
            }
        }
        svg.append("</g>");
    }

    private void buckets(List<BucketPoint> buckets) {
        svg.append("<g class=\"buckets\">");
        for (BucketPoint b : buckets) {
            if (b.p50Bps() == null) {
                continue;
            }
            boolean down = "DOWNLINK".equals(b.direction());
            svg.append("<circle class=\"bucket ").append(down ? "down" : "up").append("\" cx=\"")
                    .append(num(x(b.start()))).append("\" cy=\"").append(num(y(b.p50Bps()))).append("\" r=\"2.5\" fill=\"")
                    .append(down ? "#1565c0" : "#8e24aa").append("\"><title>")
                    .append(ConsoleFormat.escape(b.start() + " " + b.direction().toLowerCase(Locale.ROOT) + " median "
                            + ConsoleFormat.rate(b.p50Bps()) + " of " + b.count() + " results, " + b.failed() + " failed"))
                    .append("</title></circle>");
        }
        svg.append("</g>");
    }

    private void band(List<Tier> tiers, List<TierSpan> spans) {
        svg.append("<g class=\"tier-band\">");
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(BAND_TOP + BAND_HEIGHT / 2)
                .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">tier</text>");
        for (int i = 0; i < spans.size(); i++) {
            TierSpan s = spans.get(i);
            Instant end = i + 1 < spans.size() ? spans.get(i + 1).from() : to;
            if (!end.isAfter(from)) {
                continue;
            }
            double x0 = x(s.from().isBefore(from) ? from : s.from());
            double x1 = x(end);
            String colour = PIN_COLOUR;
            for (int t = 0; t < tiers.size(); t++) {
                if (tiers.get(t).name().equals(s.tier())) {
                    colour = colour(t);
                }
            }
            svg.append("<rect class=\"tier-span\" data-tier=\"").append(ConsoleFormat.escape(s.tier()))
                    .append("\" x=\"").append(num(x0)).append("\" y=\"").append(BAND_TOP).append("\" width=\"")
                    .append(num(Math.max(1, x1 - x0))).append("\" height=\"").append(BAND_HEIGHT).append("\" fill=\"")
                    .append(colour).append("\"><title>").append(ConsoleFormat.escape(s.tier() + " from " + s.from()))
                    .append("</title></rect>");
            if (x1 - x0 > 40) {
                svg.append("<text x=\"").append(num(x0 + 4)).append("\" y=\"").append(BAND_TOP + BAND_HEIGHT / 2)
                        .append("\" dominant-baseline=\"middle\" fill=\"#fff\">").append(ConsoleFormat.escape(s.tier()))
                        .append("</text>");
            }
        }
        svg.append("</g>");
    }

    private double mosY(double mos) {
        double f = (Math.max(MOS_LOW, Math.min(MOS_HIGH, mos)) - MOS_LOW) / (MOS_HIGH - MOS_LOW);
        return MOS_BOTTOM - f * (MOS_BOTTOM - MOS_TOP);
    }

    private void calls(List<CallRow> calls, double mosTarget) {
        svg.append("<g class=\"calls\">");
        int width = WIDTH - LEFT - RIGHT;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(MOS_TOP).append("\" width=\"").append(width)
                .append("\" height=\"").append(MOS_BOTTOM - MOS_TOP).append("\" fill=\"none\" stroke=\"#bbb\"/>");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(LOSS_TOP).append("\" width=\"").append(width)
                .append("\" height=\"").append(LOSS_BOTTOM - LOSS_TOP).append("\" fill=\"none\" stroke=\"#bbb\"/>");
        for (double m : new double[] { 1, 2, 3, 4 }) {
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(mosY(m)))
                    .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">MOS ").append((int) m).append("</text>");
        }
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append((LOSS_TOP + LOSS_BOTTOM) / 2)
                .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">loss</text>");
        svg.append("<text x=\"").append(WIDTH - RIGHT + 4).append("\" y=\"").append(LOSS_TOP + 6)
                .append("\" dominant-baseline=\"middle\">").append((int) LOSS_FULL_PERCENT).append(" %</text>");
        String target = num(mosY(mosTarget));
        svg.append("<line class=\"mos-target\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(target).append("\" y2=\"").append(target)
                .append("\" stroke=\"#c62828\" stroke-dasharray=\"6 4\"/>");
        svg.append("<text x=\"").append(WIDTH - RIGHT + 4).append("\" y=\"").append(target)
                .append("\" dominant-baseline=\"middle\" fill=\"#c62828\">bad below ")
                .append(String.format(Locale.ROOT, "%.2f", mosTarget)).append("</text>");
        if (calls.isEmpty()) {
            svg.append("<text x=\"").append(LEFT + width / 2).append("\" y=\"").append((MOS_TOP + MOS_BOTTOM) / 2)
                    .append("\" text-anchor=\"middle\" dominant-baseline=\"middle\">no call ended in this range</text>");
        }
        for (CallRow call : calls) {
            String title = ConsoleFormat.escape(call.endedAt() + " call " + call.uniqueId() + ", "
                    + (call.codec() == null ? "codec unknown" : call.codec()) + ", " + call.durationMs() / 1000 + " s, MOS "
                    + ConsoleFormat.mos(call.mos()) + ", loss " + ConsoleFormat.percent(call.lossPercent()) + ", jitter "
                    + ConsoleFormat.ms(call.meanJitterMs()) + ", RTT " + ConsoleFormat.ms(call.rttMs()) + ", "
                    + call.verdict().toLowerCase(Locale.ROOT));
            double x1 = x(call.endedAt());
            double x0 = x(call.endedAt().minusMillis(call.durationMs()));
            String colour = switch (call.verdict()) {
                case "GOOD" -> "#2e7d32";
                case "BAD" -> "#c62828";
                default -> "#757575";
            };
            String yy = num(call.mos() == null ? MOS_BOTTOM - 4 : mosY(call.mos()));
            if (x1 - x0 >= 2) {
                svg.append("<line x1=\"").append(num(x0)).append("\" x2=\"").append(num(x1)).append("\" y1=\"")
                        .append(yy).append("\" y2=\"").append(yy).append("\" stroke=\"").append(colour)
                        .append("\" stroke-width=\"2\"/>");
            }
            svg.append("<circle class=\"call ").append(call.mos() == null ? "unrated" : "rated").append(' ')
                    .append(call.verdict().toLowerCase(Locale.ROOT)).append("\" cx=\"").append(num(x1)).append("\" cy=\"")
                    .append(yy).append("\" r=\"3.5\" ")
                    .append(call.mos() == null ? "fill=\"#fff\" stroke=\"" + colour + "\"" : "fill=\"" + colour + "\"")
                    .append("><title>").append(title).append("</title></circle>");
            if (call.lossPercent() != null) {
                double f = Math.min(1, call.lossPercent() / LOSS_FULL_PERCENT);
                double h = Math.max(1, f * (LOSS_BOTTOM - LOSS_TOP));
                svg.append("<rect class=\"call-loss\" x=\"").append(num(x1 - 1.5)).append("\" y=\"")
                        .append(num(LOSS_BOTTOM - h)).append("\" width=\"3\" height=\"").append(num(h))
                        .append("\" fill=\"").append(colour).append("\"><title>").append(title)
                        .append("</title></rect>");
            }
        }
        svg.append("</g>");
    }

    private static String colour(int tierIndex) {
        return TIER_COLOURS[Math.min(tierIndex, TIER_COLOURS.length - 1)];
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

package io.vbo.probe.iperf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.Validate;
import java.util.Locale;

/** Reads iperf3's {@code --json} report. The rate is always the receiver's figure, never the sender's. */
public final class Iperf3Report {
    private Iperf3Report() {
    }

    public static Measurement parse(String json, Protocol protocol) {
        JsonNode root = root(json);
        Measurement failed = failure(root, json);
        if (failed != null) {
            return failed;
        }
        JsonNode end = root.path("end");
        JsonNode received = end.has("sum_received") ? end.get("sum_received") : end.path("sum");
        if (!received.has("bits_per_second")) {
            return Measurement.failed(Outcome.ERROR, "iperf3 report has no end.sum_received");
        }
        JsonNode sent = end.path("sum_sent");
        if (protocol == Protocol.UDP) {
            return udp(received, sent);
        }
        JsonNode retransmits = sent.get("retransmits");
        return new Measurement(Outcome.OK, Math.round(received.get("bits_per_second").asDouble()),
                received.path("bytes").asLong(), retransmits == null ? null : retransmits.asInt(), null, null, null,
                null, null, null);
    }

    /**
     * Reads a UDP {@code --bidir} report: the client's stream (PBX → phone) is {@code end.sum_received} against
     * {@code end.sum_sent}, the server's (phone → PBX) the {@code _bidir_reverse} pair, without a delay growth of its
     * own. A failed run is that failure in both directions.
     */
    public static Both parseBoth(String json) {
        JsonNode root = root(json);
        Measurement failed = failure(root, json);
        if (failed != null) {
            return new Both(failed, failed);
        }
        JsonNode end = root.path("end");
        if (!end.path("sum_received").has("bits_per_second")
                || !end.path("sum_received_bidir_reverse").has("bits_per_second")) {
            Measurement none = Measurement.failed(Outcome.ERROR,
                    "iperf3 report has no end.sum_received and end.sum_received_bidir_reverse (--bidir needs iperf3 3.7)");
            return new Both(none, none);
        }
        Measurement up = udp(end.get("sum_received_bidir_reverse"), end.path("sum_sent_bidir_reverse"));
        // Both sums end when the test does, so the reverse "growth" is the forward stream's drain (measured: equal to
        // the millisecond on 20 links). As with -R the reverse receiver's own queued tail is missing bytes (loss).
        return new Both(udp(end.get("sum_received"), end.path("sum_sent")),
                new Measurement(up.outcome(), up.bitsPerSecond(), up.bytesReceived(), null, up.jitterMs(),
                        up.lossPercent(), null, up.packets(), 0.0, null));
    }

    /** One {@code --bidir} run's two directions. */
    public record Both(Measurement downlink, Measurement uplink) {
        public Measurement of(ProbeResult.Direction direction) {
            return direction == ProbeResult.Direction.DOWNLINK ? downlink : uplink;
        }
    }

    private static JsonNode root(String json) {
        try {
            JsonNode root = EventJson.mapper().readTree(json);
            return root != null && root.isObject() ? root : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The run's failure: no report, or iperf3's own error; {@code null} when it has figures. */
    private static Measurement failure(JsonNode root, String json) {
        if (root == null) {
            return Measurement.failed(Outcome.ERROR, "iperf3 printed no JSON report: " + snippet(json));
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String message = Validate.printable(error.asText());
            return Measurement.failed(classify(message), message);
        }
        return null;
    }

    private static Measurement udp(JsonNode received, JsonNode sent) {
        return new Measurement(Outcome.OK, Math.round(received.path("bits_per_second").asDouble()),
                received.path("bytes").asLong(), null, clamp(received.path("jitter_ms").asDouble(), 60_000),
                udpLoss(received, sent), null, sent.path("packets").asLong(), delayGrowthMs(received, sent), null);
    }

    /** Maps iperf3's error text (its own words, see iperf_error.c) to an outcome. */
    static Outcome classify(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("server is busy")) {
            return Outcome.SERVER_BUSY;
        }
        if (m.contains("connection refused") || m.contains("no route to host") || m.contains("network is unreachable")
                || m.contains("host is unreachable")) {
            return Outcome.UNREACHABLE;
        }
        if (m.contains("timed out") || m.contains("timeout")) {
            return Outcome.TIMEOUT;
        }
        return Outcome.ERROR;
    }

    /**
     * UDP loss in percent. iperf3 3.12 counts sequence gaps, which misses datagrams dropped after the last one that
     * arrived and, with {@code -R}, reports 0 % even when half the stream was dropped; the bytes the receiver got
     * against the bytes the sender sent catch both, so the larger of the two figures wins.
     */
    static double udpLoss(JsonNode received, JsonNode sent) {
        double reported = received.path("lost_percent").asDouble();
        long sentBytes = sent.path("bytes").asLong();
        double missing = sentBytes > 0 ? 100.0 * (sentBytes - received.path("bytes").asLong()) / sentBytes : 0;
        return clamp(Math.max(reported, missing), 100);
    }

    /**
     * How much longer the receiver received than the sender sent, in ms: what the stream left queued on the link.
     * Measured: a stream that fits shows 0–8 ms; one 25 % over a 40 kbit/s link's rate, 2 s long, 530 ms and no loss
     * (the queue absorbed it). With {@code -R} the receiver (our client) stops at {@code -t}, so there the queued
     * tail is missing bytes instead, which {@link #udpLoss} counts.
     */
    static double delayGrowthMs(JsonNode received, JsonNode sent) {
        return clamp(1000.0 * (received.path("seconds").asDouble() - sent.path("seconds").asDouble()), 600_000);
    }

    private static double clamp(double value, double max) {
        return Math.max(0, Math.min(max, value));
    }

    private static String snippet(String text) {
        String t = text == null ? "" : text.strip();
        return t.isEmpty() ? "(empty)" : Validate.printable(t.length() > 300 ? t.substring(0, 300) : t);
    }
}

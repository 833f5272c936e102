package io.vbo.events;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Quality of one phone's leg of a real call, from the RTCP reports Asterisk sends and receives on it: either one
 * {@link Kind#SAMPLE} per report, or one {@link Kind#SUMMARY} when the channel hangs up.
 *
 * <p>Idempotency: {@link #idempotencyKey()} = {@code uniqueId + "#" + sequence}. The sequence numbers one channel's
 * messages in the order discovery publishes them (both directions share it), from its run's base + 1 (the run's start
 * second × 10^7, so a restarted discovery never reuses a number); the summary takes the next number after the last
 * sample. A redelivered message therefore carries the same key and is stored once.
 *
 * @param schema   contract version, {@link #SCHEMA}
 * @param kind     a per-report sample or the per-call summary; exactly the matching one of {@code sample} /
 *                 {@code summary} is set
 * @param pbxId    which PBX
 * @param endpoint the PJSIP endpoint of the phone ({@code PJSIP/<endpoint>-…} channel)
 * @param callId   the call: the channel's {@code Linkedid} (shared by every leg of one call)
 * @param uniqueId the phone's channel: its {@code Uniqueid}
 * @param channel  the channel name, e.g. {@code PJSIP/1002-00000000}
 * @param sequence per channel, increasing, at least 1 (see above)
 * @param codec    the audio codec of the leg ({@code NativeFormats} of the channel), {@code null} when not known
 * @param sample   the report, for a {@link Kind#SAMPLE}
 * @param summary  the call, for a {@link Kind#SUMMARY}
 * @param at       when discovery received the report, or the hang-up
 */
public record CallQuality(int schema, Kind kind, String pbxId, String endpoint, String callId, String uniqueId,
        String channel, long sequence, String codec, Sample sample, Summary summary, Instant at) {
    public static final int SCHEMA = 1;
    /** Asterisk unique ids: {@code 1796154184.0}, or what an originate's {@code ChannelId} set (up to 150 chars). */
    public static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9._-]{1,150}");
    /** Longest Asterisk channel name accepted (AST_CHANNEL_NAME is 80; room for long endpoint names). */
    public static final int MAX_CHANNEL = 200;
    /** The longest call a summary may report: 31 days. */
    public static final long MAX_DURATION_MS = 31L * 24 * 3600 * 1000;

    /** What the message carries. */
    public enum Kind { SAMPLE, SUMMARY }

    /**
     * Which RTCP report a sample is. {@link #RECEIVED}: an {@code RTCPReceived}, the phone's report, so its loss and
     * jitter are of the media the phone receives (PBX → phone, downlink). {@link #SENT}: an {@code RTCPSent},
     * Asterisk's report on the media it receives from the phone (phone → PBX, uplink).
     */
    public enum Direction { RECEIVED, SENT }

    /**
     * Whether the call's quality was measured. {@link #RTCP}: the media went through Asterisk and it saw RTCP.
     * {@link #NOT_MEASURED}: no report showed media: none came, or the reports' highest sequence never moved. With
     * {@code direct_media=yes} (Asterisk's default) a bridged call of two phones on the same codec is moved to a
     * native RTP bridge and the phones send media to each other: Asterisk keeps sending receiver reports, but about
     * nothing (captured: call (b) of ami-session-calls). A saturated link can also lose every report of the phone.
     */
    public enum MediaPath { RTCP, NOT_MEASURED }

    /**
     * One RTCP report block (Asterisk 22 names in brackets).
     *
     * @param direction       which report, hence which media direction (see {@link Direction})
     * @param fractionLost    loss since the previous report in 1/256 ({@code Report0FractionLost}), 0-255
     * @param cumulativeLost  packets lost since the stream began ({@code Report0CumulativeLost}; RTCP's 24-bit
     *                        signed counter, negative when duplicates outnumber losses)
     * @param highestSequence extended highest sequence number received: cycles × 65536 + highest
     *                        ({@code Report0SequenceNumberCycles}, {@code Report0HighestSequence})
     * @param packets         packets the reporting side has sent on this stream ({@code SentPackets} of a sender
     *                        report), {@code null} in a receiver report ({@code PT: 201(RR)})
     * @param jitterRtp       interarrival jitter in RTP timestamp units ({@code Report0IAJitter})
     * @param jitterMs        the same in milliseconds at the codec's RTP clock, {@code null} when the codec is unknown
     * @param rttMs           round trip Asterisk computed from LSR/DLSR ({@code RTT} of an {@code RTCPReceived}),
     *                        {@code null} in an {@code RTCPSent} or before the phone echoed a sender report
     * @param mes             Asterisk's media experience score 0-100 ({@code MES}), {@code null} when absent
     */
    public record Sample(Direction direction, int fractionLost, long cumulativeLost, long highestSequence, Long packets,
            long jitterRtp, Double jitterMs, Double rttMs, Double mes) {
        public Sample {
            Validate.required("sample.direction", direction);
            Validate.range("sample.fractionLost", fractionLost, 0, 255);
            Validate.range("sample.cumulativeLost", cumulativeLost, -8_388_608L, 8_388_607L);
            Validate.range("sample.highestSequence", highestSequence, 0L, 0xFFFF_FFFFL);
            if (packets != null) {
                Validate.range("sample.packets", packets, 0L, 0xFFFF_FFFFL);
            }
            Validate.range("sample.jitterRtp", jitterRtp, 0L, 0xFFFF_FFFFL);
            if (jitterMs != null) {
                Validate.range("sample.jitterMs", jitterMs, 0, 600_000);
            }
            if (rttMs != null) {
                Validate.range("sample.rttMs", rttMs, 0, 600_000);
            }
            if (mes != null) {
                Validate.range("sample.mes", mes, 0, 100);
            }
        }

        /** {@link #fractionLost} in percent. */
        public double lossPercent() {
            return fractionLost * 100.0 / 256;
        }
    }

    /**
     * One call on the phone's leg, at hang-up. Loss per direction is the packets lost between the first and the last
     * report over the packets expected in that span (extended highest sequence numbers), or the one report's
     * fraction lost when there was one; jitter and RTT are over every report that carried them.
     *
     * @param durationMs          channel creation ({@code Newchannel}, or first sight) to {@code Hangup}
     * @param mediaPath           whether anything was measured (see {@link MediaPath})
     * @param reports             RTCP reports received and sent on the leg (also counted when they showed no media)
     * @param packets             packets sent on the leg both ways, from the last sender report of each side
     *                            ({@code null} when neither sent one)
     * @param downlinkLossPercent loss of PBX → phone media (the phone's reports), {@code null} without one
     * @param uplinkLossPercent   loss of phone → PBX media (Asterisk's reports), {@code null} without one
     * @param lossPercent         the worse of the two, what the MOS uses
     * @param meanJitterMs        mean interarrival jitter of both directions
     * @param maxJitterMs         highest interarrival jitter of either direction
     * @param rttMs               mean round trip Asterisk computed
     * @param mos                 G.107 E-model MOS with the codec's Ie/Bpl (G.113), {@code null} when not measured
     *                            or the codec has no ITU-T factors (Opus, G.722, GSM …)
     * @param hangupCause         Asterisk's {@code Cause} ({@code 16} normal clearing), {@code null} when absent
     */
    public record Summary(long durationMs, MediaPath mediaPath, int reports, Long packets, Double downlinkLossPercent,
            Double uplinkLossPercent, Double lossPercent, Double meanJitterMs, Double maxJitterMs, Double rttMs,
            Double mos, Integer hangupCause) {
        public Summary {
            Validate.range("summary.durationMs", durationMs, 0L, MAX_DURATION_MS);
            Validate.required("summary.mediaPath", mediaPath);
            Validate.range("summary.reports", reports, 0, 10_000_000);
            if (mediaPath == MediaPath.NOT_MEASURED && (lossPercent != null || mos != null)) {
                throw new InvalidEventException("summary.mediaPath", "NOT_MEASURED carries no loss and no MOS");
            }
            if (mediaPath == MediaPath.RTCP && reports == 0) {
                throw new InvalidEventException("summary.reports", "an RTCP summary needs at least one report");
            }
            if (mediaPath == MediaPath.RTCP && lossPercent == null) {
                throw new InvalidEventException("summary.lossPercent", "is required in an RTCP summary");
            }
            if (packets != null) {
                Validate.range("summary.packets", packets, 0L, 0x1_FFFF_FFFEL);
            }
            percent("summary.downlinkLossPercent", downlinkLossPercent);
            percent("summary.uplinkLossPercent", uplinkLossPercent);
            percent("summary.lossPercent", lossPercent);
            millis("summary.meanJitterMs", meanJitterMs);
            millis("summary.maxJitterMs", maxJitterMs);
            millis("summary.rttMs", rttMs);
            if (mos != null) {
                Validate.range("summary.mos", mos, 1, 5);
            }
            if (hangupCause != null) {
                Validate.range("summary.hangupCause", hangupCause, 0, 127);
            }
        }

        private static void percent(String field, Double value) {
            if (value != null) {
                Validate.range(field, value, 0, 100);
            }
        }

        private static void millis(String field, Double value) {
            if (value != null) {
                Validate.range(field, value, 0, 600_000);
            }
        }
    }

    public CallQuality {
        Validate.schema(schema, SCHEMA);
        Validate.required("kind", kind);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        uniqueId("callId", callId);
        uniqueId("uniqueId", uniqueId);
        Validate.line("channel", channel, MAX_CHANNEL);
        Validate.range("sequence", sequence, 1L, Long.MAX_VALUE);
        if (codec != null && !Codecs.isKnown(codec)) {
            throw new InvalidEventException("codec", "unknown codec '" + Validate.printable(codec) + "'");
        }
        if (kind == Kind.SAMPLE) {
            Validate.required("sample", sample);
            if (summary != null) {
                throw new InvalidEventException("summary", "must be absent in a SAMPLE");
            }
        } else {
            Validate.required("summary", summary);
            if (sample != null) {
                throw new InvalidEventException("sample", "must be absent in a SUMMARY");
            }
        }
        Validate.instant("at", at);
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }

    /** What a consumer stores once: the channel's unique id and the sequence. */
    public String idempotencyKey() {
        return uniqueId + "#" + sequence;
    }

    private static void uniqueId(String field, String value) {
        Validate.requiredText(field, value);
        if (!UNIQUE_ID.matcher(value).matches()) {
            throw new InvalidEventException(field, "must match " + UNIQUE_ID.pattern() + ", got '"
                    + Validate.printable(value) + "'");
        }
    }
}

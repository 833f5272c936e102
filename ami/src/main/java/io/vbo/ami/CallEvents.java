package io.vbo.ami;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads Asterisk 22's call events ({@code Newchannel}, {@code Newstate}, {@code Hangup}, {@code BridgeEnter}, the
 * {@code CoreShowChannel} list items) and RTCP events ({@code RTCPReceived}, {@code RTCPSent}), by field name as
 * captured in fixtures/asterisk-transcripts. Notes from the captures that shape this: {@code SSRC} of an
 * {@code RTCPReceived} is not the phone's SSRC (it is the SR's NTP seconds), so nothing here uses it; {@code SentNTP} is
 * Unix time; {@code RTT} exists only in {@code RTCPReceived} and reads {@code 0.0000} until the phone echoes an LSR.
 */
public final class CallEvents {
    private static final String PJSIP_PREFIX = "PJSIP/";

    private CallEvents() {
    }

    /**
     * The channel snapshot every call and RTCP event starts with.
     *
     * @param channel  {@code Channel}, e.g. {@code PJSIP/1002-00000000}
     * @param uniqueId {@code Uniqueid} of the channel
     * @param linkedId {@code Linkedid}: the call the channel belongs to (the first channel's unique id)
     * @param state    {@code ChannelStateDesc} ({@code Down}, {@code Ringing}, {@code Up} …)
     */
    public record Channel(String channel, String uniqueId, String linkedId, String state) {
        /** The PJSIP endpoint of a {@code PJSIP/<endpoint>-<8 hex>} channel, empty for any other technology. */
        public Optional<String> pjsipEndpoint() {
            return CallEvents.pjsipEndpoint(channel);
        }
    }

    /** A {@code Hangup}: the channel and Asterisk's cause code ({@code Cause}, {@code null} when absent or garbage). */
    public record Hangup(Channel channel, Integer cause, String causeText) {
    }

    /**
     * One RTCP packet with its first report block, as Asterisk announces it.
     *
     * @param channel         the channel the RTCP belongs to
     * @param sent            {@code true} for {@code RTCPSent} (Asterisk's report on what it receives from the phone),
     *                        {@code false} for {@code RTCPReceived} (the phone's report on what it receives)
     * @param senderReport    {@code PT: 200(SR)}; {@code false} for {@code 201(RR)}
     * @param sentPackets     {@code SentPackets} of a sender report, {@code null} in a receiver report
     * @param rttSeconds      {@code RTT} of an {@code RTCPReceived}, {@code null} in an {@code RTCPSent}
     * @param mes             {@code MES}, media experience score, {@code null} when absent
     * @param fractionLost    {@code Report0FractionLost}, 0-255
     * @param cumulativeLost  {@code Report0CumulativeLost}
     * @param highestSequence extended: {@code Report0SequenceNumberCycles} × 65536 + {@code Report0HighestSequence}
     * @param jitter          {@code Report0IAJitter}, RTP timestamp units
     * @param lsr             {@code Report0LSR}, {@code 0} when the reporter has received no sender report yet
     * @param dlsrSeconds     {@code Report0DLSR}
     */
    public record Rtcp(Channel channel, boolean sent, boolean senderReport, Long sentPackets, Double rttSeconds,
            Double mes, int fractionLost, long cumulativeLost, long highestSequence, long jitter, long lsr,
            double dlsrSeconds) {
        /** The round trip Asterisk computed, or {@code null}: none in an RTCPSent, none before an LSR was echoed. */
        public Double computedRttSeconds() {
            return rttSeconds == null || lsr == 0 ? null : rttSeconds;
        }
    }

    /** The channel of any event carrying the standard snapshot; empty when {@code Channel} or {@code Uniqueid} is missing. */
    public static Optional<Channel> channel(AmiMessage event) {
        String channel = event.get("Channel");
        String uniqueId = event.get("Uniqueid");
        if (channel == null || channel.isEmpty() || uniqueId == null || uniqueId.isEmpty()) {
            return Optional.empty();
        }
        String linkedId = event.get("Linkedid");
        return Optional.of(new Channel(channel, uniqueId, linkedId == null || linkedId.isEmpty() ? uniqueId : linkedId,
                String.valueOf(event.get("ChannelStateDesc"))));
    }

    /** A {@code Hangup} event; empty for another event or one without a channel. */
    public static Optional<Hangup> hangup(AmiMessage event) {
        if (!"Hangup".equalsIgnoreCase(event.event())) {
            return Optional.empty();
        }
        return channel(event).map(c -> new Hangup(c, integer(event.get("Cause")), event.get("Cause-txt")));
    }

    /** The channels of a {@code CoreShowChannels} reply's {@code CoreShowChannel} items. */
    public static List<Channel> channels(List<AmiMessage> coreShowChannels) {
        return coreShowChannels.stream().filter(e -> "CoreShowChannel".equalsIgnoreCase(e.event()))
                .map(CallEvents::channel).flatMap(Optional::stream).toList();
    }

    /**
     * An {@code RTCPReceived} / {@code RTCPSent} with a report block; empty for another event, a packet without a
     * report block ({@code ReportCount: 0}: a sender with nothing received yet) or one whose block fields do not parse.
     */
    public static Optional<Rtcp> rtcp(AmiMessage event) {
        String name = event.event();
        boolean sent;
        if ("RTCPSent".equalsIgnoreCase(name)) {
            sent = true;
        } else if ("RTCPReceived".equalsIgnoreCase(name)) {
            sent = false;
        } else {
            return Optional.empty();
        }
        Optional<Channel> channel = channel(event);
        Integer fraction = integer(event.get("Report0FractionLost"));
        Long cumulative = number(event.get("Report0CumulativeLost"));
        Long highest = number(event.get("Report0HighestSequence"));
        Long jitter = number(event.get("Report0IAJitter"));
        if (channel.isEmpty() || fraction == null || cumulative == null || highest == null || jitter == null
                || fraction < 0 || fraction > 255 || highest < 0 || highest > 0xFFFF || jitter < 0) {
            return Optional.empty();
        }
        Long cycles = number(event.get("Report0SequenceNumberCycles"));
        long extended = (cycles == null || cycles < 0 ? 0 : Math.min(cycles, 0xFFFF)) << 16 | highest;
        Long lsr = number(event.get("Report0LSR"));
        Double dlsr = decimal(event.get("Report0DLSR"));
        String pt = String.valueOf(event.get("PT"));
        return Optional.of(new Rtcp(channel.get(), sent, pt.startsWith("200"), number(event.get("SentPackets")),
                sent ? null : decimal(event.get("RTT")), decimal(event.get("MES")), fraction, cumulative, extended,
                jitter, lsr == null ? 0 : lsr, dlsr == null ? 0 : dlsr));
    }

    /** The endpoint of a {@code PJSIP/<endpoint>-<suffix>} channel name; empty for other technologies. */
    public static Optional<String> pjsipEndpoint(String channel) {
        if (channel == null || !channel.regionMatches(true, 0, PJSIP_PREFIX, 0, PJSIP_PREFIX.length())) {
            return Optional.empty();
        }
        int dash = channel.lastIndexOf('-');
        if (dash <= PJSIP_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(channel.substring(PJSIP_PREFIX.length(), dash));
    }

    /**
     * The audio codec of a channel from {@code core show channel <name>} output: its {@code NativeFormats: (ulaw)}
     * line (the RTP payload; {@code WriteFormat} is {@code slin} when Asterisk transcodes). Empty when the line is
     * missing or lists no format; of several formats, the first.
     */
    public static Optional<String> nativeFormat(List<String> coreShowChannel) {
        for (String line : coreShowChannel) {
            String stripped = line.strip();
            if (stripped.startsWith("NativeFormats:")) {
                String value = stripped.substring("NativeFormats:".length()).strip();
                if (value.startsWith("(") && value.endsWith(")")) {
                    value = value.substring(1, value.length() - 1);
                }
                String first = value.split("\\|", 2)[0].strip().toLowerCase(Locale.ROOT);
                return first.isEmpty() || first.equals("nothing") ? Optional.empty() : Optional.of(first);
            }
        }
        return Optional.empty();
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(String value) {
        Long n = number(value);
        return n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE ? null : n.intValue();
    }

    private static Double decimal(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.strip());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

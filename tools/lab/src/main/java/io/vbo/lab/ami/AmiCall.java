package io.vbo.lab.ami;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One PJSIP channel of a call for {@link AmiTestServer} to play, every message built from the captured call (a) of
 * {@code ami-session-calls.received.raw.txt} (an Echo call to 1002, media through Asterisk) with only the channel's
 * identity and the report values replaced: {@code Newchannel}, {@code Newstate} Ringing/Up, {@code RTCPReceived}
 * (the phone's sender report, with the {@code RTT} Asterisk computed), {@code RTCPSent} (Asterisk's), {@code Hangup};
 * the {@code CoreShowChannel} item of {@code ami-coreshowchannels-call} and {@code core show channel} of
 * {@code cli-core-show-channel-1002-call.txt}.
 *
 * @param endpoint PJSIP endpoint
 * @param channel  channel name {@code PJSIP/<endpoint>-<8 hex>}
 * @param uniqueId the channel's {@code Uniqueid}
 * @param linkedId the call's {@code Linkedid}
 * @param codec    {@code NativeFormats} answered by {@code core show channel}
 */
public record AmiCall(String endpoint, String channel, String uniqueId, String linkedId, String codec) {
    private static final String CALLS = "ami-session-calls.received.raw.txt";
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();
    /** RTP packets per 5-s report interval at 20 ms packetization. */
    public static final int PACKETS_PER_REPORT = 250;

    /**
     * One report block with its sender-report counters.
     *
     * @param fractionLost    0-255
     * @param cumulativeLost  packets lost so far
     * @param highestSequence extended highest sequence received
     * @param jitterRtp       interarrival jitter in RTP timestamp units
     * @param rttSeconds      the {@code RTT} an {@code RTCPReceived} carries (ignored in an {@code RTCPSent})
     * @param sentPackets     {@code SentPackets} of the reporter
     */
    public record Report(int fractionLost, long cumulativeLost, long highestSequence, long jitterRtp, double rttSeconds,
            long sentPackets) {
    }

    /** A call placed to {@code endpoint}, its channel's serial number {@code serial} (unique id and channel suffix). */
    public static AmiCall of(String endpoint, int serial, String codec) {
        String uniqueId = "1796154184." + serial;
        return new AmiCall(endpoint, String.format(Locale.ROOT, "PJSIP/%s-%08x", endpoint, serial), uniqueId, uniqueId,
                codec);
    }

    /**
     * {@code count} reports of one direction, every 5 s of {@link #PACKETS_PER_REPORT} packets from sequence 21135 (the
     * capture's first), each interval losing {@code lossPercent} of them (RTCP's fraction: lost × 256 / expected,
     * truncated) with {@code jitterMs} of jitter at {@code clockRate}.
     */
    public static List<Report> steady(int count, double lossPercent, double jitterMs, double rttMs, int clockRate) {
        List<Report> reports = new ArrayList<>();
        long lostPerReport = Math.round(PACKETS_PER_REPORT * lossPercent / 100);
        long jitter = Math.round(jitterMs * clockRate / 1000);
        for (int i = 1; i <= count; i++) {
            reports.add(new Report((int) (lostPerReport * 256 / PACKETS_PER_REPORT), lostPerReport * i,
                    21_135 + (long) PACKETS_PER_REPORT * i, jitter, rttMs / 1000, (long) PACKETS_PER_REPORT * i));
        }
        return reports;
    }

    public String newchannel() {
        return identity(Transcripts.message(CALLS, "Event: Newchannel"));
    }

    /** {@code Newstate} with {@code Ringing} (5) or {@code Up} (6), as captured. */
    public String newstate(String state) {
        return identity(nth("Event: Newstate", "Ringing".equals(state) ? 0 : 1));
    }

    /** The phone's report on what it receives ({@code RTCPReceived}, sender report, with {@code RTT}). */
    public String rtcpReceived(Report r) {
        String m = identity(nth("Event: RTCPReceived", 1));
        m = AmiTestServer.replaceField(m, "RTT", String.format(Locale.ROOT, "%.4f", r.rttSeconds()));
        return block(m, r);
    }

    /** Asterisk's report on what it receives from the phone ({@code RTCPSent}, sender report). */
    public String rtcpSent(Report r) {
        return block(identity(nth("Event: RTCPSent", 1)), r);
    }

    public String hangup(int cause, String causeText) {
        String m = identity(nth("Event: Hangup", 0));
        m = AmiTestServer.replaceField(m, "Cause", Integer.toString(cause));
        return AmiTestServer.replaceField(m, "Cause-txt", causeText);
    }

    /** This channel as a {@code CoreShowChannel} list item. */
    public String coreShowChannel(String actionId) {
        String item = Transcripts.messages("ami-coreshowchannels-call.response.txt").stream()
                .filter(m -> m.startsWith("Event: CoreShowChannel\r\n")).findFirst().orElseThrow();
        return Transcripts.withActionId(identity(item), actionId);
    }

    /** {@code core show channel <name>} output for this channel. */
    public List<String> coreShowChannelCli() {
        List<String> out = new ArrayList<>();
        for (String line : Transcripts.lines("cli-core-show-channel-1002-call.txt")) {
            line = line.replace("PJSIP/1002-00000002", channel).replace("1796154202.2", uniqueId)
                    .replace("1796154202.1", linkedId);
            if (line.strip().startsWith("NativeFormats:")) {
                line = line.replace("(ulaw)", "(" + codec + ")");
            } else if (line.strip().startsWith("WriteFormat:") || line.strip().startsWith("ReadFormat:")) {
                line = line.replace("ulaw", codec);
            }
            out.add(line);
        }
        return out;
    }

    private String identity(String message) {
        String m = AmiTestServer.replaceField(message, "Channel", channel);
        m = AmiTestServer.replaceField(m, "Uniqueid", uniqueId);
        return AmiTestServer.replaceField(m, "Linkedid", linkedId);
    }

    private static String block(String message, Report r) {
        String m = AmiTestServer.replaceField(message, "SentPackets", Long.toString(r.sentPackets()));
        m = AmiTestServer.replaceField(m, "SentOctets", Long.toString(r.sentPackets() * 160));
        m = AmiTestServer.replaceField(m, "Report0FractionLost", Integer.toString(r.fractionLost()));
        m = AmiTestServer.replaceField(m, "Report0CumulativeLost", Long.toString(r.cumulativeLost()));
        m = AmiTestServer.replaceField(m, "Report0HighestSequence", Long.toString(r.highestSequence() & 0xFFFF));
        m = AmiTestServer.replaceField(m, "Report0SequenceNumberCycles", Long.toString(r.highestSequence() >> 16));
        return AmiTestServer.replaceField(m, "Report0IAJitter", Long.toString(r.jitterRtp()));
    }

    private static String nth(String firstLine, int index) {
        return TEMPLATES.computeIfAbsent(firstLine + "#" + index, k -> Transcripts.messages(CALLS).stream()
                .filter(m -> m.startsWith(firstLine + "\r\n")).skip(index).findFirst()
                .orElseThrow(() -> new IllegalStateException("no message " + index + " '" + firstLine + "'")));
    }
}

package io.vbo.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rungs of the voice-rate ladder, built from the same {@link CodecProfile}s policy builds its tiers from, so the
 * probe tests exactly the streams policy's tiers need: one rung per distinct RTP stream (payload size and
 * packetization), ascending by what it puts on the wire.
 */
public final class VoiceLadder {
    /** RTP header bytes in each datagram (the UDP payload iperf3 sends is codec payload + RTP header). */
    public static final int RTP_BYTES = 12;
    /** IPv4 (20) + UDP (8) header bytes: iperf3's {@code -l} counts neither. */
    public static final int IP_UDP_BYTES = 28;

    private VoiceLadder() {
    }

    /**
     * One rung.
     *
     * @param codecs          the codecs sending this stream, in the profiles' order
     * @param packetBytes     UDP payload per datagram (codec payload + RTP header)
     * @param packetizationMs audio per packet
     */
    public record Rung(List<String> codecs, int packetBytes, int packetizationMs) {
        public Rung {
            codecs = List.copyOf(codecs);
        }

        /** iperf3's {@code -b} for {@code calls} calls: UDP payload bits per second. */
        public long udpBitsPerSecond(int calls) {
            return Math.round(8.0 * packetBytes * 1000.0 / packetizationMs) * calls;
        }

        /** What {@code calls} calls put on the wire with {@code layer2Bytes} per packet: as {@link CodecProfile#wireBps}. */
        public long wireBps(int layer2Bytes, int calls) {
            return Math.round(8.0 * (packetBytes + IP_UDP_BYTES + layer2Bytes) * 1000.0 / packetizationMs) * calls;
        }
    }

    /**
     * The rungs for {@code profiles}, ascending by wire rate with {@code layer2Bytes} per packet (the order decides
     * which step a thin link stops at, so it must count what the link counts); equal rates keep the profiles' order.
     */
    public static List<Rung> rungs(Map<String, CodecProfile> profiles, int layer2Bytes) {
        Map<List<Integer>, List<String>> streams = new LinkedHashMap<>();
        profiles.values().stream().sorted(Comparator.comparing(CodecProfile::name)).forEach(p -> streams
                .computeIfAbsent(List.of(p.payloadBytes() + RTP_BYTES, p.packetizationMs()), k -> new ArrayList<>())
                .add(p.name()));
        List<Rung> rungs = new ArrayList<>();
        streams.forEach((k, codecs) -> rungs.add(new Rung(codecs, k.get(0), k.get(1))));
        rungs.sort(Comparator.comparingLong((Rung r) -> r.wireBps(layer2Bytes, 1)));
        return List.copyOf(rungs);
    }
}

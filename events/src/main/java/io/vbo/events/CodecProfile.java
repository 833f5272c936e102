package io.vbo.events;

/**
 * What one codec costs on the wire and how the E-model rates it.
 *
 * @param name            Asterisk codec name
 * @param payloadBps      codec bit rate at {@code packetizationMs}
 * @param packetizationMs audio per RTP packet
 * @param lookaheadMs     algorithmic look-ahead added to the packetization delay
 * @param ie              E-model equipment impairment factor, {@code null} when no ITU-T value exists
 * @param bpl             E-model packet-loss robustness factor, {@code null} when no ITU-T value exists
 */
public record CodecProfile(String name, int payloadBps, int packetizationMs, double lookaheadMs, Double ie, Double bpl) {
    /** IPv4 (20) + UDP (8) + RTP (12) header bytes per packet. */
    public static final int IP_UDP_RTP_BYTES = 40;

    public CodecProfile {
        if (payloadBps <= 0 || packetizationMs <= 0) {
            throw new IllegalArgumentException(name + ": payload rate and packetization must be positive");
        }
    }

    /** Payload bytes in one packet (a partial byte still takes a whole one). */
    public int payloadBytes() {
        return (int) Math.ceil(payloadBps * (double) packetizationMs / 8000.0);
    }

    /** Bits per second one call direction puts on the wire: (payload + 40 + layer-2 bytes) per packet. */
    public long wireBps(int layer2Bytes) {
        long bitsPerPacket = 8L * (payloadBytes() + IP_UDP_RTP_BYTES + layer2Bytes);
        return Math.round(bitsPerPacket * 1000.0 / packetizationMs);
    }

    /** Whether the E-model can rate this codec (both factors known). */
    public boolean rated() {
        return ie != null && bpl != null;
    }

    /** Delay the codec adds on the sending side: one packet of audio plus look-ahead. */
    public double codecDelayMs() {
        return packetizationMs + lookaheadMs;
    }
}

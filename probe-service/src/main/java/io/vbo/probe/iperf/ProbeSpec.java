package io.vbo.probe.iperf;

import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Protocol;

/**
 * One iperf3 run against one phone.
 *
 * @param address           IP literal of the phone (anything else is refused before a process starts)
 * @param port              port of the phone's {@code iperf3 -s}
 * @param direction         {@link Direction#DOWNLINK} sends PBX → phone; {@link Direction#UPLINK} adds {@code -R}
 * @param protocol          TCP (capacity), UDP (voice-like stream) or LADDER (UDP steps, see {@link LadderProbe})
 * @param seconds           iperf3's {@code -t} (a ladder: per step)
 * @param udpBitsPerSecond  UDP only: target rate ({@code -b}), 0 for TCP
 * @param udpPacketBytes    UDP only: datagram payload ({@code -l}), 0 for TCP
 * @param calls             LADDER only: K, the calls each step sends for (a site's own K, else the policy's), else 0
 */
public record ProbeSpec(String address, int port, Direction direction, Protocol protocol, int seconds,
        long udpBitsPerSecond, int udpPacketBytes, int calls) {

    public static ProbeSpec tcp(String address, int port, Direction direction, int seconds) {
        return new ProbeSpec(address, port, direction, Protocol.TCP, seconds, 0, 0, 0);
    }

    /** A voice-rate ladder in one direction for {@code calls} calls; {@code stepSeconds} per step. */
    public static ProbeSpec ladder(String address, int port, Direction direction, int stepSeconds, int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("a ladder sends for at least one call, got " + calls);
        }
        return new ProbeSpec(address, port, direction, Protocol.LADDER, stepSeconds, 0, 0, calls);
    }

    /** A call's packet stream: {@code packetBytes} of RTP payload+header, {@code packetsPerSecond} of them. */
    public static ProbeSpec voice(String address, int port, Direction direction, int seconds, int packetBytes,
            int packetsPerSecond) {
        return new ProbeSpec(address, port, direction, Protocol.UDP, seconds, (long) packetBytes * 8 * packetsPerSecond,
                packetBytes, 0);
    }
}

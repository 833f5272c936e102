package io.vbo.probe.iperf;

import io.vbo.events.ProbeResult.Ladder;
import io.vbo.events.ProbeResult.Outcome;

/**
 * What one iperf3 run found, from the receiver's side.
 *
 * @param outcome        typed outcome
 * @param bitsPerSecond  {@code end.sum_received.bits_per_second}, only when OK
 * @param bytesReceived  bytes that crossed the link ({@code end.sum_received.bytes}), only when OK
 * @param retransmits    TCP retransmits when iperf3 reports them
 * @param jitterMs       UDP jitter
 * @param lossPercent    UDP loss
 * @param error          iperf3's own message (or ours) when not OK
 * @param packets        UDP datagrams sent
 * @param delayGrowthMs  UDP: how much longer the receiver received than the sender sent (the queue the run built)
 * @param ladder         a ladder's steps, only for a ladder
 */
public record Measurement(Outcome outcome, Long bitsPerSecond, Long bytesReceived, Integer retransmits, Double jitterMs,
        Double lossPercent, String error, Long packets, Double delayGrowthMs, Ladder ladder) {

    public static Measurement failed(Outcome outcome, String error) {
        return new Measurement(outcome, null, null, null, null, null, error, null, null, null);
    }
}

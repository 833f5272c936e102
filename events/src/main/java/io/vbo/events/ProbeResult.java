package io.vbo.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One measurement attempt of one direction of one phone's link. Failures are results too.
 *
 * @param schema        contract version, {@link #SCHEMA}
 * @param probeId       unique per attempt: consumers use it to store a redelivered result only once
 * @param pbxId         which PBX
 * @param endpoint      PJSIP endpoint name
 * @param address       IP literal that was probed
 * @param direction     {@link Direction#DOWNLINK} (PBX → phone) or {@link Direction#UPLINK}
 * @param protocol      {@link Protocol#TCP} (capacity) or {@link Protocol#UDP} (voice-like stream)
 * @param bitsPerSecond receiver-side rate ({@code end.sum_received}); {@code null} unless outcome is OK
 * @param retransmits   TCP retransmits, {@code null} for UDP or failures
 * @param jitterMs      UDP jitter, {@code null} for TCP or failures
 * @param lossPercent   UDP loss in percent, {@code null} for TCP or failures
 * @param rttMicros     the contact's qualify RTT when the probe was scheduled, if known
 * @param durationMs    how long the attempt took, wall clock
 * @param outcome       typed outcome
 * @param error         iperf3's own message (or ours) when the outcome is not OK
 * @param startedAt     when the attempt started
 */
public record ProbeResult(
        int schema, UUID probeId, String pbxId, String endpoint, String address, Direction direction, Protocol protocol,
        Long bitsPerSecond, Integer retransmits, Double jitterMs, Double lossPercent, Long rttMicros, long durationMs,
        Outcome outcome, String error, Instant startedAt) {
    public static final int SCHEMA = 1;

    /** Which way the data flowed. */
    public enum Direction { DOWNLINK, UPLINK }

    /** TCP measures capacity; UDP sends what a call would send and measures loss and jitter. */
    public enum Protocol { TCP, UDP }

    /**
     * Why an attempt ended. Only {@link #OK} carries a rate. {@link #REFUSED_TARGET}: the address is not one probe
     * may send to (loopback, multicast, outside the PBX's allow-list …); nothing was sent.
     */
    public enum Outcome { OK, UNREACHABLE, SERVER_BUSY, TIMEOUT, DEFERRED_ACTIVE_CALL, ERROR, REFUSED_TARGET }

    public ProbeResult {
        Validate.schema(schema, SCHEMA);
        Validate.required("probeId", probeId);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Validate.ipLiteral("address", address);
        Validate.required("direction", direction);
        Validate.required("protocol", protocol);
        Validate.required("outcome", outcome);
        if (outcome == Outcome.OK) {
            Validate.required("bitsPerSecond", bitsPerSecond);
        }
        if (bitsPerSecond != null) {
            Validate.nonNegative("bitsPerSecond", bitsPerSecond);
        }
        if (retransmits != null) {
            Validate.nonNegative("retransmits", retransmits);
        }
        if (jitterMs != null) {
            Validate.range("jitterMs", jitterMs, 0, 60_000);
        }
        if (lossPercent != null) {
            Validate.range("lossPercent", lossPercent, 0, 100);
        }
        if (rttMicros != null) {
            Validate.nonNegative("rttMicros", rttMicros);
        }
        Validate.nonNegative("durationMs", durationMs);
        Validate.required("startedAt", startedAt);
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }
}

package io.vbo.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;
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
 * @param protocol      {@link Protocol#TCP} (capacity), {@link Protocol#UDP} (voice-like stream) or
 *                      {@link Protocol#LADDER} (voice-rate steps)
 * @param bitsPerSecond receiver-side rate ({@code end.sum_received}); for a ladder the highest passing step's rate
 *                      ({@link Ladder#passedBps}); {@code null} unless outcome is OK
 * @param retransmits   TCP retransmits, {@code null} for UDP or failures
 * @param jitterMs      UDP jitter, {@code null} for TCP or failures
 * @param lossPercent   UDP loss in percent, {@code null} for TCP or failures
 * @param rttMicros     the contact's qualify RTT when the probe was scheduled, if known
 * @param durationMs    how long the attempt took, wall clock
 * @param outcome       typed outcome
 * @param error         iperf3's own message (or ours) when the outcome is not OK
 * @param startedAt     when the attempt started
 * @param ladder        the ladder's steps, only for {@link Protocol#LADDER}; optional on read (older results have none)
 * @param site          the site whose shared uplink this measured (docs/sites.md): the result stands for every
 *                      endpoint of the site, {@code endpoint} is the one probed through (or named for the site's probe
 *                      host at {@code address}); {@code null}: the endpoint's own link (and from producers older
 *                      than sites)
 */
public record ProbeResult(
        int schema, UUID probeId, String pbxId, String endpoint, String address, Direction direction, Protocol protocol,
        Long bitsPerSecond, Integer retransmits, Double jitterMs, Double lossPercent, Long rttMicros, long durationMs,
        Outcome outcome, String error, Instant startedAt, Ladder ladder, String site) {
    public static final int SCHEMA = 1;

    /** Which way the data flowed. */
    public enum Direction { DOWNLINK, UPLINK }

    /**
     * TCP measures capacity; UDP sends what a call would send and measures loss and jitter; LADDER sends what K calls
     * of each tier's codec would send, ascending, and stops at the first step the link does not carry.
     */
    public enum Protocol {
        TCP, UDP, LADDER;

        /** Whether an OK result of this kind is a capacity estimate (TCP's rate, a ladder's highest passing step). */
        public boolean measuresCapacity() {
            return this != UDP;
        }

        /** Whether a result of this kind carries the loss and jitter a call would see. */
        public boolean measuresVoice() {
            return this != TCP;
        }
    }

    /**
     * A voice-rate ladder in one direction.
     *
     * @param calls     calls each step stood for (K, {@code vbo.policy.expected-concurrent-calls})
     * @param steps     the runs in order: steps ascending (a failed step run once more), then the confirming longer runs
     *                  from the highest passing step down until one holds
     * @param passedBps IP-level rate (datagrams + 28 bytes of IP/UDP header) of the highest {@link #passed} step, 0
     *                  when none
     */
    public record Ladder(int calls, List<Step> steps, long passedBps) {
        public Ladder {
            Validate.range("ladder.calls", calls, 1, 1000);
            steps = List.copyOf(Validate.size("ladder.steps", Validate.required("ladder.steps", steps),
                    Validate.MAX_ITEMS));
            Validate.nonNegative("ladder.passedBps", passedBps);
        }

        /**
         * The steps that passed, each of a stream whose last run passed: a failed confirmation voids its stream's
         * short step, a passed re-run of a failed step counts.
         */
        public List<Step> passed() {
            return steps.stream().filter(step -> step.passed() && steps.stream()
                    .filter(other -> other.codecs().equals(step.codecs())).reduce((a, b) -> b).orElseThrow().passed())
                    .toList();
        }
    }

    /**
     * One step: {@code calls} calls of these codecs, as RTP-sized UDP datagrams, for a short burst.
     *
     * @param codecs          the codecs whose stream this is (same packet size and packetization)
     * @param packetBytes     UDP payload per datagram: codec payload + 12-byte RTP header
     * @param packetizationMs audio per packet; the step sends {@code calls × 1000 / packetizationMs} packets/s
     * @param seconds         how long the step sent
     * @param bitsPerSecond   IP-level rate sent (datagrams + 28 bytes header)
     * @param packets         datagrams sent
     * @param lossPercent     receiver's loss (sequence gaps or missing bytes, the larger)
     * @param jitterMs        receiver's RFC 3550 jitter
     * @param delayGrowthMs   how much longer the receiver received than the sender sent: the queue the step built (a
     *                        step the probe's echoes stopped because its link queued: their rise, with loss and
     *                        jitter 0, which the receiver never reported)
     * @param passed          whether loss, jitter and delay growth all stayed within their limits
     */
    public record Step(List<String> codecs, int packetBytes, int packetizationMs, int seconds, long bitsPerSecond,
            long packets,
            double lossPercent, double jitterMs, double delayGrowthMs, boolean passed) {
        public Step {
            codecs = Validate.codecs("ladder.steps.codecs", codecs);
            Validate.range("ladder.steps.packetBytes", packetBytes, 16, 1472);
            Validate.range("ladder.steps.packetizationMs", packetizationMs, 1, 1000);
            Validate.range("ladder.steps.seconds", seconds, 1, 60);
            Validate.nonNegative("ladder.steps.bitsPerSecond", bitsPerSecond);
            Validate.nonNegative("ladder.steps.packets", packets);
            Validate.range("ladder.steps.lossPercent", lossPercent, 0, 100);
            Validate.range("ladder.steps.jitterMs", jitterMs, 0, 60_000);
            Validate.range("ladder.steps.delayGrowthMs", delayGrowthMs, 0, 600_000);
        }
    }

    /**
     * Why an attempt ended. Only {@link #OK} carries a rate. {@link #REFUSED_TARGET}: the address is not one probe
     * may send to (loopback, multicast, outside the PBX's allow-list …); nothing was sent.
     */
    public enum Outcome { OK, UNREACHABLE, SERVER_BUSY, TIMEOUT, DEFERRED_ACTIVE_CALL, ERROR, REFUSED_TARGET }

    /** A result of one endpoint's own link (no site) that is no ladder (TCP or UDP). */
    public ProbeResult(int schema, UUID probeId, String pbxId, String endpoint, String address, Direction direction,
            Protocol protocol, Long bitsPerSecond, Integer retransmits, Double jitterMs, Double lossPercent,
            Long rttMicros, long durationMs, Outcome outcome, String error, Instant startedAt) {
        this(schema, probeId, pbxId, endpoint, address, direction, protocol, bitsPerSecond, retransmits, jitterMs,
                lossPercent, rttMicros, durationMs, outcome, error, startedAt, null, null);
    }

    @JsonCreator
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
        Validate.text("error", error, Validate.MAX_TEXT);
        Validate.instant("startedAt", startedAt);
        if (ladder != null && protocol != Protocol.LADDER) {
            throw new InvalidEventException("ladder", "only a LADDER result carries steps, this one is " + protocol);
        }
        if (protocol == Protocol.LADDER && outcome == Outcome.OK) {
            Validate.required("ladder", ladder);
        }
        if (site != null) {
            Validate.site("site", site);
        }
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }
}

package io.vbo.policy.model;

import io.vbo.events.CodecDecision;
import java.time.Instant;
import java.util.List;

/** What the policy knows about one endpoint between results; mutable, owned by one thread at a time. */
public final class EndpointState {
    public final String pbxId;
    public final String endpoint;
    public EndpointStatus status = EndpointStatus.PENDING;
    public String tier;
    public List<String> codecs;
    public int streak;
    public String streakTier;
    public int consecutiveFailures;
    public Long estimateBps;
    public Long downlinkBps;
    public Long uplinkBps;
    public Double lossPercent;
    public Double jitterMs;
    public Long rttMicros;
    public Double mos;
    public final MedianWindow downlink;
    public final MedianWindow uplink;
    /** What {@link #downlink} holds ({@code null}: nothing yet, or TCP values saved before kinds were kept). */
    public CapacityKind downlinkKind;
    /** What {@link #uplink} holds, likewise. */
    public CapacityKind uplinkKind;
    public final MedianWindow loss;
    public final MedianWindow jitter;
    public Instant lastResultAt;
    public String lastOutcome;
    public Instant lastSuccessAt;
    /** An administrator's pin, {@code null} when the policy decides. */
    public List<String> pinCodecs;
    /** The endpoint's ceiling, {@code null} while unknown; kept in {@code endpoint_ceiling}, not saved with the state. */
    public List<String> ceiling;
    /** Who set the ceiling. */
    public String ceilingSource;
    /** Whether no codec of the ceiling fits (the leanest was given) or none is transcodable (nothing was given). */
    public boolean noCodecFits;
    /** The transcodable set (∪ pass-through) the last evaluation used. */
    public List<String> transcodable;
    /** The ceiling's codecs the last evaluation left out, and why. */
    public List<CodecDecision.Exclusion> excluded = List.of();
    /** Why the policy has nothing to publish for this endpoint right now, {@code null} when it has. */
    public String note;
    /** Whether the endpoint runs no iperf3 server (its probes are refused while the contact answers): decided from calls. */
    public boolean passive;
    /** Consecutive bad calls on {@link #callTier}. */
    public int badCalls;
    /** Consecutive good calls on {@link #callTier}. */
    public int goodCalls;
    /** The tier the call counters refer to; they restart when the tier changes. */
    public String callTier;
    /** The best tier calls allow (set by a call downgrade, raised by good calls), {@code null} when calls allow any. */
    public String callCap;
    /** The endpoint's site and its shared uplink, set before each decision; {@code null} for a site of its own. */
    public SiteShare site;
    /** Whether the table has a row for this endpoint (then saving is an update, else an insert). */
    public boolean stored;

    public EndpointState(String pbxId, String endpoint, int window, List<? extends Number> downlink,
            List<? extends Number> uplink, List<? extends Number> loss, List<? extends Number> jitter) {
        this.pbxId = pbxId;
        this.endpoint = endpoint;
        this.downlink = new MedianWindow(window, downlink);
        this.uplink = new MedianWindow(window, uplink);
        this.loss = new MedianWindow(window, loss);
        this.jitter = new MedianWindow(window, jitter);
    }

    public static EndpointState fresh(String pbxId, String endpoint, int window) {
        return new EndpointState(pbxId, endpoint, window, null, null, null, null);
    }

    public String key() {
        return pbxId + "/" + endpoint;
    }

    public boolean pinned() {
        return pinCodecs != null;
    }
}

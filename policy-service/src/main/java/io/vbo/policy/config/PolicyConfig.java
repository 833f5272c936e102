package io.vbo.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the policy-service can be told; every default is in code (docs/decisions.md says why). */
@ConfigMapping(prefix = "vbo.policy")
public interface PolicyConfig {

    /** Decision preset: {@code overhead-aware} (per-codec wire bandwidth) or {@code seed-compatible} (the original's rule). */
    @WithDefault("overhead-aware")
    String preset();

    /** Share of the estimated bandwidth voice may use ({@code overhead-aware}). */
    @WithDefault("0.8")
    double utilisation();

    /** Calls the link must carry at once ({@code overhead-aware}). */
    @WithName("expected-concurrent-calls")
    @WithDefault("1")
    int expectedConcurrentCalls();

    /** Layer-2 bytes per packet on top of IP/UDP/RTP (18 = Ethernet II header + FCS). */
    @WithName("layer2-bytes")
    @WithDefault("18")
    int layer2Bytes();

    /**
     * {@code seed-compatible} only: its three tiers, best first, each a name and an ordered codec list
     * ({@code vbo.policy.tiers[0].name=high}, {@code vbo.policy.tiers[0].codecs=ulaw,alaw,...}). Absent: the
     * original's. {@code overhead-aware} builds each endpoint's tiers from its ceiling and refuses this key.
     */
    Optional<List<TierConfig>> tiers();

    /**
     * {@code overhead-aware}: codecs best first, the order of a decision when loss, jitter or RTT are unknown (and of
     * the codecs the E-model cannot rate when they are known). Codecs it does not name follow in the ceiling's order.
     */
    @WithName("quality-order")
    @WithDefault("g722,ulaw,alaw,opus,g726,ilbc,gsm,g729")
    List<String> qualityOrder();

    /**
     * Transcodable set assumed for a PBX that has not reported its capabilities yet: the translators of a stock
     * Asterisk 22 (the captured {@code core show translation}), which has neither {@code codec_opus} nor
     * {@code codec_g729}.
     */
    @WithName("assumed-transcodable")
    @WithDefault("adpcm,alaw,g722,g726,g726aal2,gsm,ilbc,lpc10,slin,slin16,speex,speex16,speex32,ulaw")
    List<String> assumedTranscodable();

    /**
     * Per PBX id, codecs the administrator lets through without transcoding (every party of the PBX speaks them),
     * counted as transcodable: {@code vbo.policy.pass-through.pbx1=opus,g729}.
     */
    @WithName("pass-through")
    Map<String, List<String>> passThrough();

    /** Per-codec overrides of the built-in table, by Asterisk codec name. */
    Map<String, CodecOverride> codecs();

    /** Smoothing of measurements into an estimate. */
    Estimator estimator();

    /** Tier hysteresis. */
    Hysteresis hysteresis();

    /** E-model inputs that are not measured. */
    EModel emodel();

    /** Measurement retention (also of the calls' samples and summaries). */
    Retention retention();

    /** Real calls (vbo.call-quality) as evidence for an endpoint's tier. */
    Calls calls();

    /** Decision publishing. */
    Publish publish();

    /** Storing probe results. */
    Store store();

    /** How a site's concurrent calls are learned from its calls (docs/sites.md). */
    @WithName("site-calls")
    SiteCalls siteCalls();

    /** Learning a site's concurrent calls K. */
    interface SiteCalls {
        /** The calls looked at: those that ended within this window before now. */
        @WithDefault("P7D")
        Duration window();

        /** K is this percentile of the site's concurrent calls over the busiest hour of the window. */
        @WithDefault("95")
        double percentile();

        /** How often every site's K is learned again (a changed K decides the site again). */
        @WithName("learn-every")
        @WithDefault("15m")
        Duration learnEvery();
    }

    /** Storage settings. */
    interface Store {
        /**
         * How long a batch the database fails to take for a reason other than its data (unreachable, overloaded, a
         * table missing) is retried before readiness reports DOWN. The retries go on after that; nothing is
         * acknowledged or dead-lettered meanwhile.
         */
        @WithName("retry-for")
        @WithDefault("30s")
        Duration retryFor();

        /** Longest pause between two attempts (the first comes after 250 ms, each pause doubles). */
        @WithName("max-delay")
        @WithDefault("10s")
        Duration maxDelay();

        /** How often the consumer lag of {@code vbo.probe-results} ({@code vbo.policy.consumer.lag}) is measured. */
        @WithName("lag-every")
        @WithDefault("10s")
        Duration lagEvery();
    }

    /** One tier of the configured policy. */
    interface TierConfig {
        /** Tier name, published as {@code CodecDecision.tier}. */
        String name();

        /** Ordered codec list for {@code allow=}. */
        List<String> codecs();
    }

    /** Overrides of one codec's built-in profile. */
    interface CodecOverride {
        /** Codec payload bit rate at the packetization below. */
        Optional<Integer> payloadBps();

        /** Milliseconds of audio per RTP packet. */
        Optional<Integer> packetizationMs();

        /** E-model equipment impairment factor Ie. */
        Optional<Double> ie();

        /** E-model packet-loss robustness factor Bpl. */
        Optional<Double> bpl();
    }

    /** Estimator settings. */
    interface Estimator {
        /** Successful results per direction the median is taken over (3: one outlier never moves it). */
        @WithDefault("3")
        int window();
    }

    /** Hysteresis settings. */
    interface Hysteresis {
        /** Consecutive estimates above a better tier's need (plus margin) before upgrading. */
        @WithName("upgrade-after")
        @WithDefault("2")
        int upgradeAfter();

        /** Extra headroom an upgrade needs, as a fraction of the tier's need. */
        @WithDefault("0.10")
        double margin();

        /** Consecutive failed probes after which an endpoint is shown as unmeasured (its tier is kept). */
        @WithName("unmeasured-after")
        @WithDefault("3")
        int unmeasuredAfter();
    }

    /** E-model settings. */
    interface EModel {
        /** Jitter buffer delay as a multiple of the measured jitter. */
        @WithName("jitter-buffer-factor")
        @WithDefault("2.0")
        double jitterBufferFactor();

        /** Whether G.711 runs with packet-loss concealment (Asterisk genericplc), which selects its Bpl. */
        @WithName("g711-plc")
        @WithDefault("true")
        boolean g711Plc();
    }

    /**
     * Call-evidence settings. A finished call is bad when its loss or mean jitter is above an explicit limit or, by
     * default, when the E-model with the call's codec, loss, jitter and round trip gives a MOS below the target.
     */
    interface Calls {
        /** A call whose E-model MOS is below this is bad (3.6: G.107's lower edge of "some users dissatisfied"). */
        @WithName("mos-target")
        @WithDefault("3.6")
        double mosTarget();

        /** A call losing more than this many percent is bad whatever its MOS; unset: the MOS target alone decides. */
        @WithName("max-loss-percent")
        Optional<Double> maxLossPercent();

        /** A call whose mean jitter is above this many ms is bad whatever its MOS; unset: the MOS target alone decides. */
        @WithName("max-jitter-ms")
        Optional<Double> maxJitterMs();

        /** RTCP reports a call needs before it counts (Asterisk reports every ≈ 5 s each way). */
        @WithName("min-reports")
        @WithDefault("2")
        int minReports();

        /** Consecutive bad calls on one tier that take the endpoint one tier down (like two low probe results). */
        @WithName("downgrade-after")
        @WithDefault("2")
        int downgradeAfter();

        /**
         * Consecutive probes refused on the iperf3 port while the contact answered qualify, after which an endpoint
         * is PASSIVE (decided from calls); one is enough, a successful probe ends it.
         */
        @WithName("passive-after")
        @WithDefault("1")
        int passiveAfter();
    }

    /** Retention settings. */
    interface Retention {
        /** Measurements older than this many days are purged. */
        @WithDefault("90")
        int days();

        /** Rows deleted per statement, so a purge never holds one huge transaction. */
        @WithName("chunk-size")
        @WithDefault("10000")
        int chunkSize();

        /** How often the purge runs. */
        @WithDefault("1h")
        Duration every();
    }

    /** Publishing settings. */
    interface Publish {
        /** How long to wait for the broker to acknowledge a decision before leaving it to the resend sweep. */
        @WithDefault("30s")
        Duration timeout();

        /** How often decisions the broker never acknowledged are resent. */
        @WithName("resend-every")
        @WithDefault("30s")
        Duration resendEvery();

        /** Partitions of {@code vbo.codec-decisions} when this service creates it. */
        @WithDefault("3")
        int partitions();

        /**
         * Replication factor of {@code vbo.codec-decisions} when this service creates it; {@code -1} takes the
         * cluster's {@code default.replication.factor} (3 on a production cluster, 1 on a single local broker).
         */
        @WithName("replication-factor")
        @WithDefault("-1")
        short replicationFactor();
    }
}

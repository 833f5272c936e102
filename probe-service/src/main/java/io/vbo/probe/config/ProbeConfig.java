package io.vbo.probe.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vbo.events.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything the probe-service can be told; defaults are the production choice (see docs/decisions.md). */
@ConfigMapping(prefix = "vbo.probe")
public interface ProbeConfig {

    /** PBX ids this instance probes for (it must run where that PBX's traffic starts); empty = every PBX. */
    @WithName("pbx-ids")
    Optional<Set<String>> pbxIds();

    /** Time between two probes of the same endpoint. */
    @WithDefault("15M")
    Duration interval();

    /** Each next probe is due after {@code interval × (1 ± spread)}, random, so a fleet does not probe in waves. */
    @WithDefault("0.2")
    double intervalSpread();

    /**
     * Which measurements one probe makes, in order: {@code ladder} (voice-rate steps: does the link carry K calls of
     * each tier's codec), {@code tcp} (capacity, fills the link) and/or {@code voice} (one UDP stream, loss/jitter).
     */
    @WithDefault("ladder")
    List<Profile> profiles();

    /** How often due endpoints are looked for (a finished probe also starts the next one at once). */
    @WithDefault("1S")
    Duration tick();

    /**
     * Most probes running at once on this instance (each is one iperf3 client process). A ladder takes ≈ 25 s on a
     * fast link: 50 phones in a 30 s cycle need all of them at once, as far as the budgets allow.
     */
    @WithDefault("64")
    int maxParallel();

    /** Most probes running at once per PBX, whatever its budget leaves room for. */
    @WithDefault("64")
    int maxParallelPerPbx();

    /**
     * Probe budget in bit/s of a PBX with neither {@code pbx."<id>".budget} nor {@code pbx."<id>".uplink}: running
     * probes' peak send rates add up to at most this (a probe whose peak is higher, TCP's included, runs alone).
     * 1 Mbit/s ≈ 14 voice or ladder probes at K = 1 at once.
     */
    @WithDefault("1000000")
    long budget();

    /**
     * Share of a declared uplink ({@code pbx."<id>".uplink}, {@code sites."<name>".uplink}) that is its probe budget
     * where no budget is set: 0.05 of a 100 Mbit/s uplink lets 72 voice-rate probes (K = 1) run at once.
     */
    @WithDefault("0.05")
    double budgetShare();

    /** Per-PBX settings, keyed by PBX id: {@code vbo.probe.pbx."pbx-paris".allowed-targets=10.20.0.0/16}. */
    Map<String, Pbx> pbx();

    /** Per-site settings, keyed by site name (the {@code site} of {@code EndpointObserved}). */
    Map<String, Site> sites();

    /** When an endpoint (or site) is probed before its interval is over. */
    Reprobe reprobe();

    Iperf3 iperf3();

    /**
     * The voice-rate ladder. K (calls per step) and the layer-2 bytes that order the steps are not set here: they
     * are the policy's own keys {@code vbo.policy.expected-concurrent-calls} and {@code vbo.policy.layer2-bytes},
     * read by both services (see docs/configuration.md), and every ladder result carries the K it ran with.
     */
    Ladder ladder();

    /** How the ladder's steps are run and judged (limits measured in docs/decisions.md). */
    interface Ladder {
        /** Seconds each step sends (1 s hides a small overload in a shaper's burst; 2 s shows it). */
        @WithDefault("2")
        int stepSeconds();

        /**
         * Seconds of the confirming run of the highest passing step (0: none). A shaper's burst hides a small
         * overload for seconds; 8 s showed every such case of the lab's links as a 10 s stream does (docs/decisions.md).
         */
        @WithDefault("8")
        int confirmSeconds();

        /**
         * How many more times a failing step runs before it counts as failed (a confirmation: once at most); it fails
         * only if every run failed (measured: on a loaded host single 2 s runs that fit their link lost 4–8.5 % or grew
         * 122–221 ms, twice in a row once, docs/decisions.md).
         */
        @WithDefault("2")
        int retries();

        /** Pause before such a re-run: a host's stall is over by then, a link that cannot carry the stream is not. */
        @WithDefault("3S")
        Duration retryPause();

        /**
         * Both directions at once: one {@code iperf3 --bidir} run per step while both climb, as a call sends both
         * ways at once, in about half the time; false: the downlink ladder, then the uplink one.
         */
        @WithDefault("true")
        boolean bothDirections();

        /**
         * Time between two checks of a target between its ladders (0: no checks): one run, both ways, of the lower of
         * the two directions' highest passing rungs. A link that no longer carries it gets its ladder at once (no
         * sooner than {@code reprobe.min-gap} after the last), so a degraded link is seen within this time instead
         * of {@code interval}. Nothing is published for a check.
         */
        @WithDefault("10S")
        Duration checkInterval();

        /**
         * Seconds a check sends. 1 s: a check only asks whether the link still carries what it did, and a link
         * that degraded far enough to change the codecs shows it within a second; a small drop that a shaper's
         * burst hides for a second is the periodic ladder's to find.
         */
        @WithDefault("1")
        int checkSeconds();

        /**
         * Time between two echoes to the phone while a step runs (0: no echoes, every step runs its full time). Two
         * echoes in a row that stay out {@code echo-limit-ms} longer than the ladder's lowest round trip stop the
         * step, which then failed: an overloading step ends at the first sign of its queue instead of filling it for
         * the whole step. The echoes count in the step's rate (iperf3 sends the rest).
         */
        @WithDefault("100MS")
        Duration echoInterval();

        /**
         * How much longer than the ladder's lowest round trip an echo may take while a step runs (at least one packet
         * interval of the step, which a stream that fits its link may add). The harm bound is 2 × idle +
         * 20 ms for a ping during a probe.
         */
        @WithDefault("20")
        double echoLimitMs();

        /** Pause between two steps of one direction (iperf3 -s takes a UDP test right after the last one). */
        @WithDefault("200MS")
        Duration stepPause();

        /** A step fails when the receiver lost more than this share of its datagrams. */
        @WithDefault("2.0")
        double maxLossPercent();

        /** A step fails when the receiver's RFC 3550 jitter exceeds this. */
        @WithDefault("30")
        double maxJitterMs();

        /**
         * A step fails when the receiver went on receiving this much longer than the sender sent: the queue the
         * step built (a link that queues instead of dropping shows an overload only this way).
         */
        @WithDefault("100")
        double maxDelayGrowthMs();
    }

    /** What is set for one PBX. */
    interface Pbx {
        /**
         * Networks (CIDR, comma-separated) this PBX's phones may be probed in; unset (the default) = any unicast
         * address. Loopback, unspecified, multicast, broadcast and link-local targets are refused either way.
         */
        Optional<List<Cidr>> allowedTargets();

        /**
         * Probe budget in bit/s of this PBX's uplink (every probe starts there). Unset = {@code budget-share} of
         * {@code uplink} where that is declared, else {@code vbo.probe.budget}.
         */
        Optional<Long> budget();

        /** Rate in bit/s of this PBX's uplink (its slower direction), as the admin knows it; unset = not declared. */
        Optional<Long> uplink();
    }

    /** What is set for one site (phones behind one uplink, measured once through one target). */
    interface Site {
        /**
         * Probe budget in bit/s of the site's uplink, counted besides the PBX's. Unset = {@code budget-share} of
         * {@code uplink} where that is declared, else only the PBX's budget counts.
         */
        Optional<Long> budget();

        /** Rate in bit/s of the site's uplink (its slower direction), as the admin knows it; unset = not declared. */
        Optional<Long> uplink();

        /**
         * IP literal of a host at the site running {@code iperf3 -s}, probed instead of one of the site's phones;
         * judged by the PBX's {@code allowed-targets} like any target. Unset = a phone of the site.
         */
        Optional<String> probeHost();
    }

    /** Event-driven re-probes (qualify RTT, call quality, address change); the interval stays as a backstop. */
    interface Reprobe {
        /** An event makes the endpoint or site due no sooner than this after its last probe ended. */
        @WithDefault("1M")
        Duration minGap();

        /** RTT baseline: exponentially weighted mean of qualify RTTs, this weight on each new sample. */
        @WithDefault("0.125")
        double rttWeight();

        /** A qualify RTT at least this many times the baseline … */
        @WithDefault("3")
        double rttFactor();

        /** … and at least this much above it is a rise worth a probe. */
        @WithDefault("20MS")
        Duration rttMinRise();

        /**
         * RTTs observed while a probe runs and this long after it are neither judged nor folded into the baseline:
         * the probe's own traffic queues on the link (a TCP probe's uplink drains for ≈ 16 s on 40 kbit/s).
         */
        @WithDefault("30S")
        Duration rttQuietAfterProbe();

        /** A call sample or summary with at least this loss (percent) makes its endpoint due. */
        @WithDefault("2")
        double callLossPercent();

        /** A call sample or summary with at least this jitter makes its endpoint due. */
        @WithDefault("30MS")
        Duration callJitter();
    }

    /** How iperf3 is run. */
    interface Iperf3 {
        /** The iperf3 binary (a name on PATH or an absolute path). */
        @WithDefault("iperf3")
        String binary();

        /** Port of the phones' {@code iperf3 -s}. */
        @WithDefault("5201")
        int port();

        /** iperf3's own {@code --connect-timeout}. */
        @WithDefault("3S")
        Duration connectTimeout();

        /**
         * Extra time after duration + connect timeout before the process is stopped and the attempt is a TIMEOUT.
         * Generous because a reverse (uplink) 3 s test on a 40 kbit/s link needs ≈ 16 s to drain iperf3's buffers.
         */
        @WithDefault("30S")
        Duration killAfter();

        /**
         * Pause between two attempts on the same phone: iperf3 -s refuses connections for a moment after each test
         * while it resets (measured: the uplink test started right after the downlink one got "Connection refused").
         */
        @WithDefault("1S")
        Duration pauseBetween();

        /** Seconds of the TCP capacity test, per direction (whole seconds, as iperf3's {@code -t}). */
        @WithDefault("3")
        int tcpSeconds();

        /** Seconds of the voice (UDP) test, per direction. */
        @WithDefault("3")
        int voiceSeconds();

        /** UDP payload per voice packet: 160 bytes of G.711 at 20 ms plus the 12-byte RTP header. */
        @WithDefault("172")
        int voicePacketBytes();

        /** Voice packets per second (50 = 20 ms packetisation). */
        @WithDefault("50")
        int voicePacketsPerSecond();
    }

    /** One kind of measurement. */
    enum Profile {
        LADDER, TCP, VOICE
    }
}

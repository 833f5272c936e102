package io.vbo.probe.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
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

    /** Which measurements one probe makes, in order: {@code tcp} (capacity) and/or {@code voice} (UDP, loss/jitter). */
    @WithDefault("tcp")
    List<Profile> profiles();

    /** How often due endpoints are looked for (a finished probe also starts the next one at once). */
    @WithDefault("1S")
    Duration tick();

    /** Most probes running at once on this instance. */
    @WithDefault("4")
    int maxParallel();

    /** Most probes running at once per PBX: two probes sharing one uplink would each see only part of it. */
    @WithDefault("1")
    int maxParallelPerPbx();

    /** Per-PBX settings, keyed by PBX id: {@code vbo.probe.pbx."pbx-paris".allowed-targets=10.20.0.0/16}. */
    Map<String, Pbx> pbx();

    Iperf3 iperf3();

    /** What is set for one PBX. */
    interface Pbx {
        /**
         * Networks (CIDR, comma-separated) this PBX's phones may be probed in; unset (the default) = any unicast
         * address. Loopback, unspecified, multicast, broadcast and link-local targets are refused either way.
         */
        Optional<List<Cidr>> allowedTargets();
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
        TCP, VOICE
    }
}

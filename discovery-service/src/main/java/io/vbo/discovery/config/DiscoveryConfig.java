package io.vbo.discovery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** discovery-service settings ({@code vbo.discovery.*}). */
@ConfigMapping(prefix = "vbo.discovery")
public interface DiscoveryConfig {
    /** How often every PBX's contacts and endpoints are listed (events are published at once in between). */
    @WithDefault("30s")
    Duration interval();

    /** The PBXs to watch; none is a valid configuration (the service then only reports that nothing is configured). */
    List<Pbx> pbx();

    /** CLI mode: longest run of one {@code asterisk -rx} command before it is killed. */
    @WithDefault("20s")
    Duration cliTimeout();

    /** AMI session tuning, shared by every PBX. */
    Ami ami();

    /** Call quality from RTCP: the E-model inputs RTCP does not measure. */
    Calls calls();

    /** How the compacted {@code vbo.pbx-capabilities} topic is created when it does not exist yet. */
    CapabilitiesTopic capabilitiesTopic();

    /** One PBX. */
    interface Pbx {
        /** Id used in Kafka keys and metrics ({@code [A-Za-z0-9][A-Za-z0-9_.-]*}). */
        String id();

        /** {@code ami} (default) or {@code cli} (runs {@code asterisk -rx} on this host, for a PBX without AMI). */
        @WithDefault("ami")
        Mode mode();

        /** AMI host. */
        @WithDefault("127.0.0.1")
        String host();

        /** AMI port. */
        @WithDefault("5038")
        int port();

        /** AMI user (manager.conf section). */
        @WithDefault("vbo")
        String username();

        /** Name of the environment variable holding the AMI secret. */
        Optional<String> secretEnv();

        /** File holding the AMI secret (e.g. a mounted Kubernetes secret); trailing newline ignored. */
        Optional<Path> secretFile();

        /**
         * The login's {@code Events:} value: {@code call} brings channel events (active calls at once),
         * {@code reporting} the RTCP reports (call quality), {@code system} ContactStatus, FullyBooted and Reload;
         * {@code off} relies on polling only.
         */
        @WithDefault("call,reporting,system")
        String events();

        /** CLI mode: the asterisk binary. */
        @WithDefault("asterisk")
        String asteriskBinary();
    }

    /** How the service talks to a PBX. */
    enum Mode {
        AMI, CLI
    }

    /** Creation of {@code vbo.pbx-capabilities} (one small record per PBX: one partition is plenty). */
    interface CapabilitiesTopic {
        /** Partitions of the topic when discovery creates it. */
        @WithDefault("1")
        int partitions();

        /** Replication factor of the topic when discovery creates it (3 on a production cluster). */
        @WithDefault("1")
        short replicationFactor();
    }

    /** E-model settings of the per-call MOS (keep them equal to policy-service's {@code vbo.policy.emodel.*}). */
    interface Calls {
        /** Jitter buffer delay as a multiple of the measured jitter. */
        @WithDefault("2.0")
        double jitterBufferFactor();

        /** Whether G.711 runs with packet-loss concealment, which selects its Bpl (25.1, else 4.3). */
        @WithDefault("true")
        boolean g711Plc();
    }

    /** AMI session tuning. */
    interface Ami {
        /** TCP connect timeout. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest wait for an action's complete answer (and for banner + login) before the session is dropped. */
        @WithDefault("15s")
        Duration actionTimeout();

        /** First reconnect delay after a failure; doubles per consecutive failure. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Cap of the reconnect delay. */
        @WithDefault("60s")
        Duration maxBackoff();

        /** Delay before retrying after Asterisk refused the login (wrong user or secret). */
        @WithDefault("5m")
        Duration authFailureRetry();
    }
}

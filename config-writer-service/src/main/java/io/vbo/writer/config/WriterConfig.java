package io.vbo.writer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the config writer ({@code vbo.writer.*}; each also as an environment variable, e.g. VBO_WRITER_PBX_ID). */
@ConfigMapping(prefix = "vbo.writer")
public interface WriterConfig {
    /** PBX id this writer serves; decisions for any other PBX are ignored. */
    @WithDefault("local")
    String pbxId();

    /** Asterisk's config folder: pjsip.conf and the files it includes; relative #include paths resolve here. */
    @WithDefault("/etc/asterisk")
    Path configDir();

    /** The main PJSIP file inside config-dir. */
    @WithDefault("pjsip.conf")
    String mainFile();

    /** Where backups go (default: {@code .vbo-backups} inside config-dir). */
    Optional<Path> backupDir();

    /** How many backups to keep per file. */
    @WithDefault("10")
    int backups();

    /** Decisions arriving within this window of the first one are applied together: one write per file, one reload. */
    @WithDefault("2s")
    Duration batchWindow();

    /**
     * How often the PBX's translator table is read again as a backstop (it is also read when Asterisk becomes
     * reachable and after every reload this writer makes).
     */
    @WithDefault("5m")
    Duration capabilitiesEvery();

    /**
     * How often every managed endpoint is checked against its latest decision, in the files and in Asterisk, and any
     * drift re-applied (a backstop: it is also checked at every AMI (re)connect, {@code FullyBooted} and reload this
     * writer did not make).
     */
    @WithDefault("5m")
    Duration reconcileEvery();

    /** Create the base files (init) at start-up when they are absent. */
    @WithDefault("false")
    boolean initOnStart();

    /** At start-up, read the compacted decisions topic from the beginning and make the files match it. */
    @WithDefault("true")
    boolean convergeOnStart();

    /** Kafka topic holding the decisions (compacted). */
    @WithDefault("vbo.codec-decisions")
    String decisionsTopic();

    /**
     * {@code outgoing_call_offer_pref} written on every endpoint the writer manages: {@code local} offers the
     * endpoint's codecs that the caller also has, in the decision's order (all of them when the caller has none).
     */
    @WithDefault("local")
    String outgoingCallOfferPref();

    /** {@code incoming_call_offer_pref} written on every managed endpoint ({@code local}: Asterisk's default, pinned). */
    @WithDefault("local")
    String incomingCallOfferPref();

    /** Call admission per site: the writer's own dialplan file (docs/sites.md). */
    Admission admission();

    /** How Asterisk is reloaded and asked what it loaded. */
    Reload reload();

    /** AMI connection (reload mode {@code ami}). */
    Ami ami();

    /** Asterisk CLI (reload mode {@code cli}). */
    Cli cli();

    interface Admission {
        /**
         * The writer's own dialplan file inside config-dir: each site's call limit and the {@code [vbo-admission]}
         * subroutine; rewritten whole, never edited by hand.
         */
        @WithDefault("extensions_vbo.conf")
        String file();

        /**
         * The administrator's main dialplan file inside config-dir; the writer adds, once, a three-line marker block
         * {@code #include}-ing {@link #file()} before its first section and keeps every other byte.
         */
        @WithDefault("extensions.conf")
        String extensionsFile();

        /**
         * Sound file (no extension, e.g. {@code all-circuits-busy-now}) played before Congestion to a call refused
         * for its site's limit; unset = Congestion only.
         */
        Optional<String> announcement();

        /** Kafka topic holding the site limits (compacted, keyed pbxId/site). */
        @WithDefault("vbo.site-limits")
        String topic();
    }

    interface Reload {
        /** {@code ami} (default): AMI Command {@code module reload res_pjsip.so}; {@code cli}: {@code asterisk -rx}; {@code none}: write only. */
        @WithDefault("ami")
        Mode mode();

        /** Longest wait for one reload or one verification. */
        @WithDefault("10s")
        Duration timeout();

        /** Reload modes. */
        enum Mode { AMI, CLI, NONE }
    }

    interface Ami {
        /** AMI host; unset = no Asterisk configured (files are written, nothing is reloaded; readiness stays UP). */
        Optional<String> host();

        /** AMI port. */
        @WithDefault("5038")
        int port();

        /**
         * AMI user (manager.conf section) with the {@code system,config,command} rights, and {@code reporting} (or
         * {@code call}) in {@code write=} for the {@code Getvar} that reads the admission limits back.
         */
        @WithDefault("vbo")
        String username();

        /** AMI secret (prefer VBO_WRITER_AMI_SECRET or secret-file); never logged. */
        Optional<String> secret();

        /** File holding the AMI secret (e.g. a mounted Kubernetes secret); used when secret is unset. */
        Optional<Path> secretFile();

        /** Longest wait before the AMI event session reconnects (the wait starts at 1 s and doubles). */
        @WithDefault("30s")
        Duration reconnectMax();

        /** Wait before logging in again after a refused login (retrying a wrong secret quickly only fills Asterisk's log). */
        @WithDefault("1m")
        Duration refusedLoginRetry();
    }

    interface Cli {
        /** The asterisk binary; run as {@code <command> -rx "<cli command>"}, an argument list, never a shell. */
        @WithDefault("asterisk")
        String command();
    }
}

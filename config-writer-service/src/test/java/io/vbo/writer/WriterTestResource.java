package io.vbo.writer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vbo.lab.FixtureDirs;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.EndpointSettings;
import io.vbo.writer.editor.PjsipConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import io.vbo.lab.Fixtures;
import io.vbo.writer.editor.ConfigCopies;

/**
 * The writer's surroundings for {@code @QuarkusTest}: a copy of the real lab config (config-used, with an
 * extensions.conf that init creates) and the AMI test server acting as an Asterisk that really loads those files:
 * each {@code module reload res_pjsip.so} reads them from disk, and {@code PJSIPShowEndpoint} and
 * {@code pjsip show endpoint} report what was loaded (codecs and offer preferences), and each {@code dialplan reload}
 * loads extensions.conf and what it includes, which {@code dialplan show} and {@code Getvar} report. Tests get the server and the folder through {@link Ami} and {@link ConfigDir} fields.
 */
public class WriterTestResource implements QuarkusTestResourceLifecycleManager {
    /** Injects the {@link SimulatedAsterisk}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Ami {
    }

    /** Injects the config folder ({@link Path}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface ConfigDir {
    }

    private Path work;
    private SimulatedAsterisk asterisk;

    @Override
    public Map<String, String> start() {
        work = FixtureDirs.create("config-writer", dir -> { });
        Path dir = work.resolve("asterisk");
        ConfigCopies.copy(Fixtures.configUsed(), dir);
        try {
            Files.delete(dir.resolve("extensions.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        asterisk = new SimulatedAsterisk(AmiTestServer.start(), dir);
        return Map.ofEntries(
                Map.entry("vbo.writer.pbx-id", "lab"),
                Map.entry("vbo.writer.config-dir", dir.toString()),
                Map.entry("vbo.writer.backup-dir", work.resolve("backups").toString()),
                Map.entry("vbo.writer.init-on-start", "true"),
                Map.entry("vbo.writer.batch-window", "2s"),
                Map.entry("vbo.writer.ami.host", "127.0.0.1"),
                Map.entry("vbo.writer.ami.port", Integer.toString(asterisk.server().port())),
                Map.entry("vbo.writer.ami.secret", "vbo-secret"),
                Map.entry("vbo.writer.reload.timeout", "3s"),
                // An event session whose login was refused (a test refusing logins) is back within a second.
                Map.entry("vbo.writer.ami.refused-login-retry", "1s"),
                Map.entry("vbo.writer.ami.reconnect-max", "2s"),
                // A client setting given to the channels, which the desired-state reader must carry too.
                Map.entry("kafka.security.protocol", "PLAINTEXT"));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(asterisk, new TestInjector.AnnotatedAndMatchesType(Ami.class, SimulatedAsterisk.class));
        injector.injectIntoFields(asterisk.dir(), new TestInjector.AnnotatedAndMatchesType(ConfigDir.class, Path.class));
    }

    @Override
    public void stop() {
        if (asterisk != null) {
            asterisk.server().close();
        }
        if (work != null) {
            FixtureDirs.delete(work);
        }
    }

    /** The AMI test server wired to the files: what a reload loads is what PJSIPShowEndpoint reports. */
    public static final class SimulatedAsterisk {
        private final AmiTestServer server;
        private final Path dir;
        private volatile PjsipConfig loaded;
        private volatile String reloadError;
        private volatile Map<String, UnaryOperator<EndpointSettings>> overrides = Map.of();
        private volatile java.util.List<String> translation;

        public SimulatedAsterisk(AmiTestServer server, Path dir) {
            this.server = server;
            this.dir = dir;
            load();
            server.dialplan(dir.resolve("extensions.conf"));
            server.onCommand(command -> {
                if (command.strip().equals("module reload res_pjsip.so")) {
                    if (reloadError != null) {
                        return io.vbo.lab.ami.CommandReply.error(reloadError);
                    }
                    load();
                }
                java.util.List<String> table = translation;
                if (command.strip().equals("core show translation") && table != null) {
                    return io.vbo.lab.ami.CommandReply.ok(table.toArray(String[]::new));
                }
                return null;
            });
            server.endpointSettings(endpoint -> {
                PjsipConfig config = loaded;
                if (config.find(endpoint, "endpoint").isEmpty()) {
                    return null;
                }
                EndpointSettings settings = new EndpointSettings(config.effectiveAllow(endpoint),
                        config.effectiveValue(endpoint, "endpoint", "outgoing_call_offer_pref"),
                        config.effectiveValue(endpoint, "endpoint", "incoming_call_offer_pref"));
                return overrides.getOrDefault(endpoint, UnaryOperator.identity()).apply(settings);
            });
        }

        /** Asterisk restarted: it loads the files as they are now (nothing is sent on AMI; sessions stay open). */
        public void startAgain() {
            load();
        }

        /** Someone else ran {@code module reload res_pjsip.so}: the files are loaded and the Reload event emitted. */
        public void reloadedByOthers() {
            load();
            server.emitReload("res_pjsip.so");
        }

        private void load() {
            try {
                loaded = PjsipConfig.load(dir, "pjsip.conf");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public AmiTestServer server() {
            return server;
        }

        public Path dir() {
            return dir;
        }

        /** {@code core show translation} answers these lines from now on ({@code null}: the captured table). */
        public void translation(java.util.List<String> lines) {
            this.translation = lines;
        }

        /** Every reload fails with this CLI output until set back to null. */
        public void failReloads(String output) {
            this.reloadError = output;
        }

        /** Asterisk reports these codecs for these endpoints, whatever was loaded (a reload that did not take). */
        public void misreport(Map<String, List<String>> codecs) {
            Map<String, UnaryOperator<EndpointSettings>> distort = new java.util.HashMap<>();
            codecs.forEach((endpoint, list) -> distort.put(endpoint,
                    s -> new EndpointSettings(list, s.outgoingCallOfferPref(), s.incomingCallOfferPref())));
            this.overrides = Map.copyOf(distort);
        }

        /** Asterisk reports this {@code outgoing_call_offer_pref} for the endpoint, whatever was loaded. */
        public void misreportOutgoingOfferPref(String endpoint, String value) {
            this.overrides = Map.of(endpoint, s -> new EndpointSettings(s.allow(), value, s.incomingCallOfferPref()));
        }

        public long reloads() {
            return server.requests("Command").stream()
                    .filter(r -> "module reload res_pjsip.so".equals(r.header("Command"))).count();
        }
    }
}

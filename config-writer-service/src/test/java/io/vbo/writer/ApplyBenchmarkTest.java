package io.vbo.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.lab.ami.AmiContact;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.files.SafeFileWriter;
import io.vbo.ami.AmiConnection;
import io.vbo.writer.pbx.AmiPbx;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not part of the default test run: 1,000 decisions applied to a 10,000-endpoint configuration as one
 * batch, over real AMI (the shared ami module against the AMI test server, whose simulated Asterisk loads the files on
 * each reload). Run: {@code ./mvnw -q -B -pl config-writer-service test -Dvbo.benchmarks=none -Dgroups=benchmark}.
 */
@Tag("benchmark")
class ApplyBenchmarkTest {
    private static final int ENDPOINTS = 10_000;
    private static final int DECISIONS = 1_000;
    private static final int RUNS = 3;
    private static final List<List<String>> TIERS = List.of(
            List.of("ulaw", "alaw", "opus", "g729", "gsm"), List.of("g729", "opus", "ulaw", "alaw", "gsm"),
            List.of("opus", "gsm", "ulaw", "alaw", "g729"));

    private static final io.vbo.writer.editor.OfferPrefs PREFS = new io.vbo.writer.editor.OfferPrefs("local", "local");

    @TempDir
    Path tmp;

    /** Ceilings in the run's backup folder, published nowhere. */
    private static io.vbo.writer.service.Ceilings ceilings(Path backups) {
        return new io.vbo.writer.service.Ceilings(backups.resolve(io.vbo.writer.service.Ceilings.FILE_NAME), "bench",
                new SafeFileWriter(backups, 10), Clock.systemUTC(), ceiling -> { });
    }

    @Test
    void thousandDecisionsOnTenThousandEndpoints() throws Exception {
        StringBuilder report = new StringBuilder();
        for (int run = 1; run <= RUNS; run++) {
            Path dir = Files.createDirectories(tmp.resolve("run" + run));
            writeConfig(dir);
            try (AmiTestServer server = AmiTestServer.start()) {
                List<AmiContact> contacts = new ArrayList<>();
                for (int i = 0; i < ENDPOINTS; i++) {
                    contacts.add(AmiContact.generated(Integer.toString(10_000 + i), "127.0.0.1", 5060));
                }
                server.setContacts(contacts);
                WriterTestResource.SimulatedAsterisk asterisk = new WriterTestResource.SimulatedAsterisk(server, dir);
                Vertx vertx = Vertx.vertx();
                try (AmiPbx ami = new AmiPbx(vertx, AmiConnection.Settings.of("bench", "127.0.0.1", server.port(), "vbo",
                        "vbo-secret").withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
                    io.vbo.writer.service.CodecApplier applier = new io.vbo.writer.service.CodecApplier("bench", dir, "pjsip.conf",
                            new SafeFileWriter(tmp.resolve("backups" + run), 10), PREFS, ceilings(tmp.resolve("backups" + run)), ami,
                            new ReentrantLock(),
                            new SimpleMeterRegistry(), Clock.systemUTC());
                    List<CodecDecision> decisions = decisions(new Random(run));
                    ami.ping();

                    long t0 = System.nanoTime();
                    List<ConfigApplied> results = applier.apply(decisions, true);
                    long applyMs = (System.nanoTime() - t0) / 1_000_000;
                    long applied = results.stream().filter(r -> r.status() == ConfigApplied.Status.APPLIED).count();
                    assertEquals(DECISIONS, applied, "every decision applied");
                    long reloads = asterisk.reloads();
                    long shows = server.requests("Command").stream()
                            .filter(r -> String.valueOf(r.header("Command")).startsWith("pjsip show endpoint ")).count();

                    long t1 = System.nanoTime();
                    List<ConfigApplied> again = applier.apply(decisions, false);
                    long againMs = (System.nanoTime() - t1) / 1_000_000;
                    assertEquals(List.of(), again);

                    long t2 = System.nanoTime();
                    PjsipConfig.load(dir, "pjsip.conf").planEndpoints(Map.of(decisions.get(0).endpoint(), List.of("gsm")), PREFS);
                    long parseMs = (System.nanoTime() - t2) / 1_000_000;

                    // The writer's own share: the same kind of batch with no Asterisk to reload or ask.
                    Path filesOnly = Files.createDirectories(tmp.resolve("files-only" + run));
                    writeConfig(filesOnly);
                    io.vbo.writer.service.CodecApplier writeOnly = new io.vbo.writer.service.CodecApplier("bench", filesOnly,
                            "pjsip.conf", new SafeFileWriter(tmp.resolve("backups-files-only" + run), 10), PREFS,
                            ceilings(tmp.resolve("backups-files-only" + run)), new NoAsterisk(),
                            new ReentrantLock(), new SimpleMeterRegistry(), Clock.systemUTC());
                    long t3 = System.nanoTime();
                    writeOnly.apply(decisions(new Random(run)), true);
                    long writeOnlyMs = (System.nanoTime() - t3) / 1_000_000;

                    String line = String.format("run %d: apply %d decisions: %d ms, %d file write(s), %d reload(s), %d pjsip show endpoint; "
                            + "same decisions again: %d ms, %d reload(s); files only (read, plan, back up, write; no Asterisk): %d ms; "
                            + "parse+plan of the 10,000-endpoint config: %d ms; pjsip_endpoints.conf %d bytes%n", run, DECISIONS,
                            applyMs, applier.writes(), reloads, shows, againMs, asterisk.reloads() - reloads, writeOnlyMs, parseMs,
                            Files.size(dir.resolve("pjsip_endpoints.conf")));
                    report.append(line);
                    System.out.print(line);
                } finally {
                    vertx.close().toCompletionStage().toCompletableFuture().join();
                }
            }
        }
        Path out = Path.of("target", "benchmark-config-writer.txt");
        Files.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** No Asterisk configured: the applier writes and reports, nothing else. */
    private static final class NoAsterisk implements io.vbo.writer.pbx.PbxClient {
        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public String reloadPjsip() {
            throw new IllegalStateException("not configured");
        }

        @Override
        public io.vbo.writer.pbx.LoadedEndpoint endpoint(String endpoint) {
            throw new IllegalStateException("not configured");
        }

        @Override
        public List<String> command(String cli) {
            throw new IllegalStateException("not configured");
        }

        @Override
        public void ping() {
        }

        @Override
        public void close() {
        }
    }

    private static List<CodecDecision> decisions(Random random) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            ids.add(10_000 + i);
        }
        Collections.shuffle(ids, random);
        List<CodecDecision> out = new ArrayList<>();
        for (int i = 0; i < DECISIONS; i++) {
            out.add(new CodecDecision(CodecDecision.SCHEMA, UUID.randomUUID(), "bench", Integer.toString(ids.get(i)), "t",
                    TIERS.get(1 + random.nextInt(2)), null, new CodecDecision.Reason("bench", null, Map.of(), null, ""),
                    Instant.now(), List.of(), List.of(), List.of(), false, null));
        }
        return out;
    }

    /** The layout init + user management produce, with 10,000 users on the first tier. */
    private static void writeConfig(Path dir) throws Exception {
        StringBuilder eps = new StringBuilder("; pjsip_endpoints.conf\n");
        StringBuilder aors = new StringBuilder("; pjsip_aor.conf\n");
        StringBuilder auths = new StringBuilder("; pjsip_auth.conf\n");
        for (int i = 0; i < ENDPOINTS; i++) {
            String e = Integer.toString(10_000 + i);
            eps.append("\n[").append(e).append("]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=")
                    .append(String.join(",", TIERS.get(0))).append("\naors=").append(e).append("\nauth=").append(e)
                    .append("-auth\ndirect_media=no\n");
            aors.append("\n[").append(e).append("]\ntype=aor\nmax_contacts=1\nqualify_frequency=60\n");
            auths.append("\n[").append(e).append("-auth]\ntype=auth\nauth_type=userpass\nusername=").append(e)
                    .append("\npassword=pw").append(e).append('\n');
        }
        Files.writeString(dir.resolve("pjsip.conf"), "[transport-udp]\ntype = transport\nprotocol = udp\nbind = 0.0.0.0:5060\n\n"
                + "#include pjsip_endpoints.conf\n#include pjsip_aor.conf\n#include pjsip_auth.conf\n");
        Files.writeString(dir.resolve("pjsip_endpoints.conf"), eps);
        Files.writeString(dir.resolve("pjsip_aor.conf"), aors);
        Files.writeString(dir.resolve("pjsip_auth.conf"), auths);
    }
}

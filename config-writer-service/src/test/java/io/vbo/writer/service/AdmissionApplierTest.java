package io.vbo.writer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vbo.ami.AmiConnection;
import io.vbo.events.SiteLimit;
import io.vbo.lab.FixtureDirs;
import io.vbo.lab.Fixtures;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.writer.editor.ConfigCopies;
import io.vbo.writer.files.SafeFileWriter;
import io.vbo.writer.pbx.AmiPbx;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Site limits into the writer's dialplan file, reloaded and read back by the AMI test server over real AMI. */
class AdmissionApplierTest {
    private Vertx vertx;
    private AmiTestServer server;
    private AmiPbx pbx;
    private Path work;
    private Path dir;
    private SimpleMeterRegistry meters;
    private AdmissionApplier applier;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        work = FixtureDirs.create("admission", d -> { });
        dir = ConfigCopies.copy(Fixtures.configUsed(), work.resolve("asterisk"));
        server = AmiTestServer.start();
        server.dialplan(dir.resolve("extensions.conf"));
        pbx = new AmiPbx(vertx, AmiConnection.Settings.of("lab", "127.0.0.1", server.port(), "vbo", "vbo-secret")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200)));
        meters = new SimpleMeterRegistry();
        applier = new AdmissionApplier("lab", dir.resolve("extensions_vbo.conf"), dir.resolve("extensions.conf"),
                Optional.empty(), new SafeFileWriter(work.resolve("backups"), 5), pbx, new ReentrantLock(), meters);
    }

    @AfterEach
    void stop() {
        pbx.close();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        FixtureDirs.delete(work);
    }

    static SiteLimit limit(String site, int maxCalls, String... endpoints) {
        return new SiteLimit(SiteLimit.SCHEMA, "lab", site, List.of(endpoints), "t2", "g729", 31200, 80000, maxCalls, 2,
                SiteLimit.ConcurrentSource.LEARNED, Instant.now());
    }

    private String file() throws Exception {
        return Files.readString(dir.resolve("extensions_vbo.conf"));
    }

    @Test
    void aBatchIsOneWriteOneDialplanReloadAndIsReadBack() throws Exception {
        AdmissionApplier.Result r = applier.apply(List.of(limit("branch1", 3, "1001", "1002"), limit("hq", 1, "1003"),
                limit("branch1", 2, "1001", "1002")));
        assertEquals(AdmissionApplier.Status.APPLIED, r.status(), r.detail());
        assertEquals(1, server.dialplanReloads());
        assertEquals(List.of("dialplan reload"), server.requests("Command").stream().map(c -> c.header("Command"))
                .filter(c -> c.contains("reload")).toList());
        assertTrue(file().contains("\nVBO_MAX_CALLS_branch1=2\nVBO_SITE_1001=branch1\nVBO_SITE_1002=branch1\n"), file());
        assertTrue(file().contains("\nVBO_MAX_CALLS_hq=1\nVBO_SITE_1003=hq\n"), file());
        // Read back: both contexts shown, then each limit and each endpoint's site through Getvar.
        assertEquals(List.of("dialplan show vbo-admission", "dialplan show vbo-admission-site"), server.requests("Command")
                .stream().map(c -> c.header("Command")).filter(c -> c.startsWith("dialplan show")).toList());
        assertEquals(List.of("VBO_MAX_CALLS_branch1", "VBO_MAX_CALLS_hq", "VBO_SITE_1001", "VBO_SITE_1002", "VBO_SITE_1003"),
                server.requests("Getvar").stream().map(g -> g.header("Variable")).toList());
        String extensions = Files.readString(dir.resolve("extensions.conf"));
        assertTrue(extensions.startsWith("; extensions.conf - lab dialplan\n; BEGIN VBO admission control (managed by "
                + "config-writer-service)\n#include extensions_vbo.conf\n; END VBO admission control\n[general]\n"), extensions);
        assertEquals(2, applier.writes());
        assertEquals(2, applier.sites());
        assertEquals(2.0, meters.get("vbo.writer.admission.max.calls").tag("site", "branch1").gauge().value());
    }

    @Test
    void theSameLimitsAgainWriteNothingAndReloadNothing() throws Exception {
        applier.apply(List.of(limit("branch1", 2, "1001", "1002")));
        byte[] own = Files.readAllBytes(dir.resolve("extensions_vbo.conf"));
        byte[] extensions = Files.readAllBytes(dir.resolve("extensions.conf"));
        long writes = applier.writes();
        int actions = server.requests().size();

        // A later decision with the same limit (only decidedAt differs).
        AdmissionApplier.Result again = applier.apply(List.of(limit("branch1", 2, "1001", "1002")));
        assertEquals(AdmissionApplier.Status.UNCHANGED, again.status());
        assertArrayEquals(own, Files.readAllBytes(dir.resolve("extensions_vbo.conf")));
        assertArrayEquals(extensions, Files.readAllBytes(dir.resolve("extensions.conf")));
        assertEquals(writes, applier.writes());
        assertEquals(1, server.dialplanReloads());
        assertEquals(actions, server.requests().size(), "nothing was asked of Asterisk");
        assertEquals(1, applier.reloads());
    }

    @Test
    void aRemovedSiteAndAnEndpointThatLeftAreClearedReloadedOnceAndReadBackEmpty() throws Exception {
        applier.apply(List.of(limit("branch1", 2, "1001", "1002", "1003"), limit("hq", 4, "2001")));
        int getvars = server.requests("Getvar").size();
        Map<String, Optional<SiteLimit>> changes = new LinkedHashMap<>();
        changes.put("hq", Optional.empty());
        changes.put("branch1", Optional.of(limit("branch1", 2, "1001", "1002")));

        AdmissionApplier.Result r = applier.applyChanges(changes);
        assertEquals(AdmissionApplier.Status.APPLIED, r.status(), r.detail());
        assertTrue(r.sites().contains("hq: removed"), r.sites().toString());
        assertEquals(2, server.dialplanReloads(), "one reload for the first batch, one for the removal");
        assertTrue(file().contains("\nVBO_MAX_CALLS_branch1=2\nVBO_SITE_1001=branch1\nVBO_SITE_1002=branch1\n"
                + "; cleared: sites and endpoints VBO no longer has, set empty so a dialplan reload removes them\n"
                + "VBO_MAX_CALLS_hq=\nVBO_SITE_1003=\nVBO_SITE_2001=\n\n[vbo-admission]\n"), file());
        assertFalse(file().contains("VBO_MAX_CALLS_hq=4"), file());
        // Read back: the limit and mappings, then every cleared name, which Asterisk now reports empty.
        List<String> asked = server.requests("Getvar").stream().map(g -> g.header("Variable")).toList();
        assertEquals(List.of("VBO_MAX_CALLS_branch1", "VBO_SITE_1001", "VBO_SITE_1002", "VBO_MAX_CALLS_hq",
                "VBO_SITE_1003", "VBO_SITE_2001"), asked.subList(getvars, asked.size()));
        assertEquals("", pbx.global("VBO_MAX_CALLS_hq"));
        assertEquals("", pbx.global("VBO_SITE_1003"));
        assertEquals(1, applier.sites());

        // The same removal again: the same bytes, nothing written or reloaded.
        byte[] own = Files.readAllBytes(dir.resolve("extensions_vbo.conf"));
        AdmissionApplier.Result again = applier.applyChanges(changes);
        assertEquals(AdmissionApplier.Status.UNCHANGED, again.status(), again.detail());
        assertArrayEquals(own, Files.readAllBytes(dir.resolve("extensions_vbo.conf")));
        assertEquals(2, server.dialplanReloads());
    }

    @Test
    void anotherSiteLaterKeepsTheSitesAlreadyInTheFile() throws Exception {
        applier.apply(List.of(limit("branch1", 2, "1001", "1002")));
        AdmissionApplier.Result r = applier.apply(List.of(limit("hq", 4, "1003")));
        assertEquals(AdmissionApplier.Status.APPLIED, r.status(), r.detail());
        assertTrue(file().contains("\nVBO_MAX_CALLS_branch1=2\n"), file());
        assertTrue(file().contains("\nVBO_MAX_CALLS_hq=4\n"), file());
        assertEquals(3, applier.writes(), "the marker block was added once: the second batch wrote only the own file");
    }

    @Test
    void aReadBackThatFailsPutsThePreviousFilesBackAndReloadsThem() throws Exception {
        applier.apply(List.of(limit("branch1", 2, "1001", "1002")));
        byte[] own = Files.readAllBytes(dir.resolve("extensions_vbo.conf"));
        byte[] extensions = Files.readAllBytes(dir.resolve("extensions.conf"));
        server.dialplanReloadTakes(false);

        AdmissionApplier.Result r = applier.apply(List.of(limit("branch1", 3, "1001", "1002")));
        assertEquals(AdmissionApplier.Status.ROLLED_BACK, r.status());
        assertEquals("read-back failed: VBO_MAX_CALLS_branch1 is '2', expected 3; previous files restored and reloaded",
                r.detail());
        assertArrayEquals(own, Files.readAllBytes(dir.resolve("extensions_vbo.conf")));
        assertArrayEquals(extensions, Files.readAllBytes(dir.resolve("extensions.conf")));
        assertEquals(3, server.dialplanReloads(), "the first apply, the failed one, the one after restoring");
        assertEquals(1.0, meters.get("vbo.writer.admission.applies").tag("status", "ROLLED_BACK").counter().count());
    }

    @Test
    void aFirstWriteWhoseReadBackFailsLeavesNoOwnFileAndTheSampleAsItWas() throws Exception {
        byte[] extensions = Files.readAllBytes(dir.resolve("extensions.conf"));
        server.dialplanReloadTakes(false);
        AdmissionApplier.Result r = applier.apply(List.of(limit("branch1", 2, "1001")));
        assertEquals(AdmissionApplier.Status.ROLLED_BACK, r.status());
        assertTrue(r.detail().startsWith("read-back failed: context vbo-admission not loaded"), r.detail());
        assertTrue(Files.notExists(dir.resolve("extensions_vbo.conf")));
        assertArrayEquals(extensions, Files.readAllBytes(dir.resolve("extensions.conf")));
        assertEquals(2, server.dialplanReloads());
    }

    @Test
    void anUnreachableAsteriskWritesNothing() throws Exception {
        byte[] extensions = Files.readAllBytes(dir.resolve("extensions.conf"));
        server.close();
        AdmissionApplier.Result r = applier.apply(List.of(limit("branch1", 2, "1001")));
        assertEquals(AdmissionApplier.Status.FAILED, r.status());
        assertTrue(r.detail().startsWith("Asterisk unreachable: "), r.detail());
        assertTrue(Files.notExists(dir.resolve("extensions_vbo.conf")));
        assertArrayEquals(extensions, Files.readAllBytes(dir.resolve("extensions.conf")));
    }
}

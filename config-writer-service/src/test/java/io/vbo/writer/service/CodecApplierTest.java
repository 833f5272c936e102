package io.vbo.writer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.ConfigApplied.Status;
import io.vbo.events.EndpointCeiling;
import io.vbo.writer.editor.OfferPrefs;
import io.vbo.writer.pbx.LoadedEndpoint;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.files.SafeFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vbo.lab.Fixtures;
import io.vbo.writer.editor.ConfigCopies;

class CodecApplierTest {
    @TempDir
    Path tmp;
    Path dir;
    FileBackedPbx pbx;
    CodecApplier applier;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<EndpointCeiling> published = new ArrayList<>();
    static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");

    /** The lab's pjsip_endpoints.conf after 1002 → gsm: the capture's edit plus the two offer-preference lines. */
    static final String LAB_1002_GSM = "[1001]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=ulaw,alaw,g722,gsm\n"
            + "aors=1001\nauth=1001-auth\n\n[1002]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=gsm\n"
            + "outgoing_call_offer_pref=local\nincoming_call_offer_pref=local\naors=1002\nauth=1002-auth\n\n"
            + "[1003]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=ulaw,alaw,g722,gsm\naors=1003\nauth=1003-auth\n\n";

    @BeforeEach
    void setUp() {
        dir = ConfigCopies.copy(Fixtures.configUsed(), tmp.resolve("asterisk"));
        pbx = new FileBackedPbx(dir);
        applier = applier();
    }

    /** A fresh applier on the same folders, as after a restart. */
    private CodecApplier applier() {
        SafeFileWriter writer = new SafeFileWriter(tmp.resolve("backups"), 10);
        Ceilings ceilings = new Ceilings(tmp.resolve("backups").resolve(Ceilings.FILE_NAME), "lab", writer,
                Clock.fixed(NOW, java.time.ZoneOffset.UTC), published::add);
        return new CodecApplier("lab", dir, "pjsip.conf", writer, new OfferPrefs("local", "local"), ceilings, pbx,
                new ReentrantLock(), meters, Clock.systemUTC());
    }

    private static EndpointCeiling fromFile(String endpoint, String... codecs) {
        return new EndpointCeiling(EndpointCeiling.SCHEMA, "lab", endpoint, List.of(codecs), EndpointCeiling.Source.FILE, NOW);
    }

    static CodecDecision decision(String endpoint, String... codecs) {
        return new CodecDecision(CodecDecision.SCHEMA, UUID.randomUUID(), "lab", endpoint, "t", List.of(codecs), null,
                new CodecDecision.Reason("test", null, Map.of(), null, ""), Instant.now(), List.of(), List.of(), List.of(),
                false, null);
    }

    private static Map<String, ConfigApplied> byEndpoint(List<ConfigApplied> results) {
        return results.stream().collect(Collectors.toMap(ConfigApplied::endpoint, Function.identity()));
    }

    @Test
    void appliedWhenAsteriskReportsTheNewCodecs() throws Exception {
        List<ConfigApplied> results = applier.apply(List.of(decision("1002", "gsm")), true);
        assertEquals(1, results.size());
        assertEquals(Status.APPLIED, results.get(0).status());
        assertEquals(List.of("gsm"), results.get(0).codecsReported());
        assertEquals(LAB_1002_GSM, Files.readString(dir.resolve("pjsip_endpoints.conf")));
        assertEquals(List.of("reload", "show 1002"), pbx.calls);
        assertEquals(1.0, meters.counter("vbo.writer.applies", "pbx", "lab", "status", "APPLIED").count());

        pbx.calls.clear();
        ConfigApplied again = applier.apply(List.of(decision("1002", "gsm")), true).get(0);
        assertEquals(Status.APPLIED, again.status());
        assertEquals(1, applier.writes(), "a second run writes nothing");
        assertEquals(1, applier.reloads(), "and reloads nothing");
        assertEquals(List.of("show 1002"), pbx.calls, "it only asks Asterisk");
    }

    @Test
    void aRepairWithNoDriftOnlyAsksAsterisk() throws Exception {
        CodecDecision d = decision("1002", "gsm");
        applier.apply(List.of(d), true);
        pbx.calls.clear();
        assertEquals(List.of(), applier.repair(List.of(d), "timer"));
        assertEquals(List.of("show 1002"), pbx.calls);
        assertEquals(1, applier.writes());
    }

    @Test
    void anAsteriskThatLoadedOldFilesIsReloadedWithoutAWrite() throws Exception {
        Path file = dir.resolve("pjsip_endpoints.conf");
        byte[] old = Files.readAllBytes(file);
        CodecDecision d = decision("1002", "gsm");
        applier.apply(List.of(d), true);
        byte[] applied = Files.readAllBytes(file);
        // Asterisk restarted while an old copy of the file was in place; the file is right again since.
        Files.write(file, old);
        pbx.reloadPjsip();
        Files.write(file, applied);
        pbx.calls.clear();

        List<ConfigApplied> results = applier.repair(List.of(d), "fully_booted");
        assertEquals(1, results.size());
        assertEquals(Status.DRIFT_REPAIRED, results.get(0).status());
        assertEquals(d.decisionId(), results.get(0).decisionId());
        assertEquals(List.of("gsm"), results.get(0).codecsReported());
        assertEquals(new ConfigApplied.Drift(List.of("gsm"), List.of("ulaw", "alaw", "g722", "gsm"), List.of("gsm"),
                "fully_booted"), results.get(0).drift());
        assertEquals(List.of("show 1002", "reload", "show 1002"), pbx.calls);
        assertEquals(1, applier.writes(), "the files were right: nothing written");
        assertEquals(LAB_1002_GSM, Files.readString(file));
        assertEquals(1.0, meters.counter("vbo.writer.drift.repaired", "pbx", "lab").count());
    }

    @Test
    void aHandEditIsWrittenBackAndAnEndpointNoLongerInTheFilesIsLeftAlone() throws Exception {
        Path file = dir.resolve("pjsip_endpoints.conf");
        CodecDecision d2 = decision("1002", "gsm");
        CodecDecision gone = decision("7777", "gsm");
        applier.apply(List.of(d2), true);
        Files.writeString(file, Files.readString(file).replace("allow=gsm\n", "allow=alaw\n"));
        pbx.calls.clear();

        List<ConfigApplied> results = applier.repair(List.of(gone, d2), "timer");
        assertEquals(1, results.size(), results.toString());
        assertEquals(new ConfigApplied.Drift(List.of("alaw"), List.of("gsm"), List.of("gsm"), "timer"), results.get(0).drift());
        assertEquals(Status.DRIFT_REPAIRED, results.get(0).status());
        assertEquals(LAB_1002_GSM, Files.readString(file));
        assertEquals(List.of("show 1002", "reload", "show 1002"), pbx.calls);
    }

    @Test
    void anUnreachableAsteriskStopsTheCheckAndWritesNothing() throws Exception {
        Path file = dir.resolve("pjsip_endpoints.conf");
        CodecDecision d = decision("1002", "gsm");
        applier.apply(List.of(d), true);
        Files.writeString(file, Files.readString(file).replace("allow=gsm\n", "allow=alaw\n"));
        byte[] edited = Files.readAllBytes(file);
        pbx.unreachable = true;
        assertEquals(List.of(), applier.repair(List.of(d), "timer"));
        assertArrayEquals(edited, Files.readAllBytes(file));
    }

    @Test
    void theCeilingIsRecordedBeforeTheFirstEditAndNeverFromTheWritersOwnEdit() throws Exception {
        applier.apply(List.of(decision("1002", "gsm")), true);
        assertEquals(List.of(fromFile("1002", "ulaw", "alaw", "g722", "gsm")), published);
        assertTrue(Files.readString(tmp.resolve("backups").resolve(Ceilings.FILE_NAME)).contains("\"endpoint\" : \"1002\""));
        applier.apply(List.of(decision("1002", "ilbc"), decision("1003", "g722", "gsm")), true);
        assertEquals(List.of(fromFile("1002", "ulaw", "alaw", "g722", "gsm"), fromFile("1003", "ulaw", "alaw", "g722", "gsm")),
                published, "1003 is new; 1002 is not recorded again");

        // After a restart the file says allow=ilbc (the writer's own edit): the record, not the file, is the ceiling.
        published.clear();
        CodecApplier restarted = applier();
        restarted.apply(List.of(decision("1002", "gsm")), true);
        assertEquals(List.of(), published);
        assertEquals(List.of("gsm"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("1002"));
    }

    @Test
    void aDifferentOfferPreferenceReportedByAsteriskRollsBack() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
        pbx.distort = e -> new LoadedEndpoint(e.codecs(), "remote_merge", e.incomingCallOfferPref());
        ConfigApplied r = applier.apply(List.of(decision("1002", "gsm")), true).get(0);
        assertEquals(Status.ROLLED_BACK, r.status());
        assertEquals("Asterisk reports outgoing_call_offer_pref=remote_merge, expected local after the reload; "
                + "old files restored and reloaded", r.error());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
    }

    @Test
    void videoCodecsAsteriskReportsBesideTheAudioStillVerify() throws Exception {
        Path endpoints = dir.resolve("pjsip_endpoints.conf");
        Files.writeString(endpoints, Files.readString(endpoints).replaceFirst("allow=ulaw,alaw,g722,gsm\naors=1003",
                "allow=ulaw,alaw,g722,gsm,h264\naors=1003"));
        ConfigApplied r = applier.apply(List.of(decision("1003", "g722", "ulaw")), true).get(0);
        assertEquals(Status.APPLIED, r.status(), r.error());
        assertEquals(List.of("g722", "ulaw", "h264"), r.codecsReported());
        assertEquals(List.of(fromFile("1003", "ulaw", "alaw", "g722", "gsm")), published, "the ceiling is audio only");
    }

    @Test
    void reloadErrorRestoresTheOldFile() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
        pbx.reloadError = "Module 'res_pjsip.so' could not be reloaded.";
        ConfigApplied r = applier.apply(List.of(decision("1002", "gsm")), true).get(0);
        assertEquals(Status.ROLLED_BACK, r.status());
        assertTrue(r.error().contains("could not be reloaded"), r.error());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
        assertEquals(2, pbx.count("reload"));
    }

    @Test
    void mismatchRollsBackOnlyThatEndpointAndReappliesTheOthers() throws Exception {
        pbx.distort = e -> e.codecs().equals(List.of("g729"))
                ? new LoadedEndpoint(List.of("ulaw"), e.outgoingCallOfferPref(), e.incomingCallOfferPref()) : e;
        List<ConfigApplied> results = applier.apply(List.of(decision("1001", "gsm"), decision("1002", "g729")), true);
        Map<String, ConfigApplied> by = byEndpoint(results);
        assertEquals(Status.ROLLED_BACK, by.get("1002").status());
        assertEquals(List.of("ulaw"), by.get("1002").codecsReported());
        assertEquals(Status.APPLIED, by.get("1001").status());
        PjsipConfig now = PjsipConfig.load(dir, "pjsip.conf");
        assertEquals(List.of("gsm"), now.effectiveAllow("1001"));
        assertEquals(List.of("ulaw", "alaw", "g722", "gsm"), now.effectiveAllow("1002"));
        assertEquals(3, pbx.count("reload"), "apply, restore, apply the rest");
    }

    @Test
    void unreachableAsteriskWritesNothing() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
        pbx.unreachable = true;
        ConfigApplied r = applier.apply(List.of(decision("1002", "gsm")), true).get(0);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.error().startsWith("Asterisk unreachable"), r.error());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
        assertEquals(0, applier.writes());
    }

    @Test
    void batchIsOneWriteOneReloadAndTheSameStateAgainIsNothing() throws Exception {
        List<CodecDecision> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String ep = "100" + (1 + i % 3);
            batch.add(i % 2 == 0 ? decision(ep, "opus", "gsm") : decision(ep, "g729", "gsm", "ulaw"));
        }
        List<ConfigApplied> results = applier.apply(batch, true);
        assertEquals(100, results.size());
        assertEquals(97, results.stream().filter(r -> r.status() == Status.SUPERSEDED && r.error().startsWith("superseded")).count());
        assertEquals(3, results.stream().filter(r -> r.status() == Status.APPLIED).count());
        assertEquals(1, applier.writes());
        assertEquals(1, applier.reloads());
        assertEquals(1, meters.summary("vbo.writer.batch.size", "pbx", "lab").count());
        assertEquals(3.0, meters.summary("vbo.writer.batch.size", "pbx", "lab").totalAmount(), "endpoints the reload carried");

        pbx.calls.clear();
        // The last of the 100 per endpoint: 99 → 1001 (odd), 97 → 1002 (odd), 98 → 1003 (even).
        List<ConfigApplied> again = applier.apply(List.of(decision("1001", "g729", "gsm", "ulaw"), decision("1002", "g729", "gsm", "ulaw")), true);
        assertEquals(List.of(Status.APPLIED, Status.APPLIED), again.stream().map(ConfigApplied::status).toList());
        assertEquals(1, applier.writes());
        assertEquals(1, applier.reloads());
        assertEquals(0, pbx.count("reload"));
        assertEquals(List.of("show 1001", "show 1002"), pbx.calls);
        assertEquals(1, meters.summary("vbo.writer.batch.size", "pbx", "lab").count(), "no sample without a write");
        assertEquals(List.of(), applier.apply(List.of(decision("1003", "opus", "gsm")), false), "converge reports nothing unchanged");
    }

    @Test
    void aFileEditedByHandBetweenReadAndWriteIsReadAgain() throws Exception {
        Path endpoints = dir.resolve("pjsip_endpoints.conf");
        pbx.onPing = () -> {
            try {
                Files.writeString(endpoints, "; added by the administrator\n", java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertEquals(Status.APPLIED, applier.apply(List.of(decision("1002", "gsm")), true).get(0).status());
        String text = Files.readString(endpoints);
        assertTrue(text.endsWith("auth=1003-auth\n\n; added by the administrator\n"), text);
        assertTrue(text.contains("[1002]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=gsm\n"
                + "outgoing_call_offer_pref=local\nincoming_call_offer_pref=local\naors=1002\n"), text);
        assertEquals(1, applier.writes());
    }

    @Test
    void unknownEndpointFailsWithoutTouchingFiles() throws Exception {
        ConfigApplied r = applier.apply(List.of(decision("9999", "gsm")), true).get(0);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.error().contains("not defined"), r.error());
        assertEquals(0, applier.writes());
        assertTrue(pbx.calls.isEmpty());
    }
}

package io.vbo.discovery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.discovery.cli.CliRunner;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointObserved;
import io.vbo.events.PbxCapabilities;
import io.vbo.lab.ami.Transcripts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLI mode with a stand-in {@code asterisk} binary that prints the captured CLI output for the command it gets. */
class CliModeTest {
    private final Vertx vertx = Vertx.vertx();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        vertx.close();
    }

    /** A fake asterisk: logs its arguments one per line, then prints the transcript named for {@code -rx <command>}. */
    private Path fakeAsterisk(String contactsFile, int exitCode) throws IOException {
        Path script = dir.resolve("asterisk");
        Files.writeString(script, "#!/bin/sh\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + dir.resolve("args") + "'; done\n"
                + "case \"$2\" in\n"
                + "  'pjsip show contacts') cat '" + Transcripts.dir().resolve(contactsFile) + "' ;;\n"
                + "  'pjsip show endpoints') cat '" + Transcripts.dir().resolve("cli-pjsip-show-endpoints.txt") + "' ;;\n"
                + "  'core show translation') cat '" + Transcripts.dir().resolve("cli-core-show-translation.txt") + "' ;;\n"
                + "esac\n"
                + "echo 'Unable to connect to remote asterisk' >&2\n"
                + "exit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static void await(List<?> list, int size) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> list.size() >= size);
    }

    private PbxWatch watch(List<EndpointEvent> published, List<PbxCapabilities> capabilities) {
        return new PbxWatch("pbx-cli", new PbxDiscovery("pbx-cli", published::add, Clock.systemUTC(), Sites.automaticOnly()),
                new CapabilityTracker("pbx-cli", capabilities::add, Clock.systemUTC()), vertx, d -> { });
    }

    @Test
    void firstListingRunsAtOnceWithTheCommandAsAnArgumentList() throws Exception {
        List<EndpointEvent> published = new CopyOnWriteArrayList<>();
        List<PbxCapabilities> capabilities = new CopyOnWriteArrayList<>();
        PbxWatch watch = watch(published, capabilities);
        watch.useCli(new CliRunner(fakeAsterisk("cli-pjsip-show-contacts-unavail.txt", 0).toString(), Duration.ofSeconds(10)));
        await(published, 3);
        await(capabilities, 1);
        assertEquals(List.of("-rx", "pjsip show endpoints", "-rx", "pjsip show contacts", "-rx", "core show translation"),
                Files.readAllLines(dir.resolve("args")));
        EndpointObserved unavailable = (EndpointObserved) published.get(1);
        assertEquals("1002", unavailable.endpoint());
        assertEquals("10.231.2.2", unavailable.address());
        assertEquals(ContactStatus.UNREACHABLE, unavailable.status());
        assertEquals(null, unavailable.rttMicros());
        assertEquals(676L, ((EndpointObserved) published.get(2)).rttMicros());
        assertTrue(watch.up());
        PbxCapabilities read = capabilities.get(0);
        assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "slin", "slin16",
                "speex", "speex16", "speex32", "ulaw"), read.transcodable());
        assertEquals(PbxCapabilities.SOURCE_TRANSLATION, read.source());
        assertEquals("discovery-service", read.reportedBy());
        assertEquals(read, watch.capabilities().orElseThrow());
    }

    @Test
    void aCliWithoutTheTranslationTableFallsBackToTheModuleList() throws Exception {
        List<PbxCapabilities> capabilities = new CopyOnWriteArrayList<>();
        Path script = fakeAsterisk("cli-pjsip-show-contacts.txt", 0);
        // This asterisk prints "No such command" for core show translation, and the captured module list.
        Files.writeString(script, Files.readString(script).replace("'core show translation') cat '"
                + Transcripts.dir().resolve("cli-core-show-translation.txt") + "' ;;",
                "'core show translation') echo \"No such command 'core show translation'\" ;;\n"
                + "  'module show like codec_') cat '" + Transcripts.dir().resolve("cli-module-show-like-codec.txt") + "' ;;"));
        watch(new CopyOnWriteArrayList<>(), capabilities).useCli(new CliRunner(script.toString(), Duration.ofSeconds(10)));
        await(capabilities, 1);
        assertEquals(PbxCapabilities.SOURCE_MODULES, capabilities.get(0).source());
        assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "slin", "slin16",
                "speex", "speex16", "speex32", "ulaw"), capabilities.get(0).transcodable());
    }

    @Test
    void unrecognisedOutputIsAFailureNotAnEmptyPbx() throws Exception {
        List<EndpointEvent> published = new CopyOnWriteArrayList<>();
        PbxWatch watch = watch(published, new CopyOnWriteArrayList<>());
        watch.useCli(new CliRunner(fakeAsterisk("cli-pjsip-reload.txt", 0).toString(), Duration.ofSeconds(10)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(watch.reason()).startsWith("unrecognised"));
        assertTrue(watch.reason().contains("No such command 'pjsip reload'"), watch.reason());
        assertEquals(List.of(), published);
    }

    @Test
    void failingCommandMarksThePbxDownWithItsError() throws Exception {
        List<PbxCapabilities> capabilities = new CopyOnWriteArrayList<>();
        PbxWatch watch = watch(new CopyOnWriteArrayList<>(), capabilities);
        Path asterisk = fakeAsterisk("cli-pjsip-show-contacts.txt", 1);
        watch.useCli(new CliRunner(asterisk.toString(), Duration.ofSeconds(10)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(watch.reason()).contains("exited with 1"));
        assertFalse(watch.up());
        assertEquals("'" + asterisk + " -rx pjsip show endpoints' exited with 1: Unable to connect to remote asterisk",
                watch.reason());
        assertEquals(List.of(), capabilities);
    }
}

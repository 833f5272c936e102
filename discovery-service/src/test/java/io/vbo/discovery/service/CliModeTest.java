package io.vbo.discovery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.discovery.cli.CliRunner;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointObserved;
import io.vbo.testkit.ami.Transcripts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
                + "esac\n"
                + "echo 'Unable to connect to remote asterisk' >&2\n"
                + "exit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static void await(List<?> list, int size) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (list.size() < size && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    @Test
    void firstListingRunsAtOnceWithTheCommandAsAnArgumentList() throws Exception {
        List<EndpointEvent> published = new CopyOnWriteArrayList<>();
        PbxWatch watch = new PbxWatch("pbx-cli", new PbxDiscovery("pbx-cli", published::add, Clock.systemUTC()), vertx, d -> { });
        watch.useCli(new CliRunner(fakeAsterisk("cli-pjsip-show-contacts-unavail.txt", 0).toString(), Duration.ofSeconds(10)));
        await(published, 3);
        assertEquals(List.of("-rx", "pjsip show endpoints", "-rx", "pjsip show contacts"), Files.readAllLines(dir.resolve("args")));
        EndpointObserved unavailable = (EndpointObserved) published.get(1);
        assertEquals("1002", unavailable.endpoint());
        assertEquals("10.231.2.2", unavailable.address());
        assertEquals(ContactStatus.UNREACHABLE, unavailable.status());
        assertEquals(null, unavailable.rttMicros());
        assertEquals(676L, ((EndpointObserved) published.get(2)).rttMicros());
        assertTrue(watch.up());
    }

    @Test
    void unrecognisedOutputIsAFailureNotAnEmptyPbx() throws Exception {
        List<EndpointEvent> published = new CopyOnWriteArrayList<>();
        PbxWatch watch = new PbxWatch("pbx-cli", new PbxDiscovery("pbx-cli", published::add, Clock.systemUTC()), vertx, d -> { });
        watch.useCli(new CliRunner(fakeAsterisk("cli-pjsip-reload.txt", 0).toString(), Duration.ofSeconds(10)));
        Instant deadline = Instant.now().plusSeconds(10);
        while (!String.valueOf(watch.reason()).startsWith("unrecognised") && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertTrue(watch.reason().contains("No such command 'pjsip reload'"), watch.reason());
        assertEquals(List.of(), published);
    }

    @Test
    void failingCommandMarksThePbxDownWithItsError() throws Exception {
        PbxWatch watch = new PbxWatch("pbx-cli", new PbxDiscovery("pbx-cli", e -> { }, Clock.systemUTC()), vertx, d -> { });
        watch.useCli(new CliRunner(fakeAsterisk("cli-pjsip-show-contacts.txt", 1).toString(), Duration.ofSeconds(10)));
        assertFalse(watch.up());
        Instant deadline = Instant.now().plusSeconds(10);
        while (!String.valueOf(watch.reason()).contains("exited with 1") && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertTrue(watch.reason().contains("Unable to connect to remote asterisk"), watch.reason());
    }
}

package io.vbo.probe.iperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.probe.LabEvents;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real iperf3 against phones in network namespaces whose links are shaped with tc (needs root). */
class Iperf3RunnerTest {
    private static final Iperf3Runner IPERF3 = new Iperf3Runner("iperf3", Duration.ofSeconds(3), Duration.ofSeconds(10));
    private static NetnsLab lab;
    private static Phone slowDown;
    private static Phone midDown;
    private static Phone fastDown;
    private static Phone voiceStarved;

    @BeforeAll
    static void phones() {
        lab = NetnsLab.open();
        // Down ≠ up, but no more than 10:1: the reverse direction also carries the TCP ACKs, and on a 5 Mbit/s /
        // 100 kbit/s link the ACKs alone fill the uplink, so the downlink reads 4.17 Mbit/s (real, as on ADSL).
        slowDown = lab.addPhone(100_000, 300_000);
        midDown = lab.addPhone(1_000_000, 500_000);
        fastDown = lab.addPhone(5_000_000, 1_000_000);
        voiceStarved = lab.addPhone(40_000, 40_000);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void bothDirectionsOfEveryLinkReadWithin15PercentOfTheShapedRate() {
        // One at a time, as the service probes one PBX's phones: parallel runs compete for the two CPUs.
        List<String> failures = new ArrayList<>();
        failures.addAll(check(slowDown, 100_000, 300_000));
        failures.addAll(check(midDown, 1_000_000, 500_000));
        failures.addAll(check(fastDown, 5_000_000, 1_000_000));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void voiceProfileSendsACallsWorthAndReportsLossOnATooSlowLink() {
        Measurement fine = IPERF3.run(ProbeSpec.voice(midDown.address(), midDown.iperfPort(), Direction.DOWNLINK, 2, 172, 50));
        assertEquals(Outcome.OK, fine.outcome(), fine.error());
        assertTrue(Math.abs(fine.bitsPerSecond() - 68_800) < 0.15 * 68_800, "voice stream rate " + fine.bitsPerSecond());
        assertTrue(fine.lossPercent() < 1, "loss on a 1 Mbit/s link: " + fine.lossPercent());
        assertTrue(fine.jitterMs() >= 0);

        // 172-byte payloads at 50/s are ~87 kbit/s on the wire: a 40 kbit/s link must lose about half of them.
        Measurement starved = IPERF3.run(ProbeSpec.voice(voiceStarved.address(), voiceStarved.iperfPort(),
                Direction.UPLINK, 2, 172, 50));
        assertEquals(Outcome.OK, starved.outcome(), starved.error());
        assertTrue(starved.lossPercent() > 30, "loss on a 40 kbit/s link: " + starved.lossPercent());
    }

    @Test
    void closedPortIsUnreachable() {
        Measurement m = IPERF3.run(ProbeSpec.tcp(slowDown.address(), 5999, Direction.DOWNLINK, 1));
        assertEquals(Outcome.UNREACHABLE, m.outcome());
        assertEquals("unable to connect to server: Connection refused", m.error());
    }

    @Test
    void aSilentAddressTimesOutAfterTheConnectTimeout() {
        // .3 on the phone's own veth subnet: nobody answers ARP, and no packet can leave that link.
        String silent = slowDown.address().replaceAll("\\.2$", ".3");
        Iperf3Runner impatient = new Iperf3Runner("iperf3", Duration.ofMillis(800), Duration.ofSeconds(10));
        Measurement m = impatient.run(ProbeSpec.tcp(silent, 5201, Direction.DOWNLINK, 1));
        assertEquals(Outcome.TIMEOUT, m.outcome(), m.error());
    }

    @Test
    void onlyIpLiteralsReachIperf3(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("started");
        Path fake = script(tmp, "fake-iperf3", "#!/bin/sh\ntouch " + marker + "\n");
        Iperf3Runner runner = new Iperf3Runner(fake.toString(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        for (String bad : List.of("-R", "--logfile=x", "phone.example.com", "10.0.0.1 -R", "", "10.0.0.256")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runner.run(ProbeSpec.tcp(bad, 5201, Direction.DOWNLINK, 3)), bad);
            assertTrue(e.getMessage().contains("not an IP address literal"), e.getMessage());
        }
        assertFalse(Files.exists(marker), "no process may start for a refused address");
        assertEquals(List.of(fake.toString(), "-c", "fd00::2", "-p", "5201", "-t", "3", "--json", "--connect-timeout",
                "1000", "-u", "-b", "68800", "-l", "172", "-R"),
                runner.command(ProbeSpec.voice("fd00::2", 5201, Direction.UPLINK, 3, 172, 50)));
        assertEquals(List.of(fake.toString(), "-c", "fd00::2", "-p", "5201", "-t", "3", "--json", "--connect-timeout",
                "1000", "-u", "-b", "68800", "-l", "172", "--bidir"),
                runner.bothCommand(ProbeSpec.voice("fd00::2", 5201, Direction.DOWNLINK, 3, 172, 50)));
        assertThrows(IllegalArgumentException.class,
                () -> runner.bothCommand(ProbeSpec.voice("fd00::2", 5201, Direction.UPLINK, 3, 172, 50)));
        assertThrows(IllegalArgumentException.class,
                () -> runner.runBoth(ProbeSpec.voice("phone.example.com", 5201, Direction.DOWNLINK, 3, 172, 50),
                        new StopSignal(), Iperf3Runner.RunWatch.NONE));
        assertFalse(Files.exists(marker), "no process may start for a refused address");
    }

    @Test
    void aHungIperf3IsKilledAndReportedAsTimeout(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("pid");
        Path hung = script(tmp, "hung-iperf3", "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 60\n");
        Iperf3Runner runner = new Iperf3Runner(hung.toString(), Duration.ofMillis(500), Duration.ofMillis(500));
        Measurement m = runner.run(ProbeSpec.tcp("127.0.0.1", 5201, Direction.DOWNLINK, 1));
        assertEquals(Outcome.TIMEOUT, m.outcome());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung process must be killed");
    }

    @Test
    void closeKillsAProbeStillRunning(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("pid");
        Path hung = script(tmp, "hung-iperf3", "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 60\n");
        Iperf3Runner runner = new Iperf3Runner(hung.toString(), Duration.ofSeconds(30), Duration.ofSeconds(30));
        CompletableFuture<Measurement> probe = CompletableFuture.supplyAsync(
                () -> runner.run(ProbeSpec.tcp("127.0.0.1", 5201, Direction.DOWNLINK, 1)));
        Awaitility.await("the hung iperf3 wrote its pid").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        runner.close();
        probe.get(10, TimeUnit.SECONDS);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "a probe must not outlive the service");
    }

    @Test
    void aStopSignalEndsTheRunningClientAndNoFiguresAreReported() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<Measurement> probe = CompletableFuture.supplyAsync(
                () -> IPERF3.run(ProbeSpec.tcp(midDown.address(), midDown.iperfPort(), Direction.DOWNLINK, 10), stop));
        ProcessHandle client = LabEvents.awaitClient(midDown, Duration.ofSeconds(10));
        stop.stop("a call started");

        Measurement m = probe.get(5, TimeUnit.SECONDS);
        assertEquals(Measurement.failed(Outcome.DEFERRED_ACTIVE_CALL, "stopped: a call started"), m);
        assertFalse(client.isAlive(), "the 10 s client must be gone");
        // Given once, it stays: the next run of the same probe does not start at all.
        assertEquals(Outcome.DEFERRED_ACTIVE_CALL,
                IPERF3.run(ProbeSpec.tcp(midDown.address(), midDown.iperfPort(), Direction.UPLINK, 3), stop).outcome());
    }

    @Test
    void aMissingBinaryIsAnErrorNotACrash() {
        Iperf3Runner missing = new Iperf3Runner("/nonexistent/iperf3", Duration.ofSeconds(1), Duration.ofSeconds(1));
        Measurement m = missing.run(ProbeSpec.tcp("127.0.0.1", 5201, Direction.DOWNLINK, 1));
        assertEquals(Outcome.ERROR, m.outcome());
        assertTrue(m.error().startsWith("cannot run iperf3 binary '/nonexistent/iperf3'"), m.error());
        assertTrue(missing.version().isEmpty());
        assertTrue(IPERF3.version().orElseThrow().startsWith("iperf 3."));
    }

    private static List<String> check(Phone phone, long down, long up) {
        List<String> failures = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            if (direction != Direction.DOWNLINK) {
                pauseBetween();
            }
            long truth = direction == Direction.DOWNLINK ? down : up;
            Measurement m = IPERF3.run(ProbeSpec.tcp(phone.address(), phone.iperfPort(), direction, 3));
            if (m.outcome() != Outcome.OK) {
                failures.add(phone.name() + " " + direction + ": " + m.outcome() + " " + m.error());
            } else {
                String line = phone.name() + " " + direction + ": shaped " + truth + ", measured " + m.bitsPerSecond();
                System.out.println(line);
                if (Math.abs(m.bitsPerSecond() - truth) > 0.15 * truth) {
                    failures.add(line);
                }
            }
        }
        return failures;
    }

    /**
     * What the service waits between a probe's attempts ({@code vbo.probe.iperf3.pause-between}): iperf3 -s closes its
     * listening socket after a test and opens it again, and on a loaded machine a test started at once was refused.
     */
    private static void pauseBetween() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path script(Path dir, String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}

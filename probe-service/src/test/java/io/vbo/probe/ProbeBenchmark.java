package io.vbo.probe;

import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.probe.iperf.Iperf3Runner;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name does not match surefire's patterns). Run as root:
 * {@code ./mvnw -q -B -pl probe-service test -Dtest=ProbeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code probe-service/target/probe-benchmark.md}.
 */
class ProbeBenchmark {
    private static final long[] RATES = { 64_000, 128_000, 512_000, 2_000_000, 10_000_000 };
    private static final int[] SECONDS = { 1, 2, 3, 5 };
    private static final int REPEATS = Integer.getInteger("bench.repeats", 2);
    private static final Duration PAUSE = Duration.ofSeconds(1);
    private final Iperf3Runner iperf3 = new Iperf3Runner("iperf3", Duration.ofSeconds(3), Duration.ofSeconds(10));
    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        line("Machine: %d CPUs, load average at start %s", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip());
        Path out = Path.of("target", "probe-benchmark.md");
        accuracy();
        Files.writeString(out, report);
        voice();
        Files.writeString(out, report);
        cycle();
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** TCP error against the shaped rate, both directions, per duration; phones run side by side (own links). */
    private void accuracy() throws Exception {
        line("%n### TCP: error against the shaped rate (%d runs per cell: downlink and uplink × %d)%n", 2 * REPEATS, REPEATS);
        line("| shaped | duration | mean error | worst error | bytes on the link per run (mean) |");
        line("| --- | --- | --- | --- | --- |");
        try (NetnsLab lab = NetnsLab.open()) {
            List<Phone> phones = new ArrayList<>();
            for (long rate : RATES) {
                phones.add(lab.addPhone(rate, rate));
            }
            List<CompletableFuture<List<String>>> rows = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(RATES.length);
            for (int i = 0; i < RATES.length; i++) {
                Phone phone = phones.get(i);
                long rate = RATES[i];
                rows.add(CompletableFuture.supplyAsync(() -> tcpRows(phone, rate), pool));
            }
            for (CompletableFuture<List<String>> row : rows) {
                row.get().forEach(this::raw);
            }
            pool.shutdown();
        }
    }

    private List<String> tcpRows(Phone phone, long rate) {
        List<String> rows = new ArrayList<>();
        for (int seconds : SECONDS) {
            double sumError = 0;
            double worst = 0;
            long bytes = 0;
            int n = 0;
            List<String> failures = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                for (Direction direction : Direction.values()) {
                    Measurement m = iperf3.run(ProbeSpec.tcp(phone.address(), phone.iperfPort(), direction, seconds));
                    pause();
                    if (m.outcome() != Outcome.OK) {
                        failures.add(m.outcome().name());
                        continue;
                    }
                    double error = 100.0 * (m.bitsPerSecond() - rate) / rate;
                    sumError += Math.abs(error);
                    worst = Math.abs(error) > Math.abs(worst) ? error : worst;
                    bytes += m.bytesReceived();
                    n++;
                }
            }
            rows.add(String.format(Locale.ROOT, "| %s | %d s | %.1f %% | %+.1f %% | %s |%s", human(rate), seconds,
                    n == 0 ? Double.NaN : sumError / n, worst, kb(n == 0 ? 0 : bytes / n),
                    failures.isEmpty() ? "" : " failed: " + failures));
        }
        return rows;
    }

    /** The voice profile: what a G.711 call sends (172-byte datagrams, 50/s), per link rate and duration. */
    private void voice() throws Exception {
        line("%n### Voice (UDP, 172-byte datagrams at 50/s = 68.8 kbit/s of payload, ≈ 86 kbit/s on the wire)%n");
        line("| shaped | duration | received rate | loss | jitter | bytes sent per run |");
        line("| --- | --- | --- | --- | --- | --- |");
        try (NetnsLab lab = NetnsLab.open()) {
            ExecutorService pool = Executors.newFixedThreadPool(RATES.length);
            List<CompletableFuture<List<String>>> rows = new ArrayList<>();
            for (long rate : RATES) {
                Phone phone = lab.addPhone(rate, rate);
                rows.add(CompletableFuture.supplyAsync(() -> {
                    List<String> out = new ArrayList<>();
                    for (int seconds : SECONDS) {
                        Measurement m = iperf3.run(ProbeSpec.voice(phone.address(), phone.iperfPort(), Direction.DOWNLINK,
                                seconds, 172, 50));
                        pause();
                        out.add(m.outcome() != Outcome.OK ? "| " + human(rate) + " | " + seconds + " s | " + m.outcome()
                                + " " + m.error() + " | | | |"
                                : String.format(Locale.ROOT, "| %s | %d s | %s | %.1f %% | %.1f ms | %s |", human(rate),
                                        seconds, human(m.bitsPerSecond()), m.lossPercent(), m.jitterMs(),
                                        kb(172L * 50 * seconds)));
                    }
                    return out;
                }, pool));
            }
            for (CompletableFuture<List<String>> row : rows) {
                row.get().forEach(this::raw);
            }
            pool.shutdown();
        }
    }

    /**
     * Full cycle (default profile: TCP 3 s down, 1 s pause, 3 s up, one phone after the other per PBX): 50 phones over
     * 5 PBXs measured for real; 50 phones on one PBX extrapolated from 10 (it is strictly sequential).
     */
    private void cycle() throws Exception {
        line("%n### Full probe cycle, default profile (TCP 3 s down + 3 s up, 1 s pause), phones on 2 Mbit/s / 1 Mbit/s links%n");
        try (NetnsLab lab = NetnsLab.open()) {
            List<Phone> phones = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                phones.add(lab.addPhone(2_000_000, 1_000_000));
            }
            long start = System.nanoTime();
            int failures = sequence(phones.subList(0, 10));
            double onePbx10 = (System.nanoTime() - start) / 1e9;
            line("- one PBX (per-PBX limit 1), 10 phones measured: %.1f s (%.2f s per phone, %d failed) → 50 phones ≈ %.0f s",
                    onePbx10, onePbx10 / 10, failures, onePbx10 * 5);

            ExecutorService pool = Executors.newFixedThreadPool(5);
            start = System.nanoTime();
            List<CompletableFuture<Integer>> sites = new ArrayList<>();
            for (int pbx = 0; pbx < 5; pbx++) {
                List<Phone> mine = phones.subList(pbx * 10, pbx * 10 + 10);
                sites.add(CompletableFuture.supplyAsync(() -> sequence(mine), pool));
            }
            int failed = 0;
            for (CompletableFuture<Integer> site : sites) {
                failed += site.get();
            }
            double fivePbx = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            line("- 5 PBXs × 10 phones (per-PBX limit 1, max-parallel 5), 50 phones measured: %.1f s (%d attempts failed)",
                    fivePbx, failed);
        }
    }

    private int sequence(List<Phone> phones) {
        int failures = 0;
        for (Phone phone : phones) {
            for (Direction direction : Direction.values()) {
                Measurement m = iperf3.run(ProbeSpec.tcp(phone.address(), phone.iperfPort(), direction, 3));
                failures += m.outcome() == Outcome.OK ? 0 : 1;
                if (direction == Direction.DOWNLINK) {
                    pause();
                }
            }
        }
        return failures;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void raw(String text) {
        report.append(text).append('\n');
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String human(long bps) {
        return bps >= 1_000_000 ? String.format(Locale.ROOT, "%.2f Mbit/s", bps / 1e6)
                : String.format(Locale.ROOT, "%.1f kbit/s", bps / 1e3);
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1000.0);
    }
}

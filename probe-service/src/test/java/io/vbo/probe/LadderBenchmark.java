package io.vbo.probe;

import io.vbo.events.CodecProfiles;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Step;
import io.vbo.events.VoiceLadder;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import io.vbo.probe.iperf.EchoWatch;
import io.vbo.probe.iperf.Iperf3Runner;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.probe.iperf.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name does not match surefire's patterns). Run as root:
 * {@code ./mvnw -q -B -pl probe-service -am verify -Dtest=LadderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Ladder (K = 1, default limits, both directions at once) against TCP 3 s each way on every shaped rate, one phone
 * per rate, all rates at once (each its own link): the tier each decides (against the truth of
 * {@code LadderDecisionTest}), bytes on the link, seconds either direction was above 80 % busy, ping p95 to the phone
 * during the probe, wall time; and five checks of the rung found (1 s both ways, 2 s apart), as run between ladders. Writes
 * {@code probe-service/target/ladder-benchmark.md}.
 */
class LadderBenchmark {
    private static final long[] RATES = { 24_000, 32_000, 40_000, 48_000, 64_000, 100_000, 150_000, 500_000, 2_000_000 };
    /** {@code LadderDecisionTest}'s truth for K = 1, per rate. */
    private static final String[] TRUTH = { "none", "g729", "gsm", "gsm", "g726", "alaw/g722/ulaw", "alaw/g722/ulaw",
        "alaw/g722/ulaw", "alaw/g722/ulaw" };
    private static final List<VoiceLadder.Rung> RUNGS = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
    private static final int CHECKS = 5;
    private final Iperf3Runner iperf3 = new Iperf3Runner("iperf3", Duration.ofSeconds(3), Duration.ofSeconds(30));
    private final LadderProbe ladder = new LadderProbe(iperf3, RUNGS, 1, new LadderProbe.Limits(2.0, 30, 100),
            Duration.ofMillis(200), 8, 2, Duration.ofSeconds(3), EchoWatch.reachability(Duration.ofMillis(100), 20, 18));

    private record Row(String tier, boolean right, long bytes, int busy, double p95, double seconds) {
    }

    @Test
    void run() throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine: %d CPUs, load average at start %s%n%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip()));
        out.append("| shaped | idle p95 | ladder tier | right | bytes | s > 80 % | ping p95 | wall | checks carried "
                + "| check bytes | check ping p95 | TCP tier | right | bytes | s > 80 % | ping p95 | wall |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        ExecutorService pool = Executors.newFixedThreadPool(RATES.length);
        try (NetnsLab lab = NetnsLab.open()) {
            List<CompletableFuture<String>> rows = new ArrayList<>();
            for (int i = 0; i < RATES.length; i++) {
                Phone phone = lab.addPhone(RATES[i], RATES[i]);
                long rate = RATES[i];
                String truth = TRUTH[i];
                rows.add(CompletableFuture.supplyAsync(() -> row(phone, rate, truth), pool));
            }
            for (CompletableFuture<String> row : rows) {
                out.append(row.get()).append('\n');
            }
        } finally {
            pool.shutdownNow();
        }
        Files.writeString(Path.of("target", "ladder-benchmark.md"), out);
        System.out.println(out);
    }

    private String row(Phone phone, long rate, String truth) {
        try {
            LinkMonitor idleWatch = LinkMonitor.start(phone, rate, rate);
            Thread.sleep(3000);
            double idle = idleWatch.stop().p95();
            Row l = watch(phone, rate, () -> {
                String tier = "none";
                Map<Direction, Measurement> both = ladder.runBoth(ProbeSpec.ladder(phone.address(),
                        phone.iperfPort(), Direction.DOWNLINK, 2, ladder.calls()), new StopSignal());
                for (Direction d : Direction.values()) {
                    Measurement m = both.get(d);
                    if (m.outcome() != Outcome.OK) {
                        return m.outcome().name();
                    }
                    List<Step> passed = m.ladder().passed();
                    String top = passed.isEmpty() ? "none" : String.join("/", passed.get(passed.size() - 1).codecs());
                    tier = d == Direction.DOWNLINK || lower(top, tier) ? top : tier;
                }
                return tier;
            }, truth);
            Thread.sleep(2000);
            // What runs between ladders: five checks of the rung found (1 s, both ways), 2 s apart.
            int rung = index(l.tier);
            Row c = rung < 0 ? null : watch(phone, rate, () -> {
                int carried = 0;
                for (int i = 0; i < CHECKS; i++) {
                    LadderProbe.Check check = ladder.check(ProbeSpec.ladder(phone.address(), phone.iperfPort(),
                            Direction.DOWNLINK, 1, ladder.calls()), RUNGS.get(rung), new StopSignal());
                    carried += check.carried() ? 1 : 0;
                    Thread.sleep(2000);
                }
                return carried + "/" + CHECKS;
            }, CHECKS + "/" + CHECKS);
            Thread.sleep(2000);
            Row t = watch(phone, rate, () -> {
                long min = Long.MAX_VALUE;
                for (Direction d : Direction.values()) {
                    Measurement m = iperf3.run(ProbeSpec.tcp(phone.address(), phone.iperfPort(), d, 3));
                    if (m.outcome() != Outcome.OK) {
                        return m.outcome().name();
                    }
                    min = Math.min(min, m.bitsPerSecond());
                    Thread.sleep(1000);
                }
                return tcpTier(min);
            }, truth);
            String checks = c == null ? "— | — | —" : String.format(Locale.ROOT, "%s | %s | %.1f ms", c.tier,
                    kb(c.bytes), c.p95);
            return String.format(Locale.ROOT, "| %s | %.1f ms | %s | %s | %s | %d | %.1f ms | %.1f s | %s | %s | %s | %s "
                    + "| %d | %.1f ms | %.1f s |", human(rate), idle, l.tier, l.right ? "yes" : "**no**", kb(l.bytes),
                    l.busy, l.p95, l.seconds, checks, t.tier, t.right ? "yes" : "**no**", kb(t.bytes), t.busy, t.p95,
                    t.seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "| " + human(rate) + " | interrupted |";
        }
    }

    private interface Probe {
        String run() throws InterruptedException;
    }

    private static Row watch(Phone phone, long rate, Probe probe, String truth) throws InterruptedException {
        LinkMonitor watch = LinkMonitor.start(phone, rate, rate);
        long start = System.nanoTime();
        String tier = probe.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        LinkMonitor.Report seen = watch.stop();
        return new Row(tier, tier.equals(truth), seen.bytes(), seen.secondsAbove80Percent(), seen.p95(), seconds);
    }

    /** Whether rung {@code a} is below rung {@code b} ("none" is below every rung). */
    private static boolean lower(String a, String b) {
        return index(a) < index(b);
    }

    private static int index(String codecs) {
        for (int i = 0; i < RUNGS.size(); i++) {
            if (String.join("/", RUNGS.get(i).codecs()).equals(codecs)) {
                return i;
            }
        }
        return -1;
    }

    /** The highest rung whose need (wire with 18 layer-2 bytes ÷ 0.8, as policy's default) the TCP estimate reaches. */
    private static String tcpTier(long estimate) {
        String tier = "none";
        for (VoiceLadder.Rung rung : RUNGS) {
            if (Math.ceil(rung.wireBps(18, 1) / 0.8 - 1e-6) <= estimate) {
                tier = String.join("/", rung.codecs());
            }
        }
        return tier;
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1000.0);
    }

    private static String human(long bps) {
        return bps >= 1_000_000 ? bps / 1_000_000 + " Mbit/s" : bps / 1000 + " kbit/s";
    }
}

package io.vbo.probe.iperf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vbo.events.CodecProfiles;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Step;
import io.vbo.events.VoiceLadder;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Decision-exact: the ladder's highest passing step on links shaped with tbf (real iperf3, needs root) matches the
 * highest rung a constant-rate 10 s UDP stream of that rung's packets passes.
 * <p>
 * The truth below was measured once on these links (lab tbf, K = 1 and 2, both directions) with {@code iperf3 -u
 * -t 10} per rung, ascending: a rung passes when the receiver lost < 1 % and finished receiving less than 100 ms
 * after the sender stopped. Loss alone is not the criterion: the lab's queue (≈ 6 kB on thin links) absorbed iLBC's
 * 15 % overload of a 24 kbit/s link for all 10 s without a loss but with 1.4 s of queue, and with {@code -R} the same
 * stream read 10 % loss (the receiver stops at {@code -t} with that queue unreceived): without the drain the truth
 * differed between the two directions of one symmetric link. With the drain both directions agree on every link.
 */
class LadderDecisionTest {
    private static final Iperf3Runner IPERF3 = new Iperf3Runner("iperf3", Duration.ofSeconds(3), Duration.ofSeconds(10));
    private static final List<VoiceLadder.Rung> RUNGS = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
    /** The defaults of {@code vbo.probe.ladder.*}. */
    private static final LadderProbe.Limits LIMITS = new LadderProbe.Limits(2.0, 30, 100);
    private static final String NONE = "none";
    private static final String G711 = "alaw/g722/ulaw";

    /** Link rate (down = up) → highest passing rung for K = 1 and K = 2, as measured with 10 s streams. */
    private static final Map<Long, List<String>> TRUTH = new LinkedHashMap<>();

    static {
        TRUTH.put(24_000L, List.of(NONE, NONE));
        TRUTH.put(32_000L, List.of("g729", NONE));
        TRUTH.put(40_000L, List.of("gsm", NONE));
        TRUTH.put(48_000L, List.of("gsm", NONE));
        TRUTH.put(64_000L, List.of("g726", "g729"));
        TRUTH.put(100_000L, List.of(G711, "gsm"));
        TRUTH.put(150_000L, List.of(G711, "opus"));
        TRUTH.put(500_000L, List.of(G711, G711));
        TRUTH.put(2_000_000L, List.of(G711, G711));
    }

    @Test
    void theHighestPassingStepIsTheTruthOnEveryLinkBothDirectionsAtKOneAndTwo() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, CompletableFuture<String>> actual = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(2 * (TRUTH.size() + 1));
        try (NetnsLab lab = NetnsLab.open()) {
            // One phone per link and K, all at once: each link is its own veth pair and qdisc, the streams are kbit/s.
            for (Map.Entry<Long, List<String>> e : TRUTH.entrySet()) {
                for (int k = 1; k <= 2; k++) {
                    for (Direction d : Direction.values()) {
                        expected.put(e.getKey() + " K=" + k + " " + d, e.getValue().get(k - 1));
                    }
                    actual.putAll(ladders(pool, e.getKey() + "", k, lab.addPhone(e.getKey(), e.getKey())));
                }
            }
            // 500k down / 64k up: each direction as its own link; the worse (the uplink) is the decision policy takes.
            expected.put("500k/64k K=1 DOWNLINK", G711);
            expected.put("500k/64k K=1 UPLINK", "g726");
            expected.put("500k/64k K=2 DOWNLINK", G711);
            expected.put("500k/64k K=2 UPLINK", "g729");
            for (int k = 1; k <= 2; k++) {
                actual.putAll(ladders(pool, "500k/64k", k, lab.addPhone(500_000, 64_000)));
            }
            Map<String, String> got = new LinkedHashMap<>();
            for (String key : expected.keySet()) {
                got.put(key, actual.get(key).get());
            }
            assertEquals(expected, got);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Both directions at once at K calls, as the service runs them ({@code vbo.probe.ladder.both-directions}). */
    private static Map<String, CompletableFuture<String>> ladders(ExecutorService pool, String name, int k,
            Phone phone) {
        LadderProbe ladder = new LadderProbe(IPERF3, RUNGS, k, LIMITS, Duration.ofMillis(200), 8, 2,
                Duration.ofSeconds(3), EchoWatch.reachability(Duration.ofMillis(100), 20, 18));
        CompletableFuture<List<String>> all = CompletableFuture.supplyAsync(() -> {
            Map<Direction, Measurement> both = ladder.runBoth(ProbeSpec.ladder(phone.address(), phone.iperfPort(),
                    Direction.DOWNLINK, 2, k), new StopSignal());
            List<String> tops = new ArrayList<>();
            for (Direction d : Direction.values()) {
                tops.add(top(name + " K=" + k + " " + d + " (" + phone.address() + ")", both.get(d)));
            }
            return tops;
        }, pool);
        Map<String, CompletableFuture<String>> out = new LinkedHashMap<>();
        Direction[] directions = Direction.values();
        for (int i = 0; i < directions.length; i++) {
            int index = i;
            out.put(name + " K=" + k + " " + directions[i], all.thenApply(tops -> tops.get(index)));
        }
        return out;
    }

    /** The highest passing rung's codecs, or what went wrong (so a failure shows every step's figures). */
    private static String top(String run, Measurement m) {
        if (m.outcome() != Outcome.OK) {
            return m.outcome() + ": " + m.error();
        }
        List<Step> passed = m.ladder().passed();
        String top = passed.isEmpty() ? NONE : String.join("/", passed.get(passed.size() - 1).codecs());
        StringBuilder steps = new StringBuilder();
        for (Step s : m.ladder().steps()) {
            steps.append(String.format(" %s %ds %s(loss %.1f, jitter %.1f, growth %.0f)", String.join("/", s.codecs()),
                    s.seconds(), s.passed() ? "" : "FAIL", s.lossPercent(), s.jitterMs(), s.delayGrowthMs()));
        }
        System.out.println(run + ": ladder → " + top + ":" + steps);
        return top;
    }
}

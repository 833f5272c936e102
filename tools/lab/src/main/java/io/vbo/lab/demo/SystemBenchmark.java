package io.vbo.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code vbo demo bench [--phones 50] [--reshapes 3]}: numbers for docs/benchmarks.md, on the same lab as the
 * end-to-end test. Measures each packaged service's start (started one at a time) and RSS, the full first cycle for
 * N namespace phones (every phone probed both ways, decided, written and reloaded), and the time from a link
 * reshape (2 Mbit/s → 40 kbit/s) to the new codecs applied.
 */
final class SystemBenchmark {
    private static final long[] RATES = { 40_000, 150_000, 2_000_000 };
    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    private SystemBenchmark() {
    }

    static void run(int phoneCount, int reshapes, Duration interval) throws Exception {
        List<Lab.PhoneSpec> phones = new ArrayList<>();
        for (int i = 0; i < phoneCount; i++) {
            phones.add(new Lab.PhoneSpec(Integer.toString(1001 + i), RATES[i % RATES.length]));
        }
        Instant begin = Instant.now();
        try (Lab lab = Lab.start(new Lab.Settings(phones, interval, 3, 2, true), line -> System.out.println("bench: " + line))) {
            Instant ready = Instant.now();
            System.out.printf(Locale.ROOT, "bench: lab up in %d ms (broker, database, %d phones, 4 services one by one)%n",
                    Duration.between(begin, ready).toMillis(), phoneCount);
            awaitAllApplied(lab, phones, Duration.ofMinutes(30));
            Duration cycle = Duration.between(ready, Instant.now());
            Metrics writer = new Metrics(lab.service("config-writer-service").get("/q/metrics", null));
            Metrics probe = new Metrics(lab.service("probe-service").get("/q/metrics", null));
            System.out.printf(Locale.ROOT, "RESULT full-cycle phones=%d cycle_ms=%d probes=%.0f batches=%.0f reloads=%.0f "
                    + "changes=%.0f max_batch=%.0f%n", phoneCount, cycle.toMillis(), probe.sum("vbo_probe_runs_total"),
                    writer.sum("vbo_writer_batch_size_count"), writer.sum("vbo_writer_reloads_total"),
                    writer.sum("vbo_writer_batch_size_sum"), writer.sum("vbo_writer_batch_size_max"));
            for (ServiceProcess service : lab.services().values()) {
                System.out.printf(Locale.ROOT, "RESULT service=%s ready_ms=%d quarkus_started_s=%s rss_mib=%.0f%n",
                        service.name(), service.startTime().toMillis(), quarkusStarted(service.log()),
                        service.rssBytes() / 1048576.0);
            }
            String fast = phones.stream().filter(p -> p.bps() == 2_000_000).findFirst().orElseThrow().endpoint();
            for (int i = 0; i < reshapes; i++) {
                long down = reshapeUntilApplied(lab, fast, 40_000, "no-codec-fits", interval);
                System.out.printf(Locale.ROOT, "RESULT reshape endpoint=%s 2mbit->40kbit applied_ms=%d%n", fast, down);
                long up = reshapeUntilApplied(lab, fast, 2_000_000, "218.0k", interval);
                System.out.printf(Locale.ROOT, "RESULT reshape endpoint=%s 40kbit->2mbit applied_ms=%d%n", fast, up);
            }
        }
    }

    private static void awaitAllApplied(Lab lab, List<Lab.PhoneSpec> phones, Duration timeout) {
        AtomicInteger last = new AtomicInteger(-1);
        Awaitility.await("every phone applied").atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int applied = (int) phones.stream().filter(p -> lastAppliedTier(lab, p.endpoint()) != null).count();
            if (last.getAndSet(applied) != applied) {
                System.out.printf("bench: %d/%d phones applied%n", applied, phones.size());
            }
            return applied == phones.size();
        });
    }

    private static long reshapeUntilApplied(Lab lab, String endpoint, long bps, String tier, Duration interval) {
        // Reshape between two probes of the phone: a fast uplink test caught by a drop to 40 kbit/s stalls for minutes.
        try {
            Awaitility.await().atMost(interval.multipliedBy(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> bothDirectionsMeasured(lab, endpoint));
        } catch (ConditionTimeoutException e) {
            System.out.printf("bench: %s not measured both ways yet; reshaping anyway%n", endpoint);
        }
        Instant reshaped = Instant.now();
        lab.reshape(endpoint, bps);
        Awaitility.await(endpoint + " reaches " + tier + " after reshape")
                .atMost(interval.multipliedBy(6).plusSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> tier.equals(lastAppliedTier(lab, endpoint)));
        return Duration.between(reshaped, Instant.now()).toMillis();
    }

    private static boolean bothDirectionsMeasured(Lab lab, String endpoint) {
        try {
            JsonNode view = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint);
            return view.path("downlinkBps").isNumber() && view.path("uplinkBps").isNumber();
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** The tier of the endpoint's latest decision if the writer reported it applied, else null. */
    private static String lastAppliedTier(Lab lab, String endpoint) {
        try {
            JsonNode latest = lab.latestDecision(endpoint);
            return "APPLIED".equals(latest.path("appliedStatus").asText()) ? latest.path("tier").asText() : null;
        } catch (RuntimeException notYet) {
            return null;
        }
    }

    private static String quarkusStarted(Path log) {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? m.group(1) : "?";
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}

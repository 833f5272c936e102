package io.vbo.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.vbo.lab.FixtureDirs;
import io.vbo.lab.ProjectRoot;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Rates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code vbo demo}: the end-to-end lab for someone without an Asterisk, with a live table.
 *
 * <pre>
 *   vbo demo [--phones 40k,150k,2m] [--interval 20]   start, print the table until Ctrl-C (which removes everything)
 *   vbo demo reshape 1003 40k                         from another terminal: change a phone's link, watch the table
 *   vbo demo --down                                   stop a running demo and remove every namespace and process it made
 *   vbo demo bench [--phones 50] [--reshapes 3]       the numbers of docs/benchmarks.md
 * </pre>
 */
public final class Demo {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        if (arguments.contains("--down")) {
            down();
        } else if (!arguments.isEmpty() && arguments.get(0).equals("bench")) {
            SystemBenchmark.run(Integer.parseInt(option(arguments, "--phones", "50")),
                    Integer.parseInt(option(arguments, "--reshapes", "3")),
                    Duration.ofSeconds(Integer.parseInt(option(arguments, "--interval", "20"))));
        } else if (!arguments.isEmpty() && arguments.get(0).equals("reshape")) {
            if (arguments.size() != 3) {
                usage();
            }
            reshape(arguments.get(1), Rates.parse(arguments.get(2)));
        } else if (arguments.contains("-h") || arguments.contains("--help")) {
            usage();
        } else {
            run(option(arguments, "--phones", "40k,150k,2m"), Integer.parseInt(option(arguments, "--interval", "20")));
        }
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    private static void usage() {
        System.err.println("""
                usage: vbo demo [--phones 40k,150k,2m] [--interval SECONDS]
                       vbo demo reshape ENDPOINT RATE     (e.g. vbo demo reshape 1003 40k)
                       vbo demo --down
                       vbo demo bench [--phones 50] [--reshapes 3] [--interval SECONDS]""");
        System.exit(2);
    }

    private static Path stateDir() {
        return ProjectRoot.work("demo");
    }

    private static void run(String phoneRates, int intervalSeconds) throws Exception {
        Path state = stateDir();
        Path pidFile = state.resolve("demo.pid");
        if (FixtureDirs.recordedProcess(pidFile, Demo.class.getName()).isPresent()) {
            System.err.println("a demo already runs (pid " + Files.readString(pidFile).strip()
                    + "); stop it with: vbo demo --down");
            System.exit(1);
        }
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        List<Lab.PhoneSpec> phones = new ArrayList<>();
        int n = 1;
        for (String rate : phoneRates.split(",")) {
            phones.add(new Lab.PhoneSpec(Integer.toString(1000 + n++), Rates.parse(rate)));
        }
        Lab lab = Lab.start(new Lab.Settings(phones, Duration.ofSeconds(intervalSeconds), 3, 2),
                line -> System.out.println("demo: " + line));
        Files.writeString(state.resolve("netns"), lab.netnsStateDir().toString());
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch tableDone = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            awaitQuietly(tableDone);
            System.out.println("\ndemo: stopping and removing everything it made");
            lab.close();
            // No state left for `reshape` or `--down` to find.
            FixtureDirs.delete(state.resolve("netns"));
            FixtureDirs.delete(pidFile);
        }, "demo-stop"));
        String policy = lab.service("policy-service").baseUrl();
        List<String> header = List.of(
                "VBO demo — " + phones.size() + " phones behind shaped links, the AMI test server standing in for Asterisk",
                "REST (user " + Lab.VIEWER + ", password " + Lab.VIEWER_PASSWORD + "):  " + policy + "/api/v1/endpoints"
                        + "   " + policy + "/api/v1/endpoints/" + Lab.PBX + "/1001/decisions   " + policy + "/q/swagger-ui",
                "Metrics: " + String.join("  ", lab.services().values().stream().map(s -> s.baseUrl() + "/q/metrics").toList()),
                "Asterisk config: " + lab.endpointsFile() + "   Logs: " + lab.dir(),
                "Policy: expected-concurrent-calls=2, so high (G.711 first) needs ≈ 218 kbit/s and medium (G.729 first) ≈ 78 kbit/s",
                "Try: vbo demo reshape 1003 40k  (another terminal) — the downgrade shows after two probes.  Ctrl-C stops.");
        try {
            do {
                StringBuilder screen = new StringBuilder("\033[H\033[2J");
                header.forEach(line -> screen.append(line).append('\n'));
                screen.append('\n').append(table(lab));
                System.out.print(screen);
                System.out.flush();
            } while (!stopping.await(2, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            tableDone.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String table(Lab lab) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-6s %-12s %9s %11s %11s %-7s %-9s %-36s %s%n",
                "phone", "address", "link", "down kb/s", "up kb/s", "tier", "applied", "codecs in pjsip_endpoints.conf", "when"));
        lab.phones().forEach((endpoint, phone) -> {
            String down = "-";
            String up = "-";
            String tier = "-";
            String applied = "-";
            String when = "-";
            try {
                JsonNode view = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint);
                down = kbit(view.path("downlinkBps"));
                up = kbit(view.path("uplinkBps"));
                tier = view.path("tier").asText("-");
                JsonNode latest = lab.latestDecision(endpoint);
                if (!latest.isMissingNode()) {
                    applied = latest.path("appliedStatus").asText("pending");
                    String at = latest.path("appliedAt").asText(null);
                    when = at == null || at.equals("null") ? "-" : TIME.format(Instant.parse(at));
                }
            } catch (RuntimeException notMeasuredYet) {
                tier = "(probing)";
            }
            out.append(String.format(Locale.ROOT, "%-6s %-12s %9s %11s %11s %-7s %-9s %-36s %s%n", endpoint,
                    phone.address(), lab.linkRate(endpoint), down, up, tier, applied,
                    String.join(",", PjsipEndpoints.allowed(lab.endpointsFile(), endpoint)), when));
        });
        return out.toString();
    }

    private static String kbit(JsonNode bps) {
        return bps.isNumber() ? String.format(Locale.ROOT, "%.1f", bps.asDouble() / 1000) : "-";
    }

    private static void reshape(String endpoint, long bps) throws IOException {
        Path netnsFile = stateDir().resolve("netns");
        if (!Files.exists(netnsFile)) {
            System.err.println("no demo is running (start one with: vbo demo)");
            System.exit(1);
        }
        NetnsLab lab = NetnsLab.attach(Path.of(Files.readString(netnsFile).strip()));
        int index = Integer.parseInt(endpoint) - 1000;
        lab.reshape(lab.phone("phone" + index), bps, bps);
        System.out.println("demo: " + endpoint + " reshaped to " + bps + " bit/s both ways");
    }

    /**
     * Stops a running demo (its shutdown hook removes what it made), then removes whatever a killed demo left:
     * every fixture folder under .vbo/ whose recorded owner is the demo's PID.
     */
    private static void down() throws IOException, InterruptedException {
        Path state = stateDir();
        Path pidFile = state.resolve("demo.pid");
        long demoPid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        FixtureDirs.recordedProcess(pidFile, Demo.class.getName()).ifPresent(demo -> {
            System.out.println("demo: stopping the running demo (pid " + demo.pid() + ")");
            demo.destroy();
            demo.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
        });
        if (demoPid > 0) {
            Path work = ProjectRoot.get().resolve(".vbo");
            for (String kind : List.of("e2e", "netns", "test-brokers", "test-postgres")) {
                for (Path dir : ownedBy(work.resolve(kind), demoPid)) {
                    System.out.println("demo: removing " + dir);
                    switch (kind) {
                        case "e2e" -> Lab.stopLeftovers(dir);
                        case "netns" -> NetnsLab.down(dir);
                        case "test-brokers" -> stopBroker(dir);
                        default -> stopPostgres(dir);
                    }
                    FixtureDirs.delete(dir);
                }
            }
        }
        Files.deleteIfExists(state.resolve("netns"));
        Files.deleteIfExists(pidFile);
        System.out.println("demo: nothing of the demo is left running");
    }

    private static List<Path> ownedBy(Path base, long pid) throws IOException {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.filter(dir -> {
                try {
                    return Files.readString(dir.resolve("owner.pid")).strip().equals(Long.toString(pid));
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    private static void stopBroker(Path dir) {
        ProcessBuilder builder = new ProcessBuilder(ProjectRoot.get().resolve("bin/kafka").toString(), "stop")
                .inheritIO();
        builder.environment().put("KAFKA_DIR", dir.toString());
        try {
            builder.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopPostgres(Path dir) {
        Path data = dir.resolve("data");
        FixtureDirs.recordedProcess(data.resolve("postmaster.pid"), data.toString()).ifPresent(process -> {
            process.destroy();
            process.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
        });
    }
}

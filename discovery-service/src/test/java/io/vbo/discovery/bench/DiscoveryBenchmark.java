package io.vbo.discovery.bench;

import io.vbo.lab.Processes;
import io.vbo.lab.FreePorts;
import io.vbo.lab.KafkaBroker;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.ami.AmiContact;
import io.vbo.lab.ami.AmiTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * One packaged discovery-service process against 50 AMI test servers × 200 contacts on loopback, with a real broker.
 * Not part of the normal test run (its name does not match surefire's patterns); run it with
 * {@code bin/bench/discovery-service.sh}, which packages the service first. Prints a Markdown table.
 */
class DiscoveryBenchmark {
    private static final int PBXS = Integer.getInteger("bench.pbxs", 50);
    private static final int CONTACTS = Integer.getInteger("bench.contacts", 200);
    private static final int CYCLES = Integer.getInteger("bench.cycles", 3);
    private static final Duration INTERVAL = Duration.ofSeconds(Long.getLong("bench.interval.seconds", 10));
    private static final String JVM_OPTIONS = System.getProperty("bench.jvm", "");

    @Test
    void fiftyPbxsOfTwoHundredContacts() throws Exception {
        Path jar = ServiceProcess.jar("bin/bench/discovery-service.sh");
        Path work = Files.createDirectories(Path.of("target/bench").toAbsolutePath());
        List<AmiTestServer> servers = new ArrayList<>();
        Process service = null;
        try (KafkaBroker broker = KafkaBroker.start()) {
            Files.writeString(work.resolve("secret"), "vbo-secret\n");
            int httpPort = FreePorts.next();
            List<String> command = ServiceProcess.java(JVM_OPTIONS);
            command.addAll(List.of("-Dkafka.bootstrap.servers=" + broker.bootstrapServers(), "-Dquarkus.http.port=" + httpPort,
                    "-Dvbo.discovery.interval=" + INTERVAL.toSeconds() + "s"));
            for (int p = 0; p < PBXS; p++) {
                AmiTestServer server = AmiTestServer.start();
                List<AmiContact> contacts = new ArrayList<>();
                for (int c = 0; c < CONTACTS; c++) {
                    contacts.add(AmiContact.generated(Integer.toString(10_000 + c), "10.231." + (p + 1) + "." + (c + 2), 5060));
                }
                server.setContacts(contacts);
                servers.add(server);
                String prefix = "-Dvbo.discovery.pbx[" + p + "].";
                command.add(prefix + "id=pbx-" + p);
                command.add(prefix + "port=" + server.port());
                command.add(prefix + "secret-file=" + work.resolve("secret"));
            }
            command.addAll(List.of("-jar", jar.toString()));
            Instant launched = Instant.now();
            service = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("service.log").toFile()).start();
            ServiceProcess.awaitReady(httpPort, service, work.resolve("service.log"));
            Duration startup = Duration.between(launched, Instant.now());

            int perCycle = PBXS * CONTACTS;
            try (KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
                    KafkaTestClient.Reader reader = client.reader("vbo.endpoints")) {
                // Warm-up: the listing right after connecting and the first scheduled one (JIT, topic creation).
                reader.await(perCycle * 2, r -> r.value().contains("\"EndpointObserved\""), Duration.ofMinutes(3));
                String metricsBefore = get(httpPort, "/q/metrics");
                long windowStart = System.currentTimeMillis();
                List<Long> timestamps = reader.drain(INTERVAL.multipliedBy(CYCLES).plusSeconds(2)).stream()
                        .filter(r -> r.timestamp() >= windowStart && r.value().contains("\"EndpointObserved\""))
                        .map(ConsumerRecord::timestamp).sorted().toList();
                String metricsAfter = get(httpPort, "/q/metrics");
                List<List<Long>> cycles = split(timestamps);
                long rssKb = ServiceProcess.status(service.pid(), "VmRSS:");
                long hwmKb = ServiceProcess.status(service.pid(), "VmHWM:");
                double listings = sum(metricsAfter, "vbo_discovery_cycle_seconds_count") - sum(metricsBefore, "vbo_discovery_cycle_seconds_count");
                double seconds = sum(metricsAfter, "vbo_discovery_cycle_seconds_sum") - sum(metricsBefore, "vbo_discovery_cycle_seconds_sum");
                StringBuilder table = new StringBuilder();
                table.append(String.format(Locale.ROOT, "Setup: %d PBXs x %d contacts (%d EndpointObserved per cycle), interval %d s, "
                        + "%d cores, Java %s, service JVM options: %s%n%n", PBXS, CONTACTS, perCycle, INTERVAL.toSeconds(),
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), JVM_OPTIONS.isEmpty() ? "(none)" : JVM_OPTIONS));
                table.append("| steady-state cycle | events | publish span (first→last record) | events/s |\n|---|---|---|---|\n");
                for (int i = 0; i < cycles.size(); i++) {
                    List<Long> cycle = cycles.get(i);
                    long span = Math.max(1, cycle.get(cycle.size() - 1) - cycle.get(0));
                    table.append(String.format(Locale.ROOT, "| %d | %d | %d ms | %.0f |%n", i + 1, cycle.size(), span,
                            cycle.size() * 1000.0 / span));
                }
                table.append(String.format(Locale.ROOT, "%nPer-PBX listing time in the window (timer vbo.discovery.cycle: "
                        + "PJSIPShowEndpoints + PJSIPShowContacts + parse + hand to Kafka): mean %.1f ms over %.0f listings%n",
                        listings == 0 ? 0 : 1000 * seconds / listings, listings));
                table.append(String.format(Locale.ROOT, "%nService process: started and ready in %d ms; RSS %d MB at the end, peak %d MB%n",
                        startup.toMillis(), rssKb / 1024, hwmKb / 1024));
                System.out.println(table);
                Files.writeString(work.resolve("discovery-service.md"), table);
            }
        } finally {
            if (service != null) {
                Processes.stop(service.toHandle(), Duration.ofSeconds(15));
            }
            servers.forEach(AmiTestServer::close);
        }
    }

    /** Splits record timestamps into cycles: a gap longer than half the interval starts a new one. */
    private static List<List<Long>> split(List<Long> timestamps) {
        List<List<Long>> cycles = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (long t : timestamps) {
            if (!current.isEmpty() && t - previous > INTERVAL.toMillis() / 2) {
                cycles.add(current);
                current = new ArrayList<>();
            }
            current.add(t);
            previous = t;
        }
        if (!current.isEmpty()) {
            cycles.add(current);
        }
        return cycles;
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double sum(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{")).mapToDouble(DiscoveryBenchmark::value).sum();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}

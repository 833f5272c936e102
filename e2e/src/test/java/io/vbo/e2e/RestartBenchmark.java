package io.vbo.e2e;

import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.Topics;
import io.vbo.lab.Database;
import io.vbo.lab.FixtureDirs;
import io.vbo.lab.FreePorts;
import io.vbo.lab.KafkaBroker;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.ProjectRoot;
import io.vbo.lab.demo.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name matches no surefire or failsafe pattern): how long after a
 * kill -9 the packaged policy-service consumes again, with dynamic and with static group membership
 * ({@code group.instance.id}). Needs the services packaged:
 * {@code ./mvnw -q -B -pl e2e -am verify -Dtest=RestartBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Writes {@code e2e/target/restart-benchmark.md}.
 */
class RestartBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final String VIEWER = "viewer:bench-viewer";

    @Test
    void run() throws Exception {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "| membership | kill -9 → ready (ms) | kill -9 → new results stored (ms) |%n| --- | --- | --- |%n"));
        Path dir = FixtureDirs.create("restart-bench", d -> { });
        try (KafkaBroker broker = KafkaBroker.start(); Database db = Database.start();
                KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(new NewTopic(Topics.PROBE_RESULTS, 3, (short) 1))).all().get();
            }
            for (boolean staticMembership : new boolean[] { false, true }) {
                String mode = staticMembership ? "static" : "dynamic";
                Map<String, String> env = new HashMap<>(Map.of("VBO_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                        "VBO_DB_URL", db.jdbcUrl(), "VBO_DB_USER", db.user(), "VBO_DB_PASSWORD", db.password(),
                        "VBO_POLICY_VIEWER_PASSWORD", "bench-viewer", "VBO_POLICY_ADMIN_PASSWORD", "bench-admin",
                        "MP_MESSAGING_INCOMING_PROBE_RESULTS_GROUP_ID", "bench-" + mode));
                env.put("VBO_KAFKA_GROUP_INSTANCE", staticMembership ? "bench-host" : "");
                int port = FreePorts.next();
                ServiceProcess policy = ServiceProcess.start(ProjectRoot.get(), "policy-service", port, env, dir);
                try {
                    policy.awaitReady(Duration.ofSeconds(120));
                    sendAndAwaitStored(kafka, policy, mode + "-warm");
                    List<long[]> rounds = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        policy.kill();
                        Instant killed = Instant.now();
                        policy = ServiceProcess.start(ProjectRoot.get(), "policy-service", port, env, dir);
                        policy.awaitReady(Duration.ofSeconds(120));
                        long ready = Duration.between(killed, Instant.now()).toMillis();
                        sendAndAwaitStored(kafka, policy, mode + "-" + round);
                        rounds.add(new long[] { ready, Duration.between(killed, Instant.now()).toMillis() });
                    }
                    for (long[] r : rounds) {
                        report.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", mode, r[0], r[1]));
                    }
                } finally {
                    policy.close();
                }
            }
        } finally {
            FixtureDirs.delete(dir);
        }
        Path out = Path.of("target", "restart-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** Six results on keys spread over the partitions; returns when policy-service serves every one. */
    private static void sendAndAwaitStored(KafkaTestClient kafka, ServiceProcess policy, String tag) {
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String endpoint = tag + "-" + i;
            endpoints.add(endpoint);
            ProbeResult result = new ProbeResult(ProbeResult.SCHEMA, UUID.randomUUID(), "bench", endpoint, "10.231.0.2",
                    Direction.DOWNLINK, Protocol.TCP, 1_000_000L, 0, null, null, 1500L, 3000, Outcome.OK, null,
                    Instant.now());
            kafka.send(Topics.PROBE_RESULTS, result.key(), EventJson.toJson(result));
        }
        Awaitility.await(tag + " stored").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    endpoints.forEach(e -> policy.get("/api/v1/endpoints/bench/" + e, VIEWER));
                    return true;
                });
    }
}

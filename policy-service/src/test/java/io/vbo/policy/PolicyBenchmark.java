package io.vbo.policy;

import io.vbo.events.CallQuality;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.Topics;
import io.vbo.lab.Database;
import io.vbo.lab.FreePorts;
import io.vbo.lab.KafkaBroker;
import io.vbo.lab.Processes;
import io.vbo.lab.ProjectRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (surefire only picks *Test classes). It starts a real broker and a
 * real PostgreSQL, fills {@code vbo.probe-results}, starts the packaged service as its own process, and measures:
 * (1) results per second from the topic to stored and decided; (2) the history query of one endpoint in a table of
 * 10 million measurements, through the REST API and as plain SQL.
 *
 * <pre>
 * ./mvnw -q -B -pl policy-service package -DskipTests
 * ./mvnw -q -B -pl policy-service test -Dtest=PolicyBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Sizes: -Dbench.results=400000 -Dbench.endpoints=2000 -Dbench.history=10000000 -Dbench.queries=1000.
 * Results are printed and written to policy-service/target/benchmark.md.
 *
 * <p>{@link #callQualityIngest} (issue 11, {@code -Dtest=PolicyBenchmark#callQualityIngest}): call-quality messages
 * per second from {@code vbo.call-quality} to stored and folded into the endpoints; size -Dbench.calls.events=400000.
 * Written to policy-service/target/benchmark-calls.md.
 */
class PolicyBenchmark {
    private static final int RESULTS = Integer.getInteger("bench.results", 400_000);
    private static final int ENDPOINTS = Integer.getInteger("bench.endpoints", 2_000);
    private static final int HISTORY = Integer.getInteger("bench.history", 10_000_000);
    private static final int HISTORY_ENDPOINTS = 1_000;
    private static final int QUERIES = Integer.getInteger("bench.queries", 1_000);
    /** The packaged jar runs the prod profile, which refuses the shipped passwords. */
    private static final String VIEWER_PASSWORD = "bench-viewer-" + UUID.randomUUID();
    private static final int CALL_EVENTS = Integer.getInteger("bench.calls.events", 400_000);
    /** RTCP reports per call: one every 5 s each way over 30 s. */
    private static final int REPORTS_PER_CALL = 12;

    private final StringBuilder report = new StringBuilder();

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println("[bench] " + line);
        report.append(line).append('\n');
    }

    @Test
    void ingestAndHistory() throws Exception {
        Path jar = ProjectRoot.get().resolve("policy-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first: ./mvnw -q -B -pl policy-service package -DskipTests");
        }
        try (Database db = Database.start(); KafkaBroker broker = KafkaBroker.start()) {
            say("machine: %d cores, %s", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            fill(broker.bootstrapServers());
            int port = FreePorts.next();
            Process app = startService(jar, db, broker.bootstrapServers(), port);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                measureIngest(c);
                generateHistory(c);
                measureHistory(c, port);
            } finally {
                Processes.stop(app.toHandle(), Duration.ofSeconds(30));
            }
        }
        write("benchmark.md");
    }

    private void write(String file) throws IOException {
        Path out = ProjectRoot.get().resolve("policy-service/target/" + file);
        Files.writeString(out, report.toString());
        System.out.println("[bench] written to " + out);
    }

    /**
     * 2,000 endpoints get a ceiling and two TCP results (so their calls fold into decided states); then
     * {@code CALL_EVENTS} call-quality messages: per call 12 RTCP samples and one summary, 1 call in 10 with 8 % loss
     * (bad: some endpoints are downgraded on the way). All on the topics before the service starts.
     */
    @Test
    void callQualityIngest() throws Exception {
        Path jar = ProjectRoot.get().resolve("policy-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first: ./mvnw -q -B -pl policy-service package -DskipTests");
        }
        try (Database db = Database.start(); KafkaBroker broker = KafkaBroker.start()) {
            say("machine: %d cores, %s", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            fillCalls(broker.bootstrapServers());
            Process app = startService(jar, db, broker.bootstrapServers(), FreePorts.next());
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                long first = 0;
                while (true) {
                    long stored = count(c, "select count(*) from pg_tables where tablename = 'call_summary'") == 0 ? 0
                            : count(c, "select (select count(*) from call_sample) + (select count(*) from call_summary)");
                    long now = System.nanoTime();
                    if (stored > 0 && first == 0) {
                        first = now;
                    }
                    if (stored >= CALL_EVENTS) {
                        double seconds = (now - first) / 1e9;
                        say("call-quality ingest: %,d messages (%,d samples, %,d calls) stored in %.1f s after the first "
                                + "row → **%,.0f messages/s**; %,d bad calls, %,d decisions for %,d endpoints",
                                CALL_EVENTS, count(c, "select count(*) from call_sample"),
                                count(c, "select count(*) from call_summary"), seconds, CALL_EVENTS / seconds,
                                count(c, "select count(*) from call_summary where verdict = 'BAD'"),
                                count(c, "select count(*) from decision"), ENDPOINTS);
                        break;
                    }
                    if (now > deadline) {
                        throw new AssertionError("only " + stored + " of " + CALL_EVENTS + " stored after 10 minutes");
                    }
                    Thread.sleep(100);
                }
            } finally {
                Processes.stop(app.toHandle(), Duration.ofSeconds(30));
            }
        }
        write("benchmark-calls.md");
    }

    private void fillCalls(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.PROBE_RESULTS, 3, (short) 1),
                    new NewTopic(Topics.CALL_QUALITY, 3, (short) 1), new NewTopic(Topics.ENDPOINT_CEILINGS, 3, (short) 1)))
                    .all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        Instant t = Instant.now().minus(Duration.ofHours(6));
        long start = System.nanoTime();
        int calls = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int e = 0; e < ENDPOINTS; e++) {
                String pbx = "bench" + (e % 10);
                EndpointCeiling ceiling = new EndpointCeiling(1, pbx, "ep" + e, List.of("ulaw", "alaw", "g722", "gsm"),
                        EndpointCeiling.Source.FILE, t);
                producer.send(new ProducerRecord<>(Topics.ENDPOINT_CEILINGS, ceiling.key(), EventJson.toJson(ceiling)));
                for (Direction d : Direction.values()) {
                    ProbeResult r = new ProbeResult(1, UUID.randomUUID(), pbx, "ep" + e, "10.231.9." + (e % 250 + 1), d,
                            Protocol.TCP, 2_000_000L, 0, null, null, 20_000L, 3050, Outcome.OK, null, t);
                    producer.send(new ProducerRecord<>(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r)));
                }
            }
            int sent = 0;
            while (sent < CALL_EVENTS) {
                int e = calls % ENDPOINTS;
                String pbx = "bench" + (e % 10);
                String uniqueId = (1_796_000_000L + calls) + "." + e;
                String channel = "PJSIP/ep" + e + "-" + String.format(Locale.ROOT, "%08x", calls);
                boolean lossy = calls % 10 == 9;
                Instant begin = t.plusMillis(calls * 10L);
                int reports = Math.min(REPORTS_PER_CALL, CALL_EVENTS - sent - 1);
                for (int i = 0; i < reports; i++) {
                    CallQuality sample = new CallQuality(1, CallQuality.Kind.SAMPLE, pbx, "ep" + e, uniqueId, uniqueId,
                            channel, i + 1, "ulaw", new CallQuality.Sample(i % 2 == 0 ? CallQuality.Direction.RECEIVED
                                    : CallQuality.Direction.SENT, lossy ? 20 : 0, lossy ? 20L * i : 0, 20_000 + 250L * i,
                                    i % 2 == 0 ? 250L * i : null, lossy ? 320 : 16, lossy ? 40.0 : 2.0,
                                    i % 2 == 0 ? (lossy ? 150.0 : 20.0) : null, null),
                            null, begin.plusSeconds(5L * (i / 2 + 1)));
                    producer.send(new ProducerRecord<>(Topics.CALL_QUALITY, sample.key(), EventJson.toJson(sample)));
                }
                CallQuality summary = new CallQuality(1, CallQuality.Kind.SUMMARY, pbx, "ep" + e, uniqueId, uniqueId,
                        channel, reports + 1, "ulaw", null, new CallQuality.Summary(30_000, CallQuality.MediaPath.RTCP,
                                Math.max(1, reports), 3000L, lossy ? 8.0 : 0.2, lossy ? 8.0 : 0.2, lossy ? 8.0 : 0.2,
                                lossy ? 40.0 : 2.0, lossy ? 45.0 : 3.0, lossy ? 150.0 : 20.0, lossy ? 3.559 : 4.394, 16),
                        begin.plusSeconds(31));
                producer.send(new ProducerRecord<>(Topics.CALL_QUALITY, summary.key(), EventJson.toJson(summary)));
                sent += reports + 1;
                calls++;
            }
            producer.flush();
        }
        say("filled %s with %,d messages (%,d calls of %d RTCP samples + 1 summary) for %,d endpoints in %.1f s",
                Topics.CALL_QUALITY, CALL_EVENTS, calls, REPORTS_PER_CALL, ENDPOINTS, (System.nanoTime() - start) / 1e9);
    }

    private void fill(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.PROBE_RESULTS, 3, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        Random random = new Random(42);
        Instant t = Instant.now().minus(Duration.ofDays(1));
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RESULTS; i++) {
                int e = i % ENDPOINTS;
                boolean ok = random.nextInt(100) >= 5;
                long base = 20_000L + (e * 7919L) % 2_000_000;
                ProbeResult r = new ProbeResult(1, UUID.randomUUID(), "bench" + (e % 10), "ep" + e, "10.231.9." + (e % 250 + 1),
                        (i / ENDPOINTS) % 2 == 0 ? Direction.DOWNLINK : Direction.UPLINK, Protocol.TCP,
                        ok ? base + (long) (base * 0.2 * (random.nextDouble() - 0.5)) : null, ok ? 0 : null, null, null, 20_000L, 3050,
                        ok ? Outcome.OK : Outcome.TIMEOUT, ok ? null : "timeout", t.plusMillis(i));
                producer.send(new ProducerRecord<>(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r)));
            }
            producer.flush();
        }
        say("filled %s with %,d results for %,d endpoints in %.1f s", Topics.PROBE_RESULTS, RESULTS, ENDPOINTS,
                (System.nanoTime() - start) / 1e9);
    }

    private Process startService(Path jar, Database db, String bootstrap, int port) throws IOException {
        Path log = ProjectRoot.get().resolve("policy-service/target/benchmark-service.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("VBO_DB_URL", db.jdbcUrl());
        env.put("VBO_DB_USER", db.user());
        env.put("VBO_DB_PASSWORD", db.password());
        env.put("VBO_KAFKA_BOOTSTRAP", bootstrap);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("VBO_POLICY_VIEWER_PASSWORD", VIEWER_PASSWORD);
        env.put("VBO_POLICY_ADMIN_PASSWORD", "bench-admin-" + UUID.randomUUID());
        env.put("QUARKUS_LOG_CATEGORY__IO_VBO_POLICY_SERVICE_DECISIONPUBLISHER__LEVEL", "WARN");
        env.put("QUARKUS_LOG_CATEGORY__IO_VBO_POLICY_LISTENER__LEVEL", "DEBUG");
        say("service log: %s", log);
        return pb.start();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void measureIngest(Connection c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long first = 0;
        while (true) {
            long stored = first == 0 && tableMissing(c) ? 0 : count(c, "select count(*) from measurement");
            long now = System.nanoTime();
            if (stored > 0 && first == 0) {
                first = now;
            }
            if (stored >= RESULTS && count(c, "select count(distinct (pbx_id, endpoint)) from decision") >= ENDPOINTS) {
                double seconds = (now - first) / 1e9;
                say("ingest: %,d results stored and decided in %.1f s after the first row → **%,.0f results/s** "
                        + "(%,d decisions for %,d endpoints)", RESULTS, seconds, RESULTS / seconds,
                        count(c, "select count(*) from decision"), ENDPOINTS);
                return;
            }
            if (now > deadline) {
                throw new AssertionError("only " + stored + " of " + RESULTS + " stored after 10 minutes");
            }
            Thread.sleep(100);
        }
    }

    private static boolean tableMissing(Connection c) throws SQLException {
        return count(c, "select count(*) from pg_tables where tablename = 'measurement'") == 0;
    }

    private void generateHistory(Connection c) throws SQLException {
        long existing = count(c, "select count(*) from measurement");
        long start = System.nanoTime();
        int perEndpoint = HISTORY / HISTORY_ENDPOINTS;
        try (Statement st = c.createStatement()) {
            // Rows interleaved across endpoints in time order, as real probes arrive: one endpoint's history is
            // spread over the whole table, the worst case for reading it.
            st.execute("""
                    insert into measurement (probe_id, pbx_id, endpoint, address, direction, protocol, outcome,
                        bits_per_second, retransmits, duration_ms, started_at)
                    select gen_random_uuid(), 'hist' || mod(e, 10), 'h' || e, '10.231.8.1',
                           case when mod(s, 2) = 0 then 'DOWNLINK' else 'UPLINK' end, 'TCP',
                           case when mod(s * 7 + e, 20) = 0 then 'TIMEOUT' else 'OK' end,
                           case when mod(s * 7 + e, 20) = 0 then null else 30000 + mod(s * 7919 + e * 104729, 200000) end,
                           0, 3050, timestamptz '2026-08-01' + (s * interval '780 seconds') + (e * interval '700 ms')
                    from generate_series(0, ?) as s, generate_series(0, ?) as e
                    """.replace("?", "%d").formatted(perEndpoint - 1, HISTORY_ENDPOINTS - 1));
            st.execute("""
                    insert into endpoint_state (pbx_id, endpoint, status)
                    select 'hist' || mod(e, 10), 'h' || e, 'MEASURED' from generate_series(0, ?) as e
                    on conflict do nothing""".replace("?", "%d").formatted(HISTORY_ENDPOINTS - 1));
            st.execute("vacuum analyze measurement");
        }
        say("history: %,d rows generated with generate_series in %.0f s; table now %,d rows, %s on disk",
                HISTORY, (System.nanoTime() - start) / 1e9, existing + HISTORY,
                text(c, "select pg_size_pretty(pg_total_relation_size('measurement'))"));
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void measureHistory(Connection c, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("viewer:" + VIEWER_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Random random = new Random(7);
        Instant base = Instant.parse("2026-08-01T00:00:00Z");
        int perEndpoint = HISTORY / HISTORY_ENDPOINTS;
        long span = perEndpoint * 780L;
        List<Double> restMs = new ArrayList<>();
        List<Double> rest100Ms = new ArrayList<>();
        List<Double> sqlMs = new ArrayList<>();
        int rows = 0;
        String sql = """
                select probe_id, started_at, direction, protocol, outcome, bits_per_second, retransmits, jitter_ms,
                       loss_percent, rtt_micros, duration_ms, address, error
                from measurement where pbx_id = ? and endpoint = ? and started_at >= ? and started_at < ?
                order by started_at, probe_id limit 1001""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < QUERIES + 100; i++) {
                int e = random.nextInt(HISTORY_ENDPOINTS);
                Instant from = base.plusSeconds((long) (random.nextDouble() * (span - 7 * 86_400)));
                Instant to = from.plus(Duration.ofDays(7));
                URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/endpoints/hist" + (e % 10) + "/h" + e
                        + "/measurements?limit=1000&from=" + from + "&to=" + to);
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                if (response.statusCode() != 200) {
                    throw new AssertionError(uri + " → " + response.statusCode() + " " + response.body());
                }
                URI small = URI.create(uri.toString().replace("limit=1000", "limit=100"));
                long s0 = System.nanoTime();
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(small).header("Authorization", auth)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                long s1 = System.nanoTime();
                if (page.statusCode() != 200) {
                    throw new AssertionError(small + " → " + page.statusCode() + " " + page.body());
                }
                ps.setString(1, "hist" + (e % 10));
                ps.setString(2, "h" + e);
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(to));
                long t2 = System.nanoTime();
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                    }
                }
                long t3 = System.nanoTime();
                if (i >= 100) {
                    restMs.add((t1 - t0) / 1e6);
                    rest100Ms.add((s1 - s0) / 1e6);
                    sqlMs.add((t3 - t2) / 1e6);
                    rows += n;
                }
            }
        }
        say("history query (one endpoint, 7-day window, limit 1000, %,d queries after 100 warm-up, avg %d rows):",
                QUERIES, rows / QUERIES);
        say("| path | p50 ms | p99 ms | max ms |");
        say("| --- | --- | --- | --- |");
        say("| REST GET …/measurements?limit=1000 (JSON, basic auth, client included) | %.2f | %.2f | %.2f |",
                pct(restMs, 50), pct(restMs, 99), pct(restMs, 100));
        say("| REST GET …/measurements?limit=100 (the default page) | %.2f | %.2f | %.2f |",
                pct(rest100Ms, 50), pct(rest100Ms, 99), pct(rest100Ms, 100));
        say("| SQL, limit 1001 (same query over JDBC) | %.2f | %.2f | %.2f |", pct(sqlMs, 50), pct(sqlMs, 99), pct(sqlMs, 100));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("explain (analyze, buffers) "
                + sql.replace("?", "'x'").replaceFirst("'x'", "'hist3'").replaceFirst("'x'", "'h3'")
                        .replaceFirst("'x'", "'2026-09-01'").replaceFirst("'x'", "'2026-09-08'"))) {
            say("plan:");
            while (rs.next()) {
                say("    %s", rs.getString(1));
            }
        }
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}

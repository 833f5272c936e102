package io.vbo.lab.demo;

import io.vbo.lab.Processes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vbo.events.Topics;
import io.vbo.lab.Database;
import io.vbo.lab.FixtureDirs;
import io.vbo.lab.FreePorts;
import io.vbo.lab.KafkaBroker;
import io.vbo.lab.ProjectRoot;
import io.vbo.lab.ami.AmiContact;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.EndpointSettings;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole system on one machine: a real Kafka broker and PostgreSQL, the AMI test server standing in for
 * Asterisk over a real copy of the captured Asterisk config folder, phones in network namespaces behind tc-shaped
 * links running {@code iperf3 -s}, and the four packaged services as separate processes. Used by the end-to-end
 * test, the benchmarks and {@code bin/vbo-demo}. {@link #close()} stops and removes everything it made; a run
 * killed before that is cleaned up by the next one (every part records what it started under {@code .vbo/}).
 */
public final class Lab implements AutoCloseable {
    public static final String PBX = "pbx1";
    static final String AMI_USER = "vbo";
    static final String AMI_SECRET = "vbo-secret";
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "e2e-viewer";
    static final String ADMIN_PASSWORD = "e2e-admin";
    static final List<String> MODULES = List.of("discovery-service", "probe-service", "policy-service",
            "config-writer-service");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One phone: its PJSIP endpoint (= AOR) and the rate its link is shaped to, both ways. */
    public record PhoneSpec(String endpoint, long bps) {
    }

    /**
     * How the lab runs.
     *
     * @param phones                phones to create, in order
     * @param probeInterval         how often probe-service re-probes an endpoint
     * @param probeSeconds          iperf3 test length per direction
     * @param expectedConcurrentCalls policy's calls per link: 2 puts 40 kbit/s, 150 kbit/s and 2 Mbit/s in three
     *                              different tiers
     * @param startServicesOneByOne wait for each service to be ready before starting the next (clean start-time
     *                              figures for benchmarks; otherwise all four start at once)
     */
    public record Settings(List<PhoneSpec> phones, Duration probeInterval, int probeSeconds, int expectedConcurrentCalls,
            boolean startServicesOneByOne) {
        public Settings(List<PhoneSpec> phones, Duration probeInterval, int probeSeconds, int expectedConcurrentCalls) {
            this(phones, probeInterval, probeSeconds, expectedConcurrentCalls, false);
        }
    }

    private final Path root = ProjectRoot.get();
    private final Path dir;
    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Phone> phones = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Settings settings;
    private KafkaBroker broker;
    private Database database;
    private AmiTestServer ami;
    private NetnsLab netns;
    private Path asterisk;

    private Lab(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /** Starts everything; on any failure stops what was started and rethrows. */
    public static Lab start(Settings settings, Consumer<String> progress) {
        Lab lab = new Lab(FixtureDirs.create("e2e", Lab::stopLeftovers), settings);
        try {
            lab.startAll(progress);
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void startAll(Consumer<String> progress) {
        progress.accept("starting Kafka and PostgreSQL");
        CompletableFuture<KafkaBroker> brokerStart = CompletableFuture.supplyAsync(KafkaBroker::start);
        CompletableFuture<Database> databaseStart = CompletableFuture.supplyAsync(Database::start);
        try {
            progress.accept("creating " + settings.phones().size() + " phones in network namespaces");
            netns = NetnsLab.open();
            toClose.add(netns);
            for (PhoneSpec spec : settings.phones()) {
                Phone phone = netns.addPhone(spec.bps(), spec.bps());
                phones.put(spec.endpoint(), phone);
            }
            asterisk = copyAsteriskConfig(dir.resolve("asterisk"), phones.keySet());
            ami = AmiTestServer.start(AmiTestServer.Options.defaults().withCredentials(AMI_USER, AMI_SECRET));
            toClose.add(ami);
            // Asterisk reports the codecs and offer preferences it loaded from the files: the test server reads the same real file.
            ami.endpointSettings(endpoint -> {
                List<String> allowed = PjsipEndpoints.allowed(endpointsFile(), endpoint);
                return allowed.isEmpty() ? null : new EndpointSettings(allowed,
                        PjsipEndpoints.value(endpointsFile(), endpoint, "outgoing_call_offer_pref"),
                        PjsipEndpoints.value(endpointsFile(), endpoint, "incoming_call_offer_pref"));
            });
            ami.setContacts(phones.entrySet().stream()
                    .map(e -> AmiContact.generated(e.getKey(), e.getValue().address(), 5060)).toList());
        } finally {
            broker = join(brokerStart);
            database = join(databaseStart);
        }
        createTopics();
        progress.accept("starting the four packaged services");
        Map<String, Map<String, String>> env = serviceEnvironments();
        for (String module : MODULES) {
            ServiceProcess service = ServiceProcess.start(root, module, FreePorts.next(), env.get(module), dir);
            services.put(module, service);
            if (settings.startServicesOneByOne()) {
                awaitReady(service, progress);
            }
        }
        if (!settings.startServicesOneByOne()) {
            services.values().forEach(service -> awaitReady(service, progress));
        }
    }

    private static void awaitReady(ServiceProcess service, Consumer<String> progress) {
        service.awaitReady(Duration.ofSeconds(120));
        progress.accept(service.name() + " ready on " + service.baseUrl() + " in " + service.startTime().toMillis()
                + " ms");
    }

    private <T extends AutoCloseable> T join(CompletableFuture<T> start) {
        T started = start.join();
        toClose.add(started);
        return started;
    }

    private Map<String, Map<String, String>> serviceEnvironments() {
        String bootstrap = broker.bootstrapServers();
        Map<String, Map<String, String>> env = new HashMap<>();
        env.put("discovery-service", Map.of(
                "VBO_KAFKA_BOOTSTRAP", bootstrap,
                "VBO_DISCOVERY_INTERVAL", "10s",
                "VBO_DISCOVERY_PBX_0__ID", PBX,
                "VBO_DISCOVERY_PBX_0__HOST", "127.0.0.1",
                "VBO_DISCOVERY_PBX_0__PORT", Integer.toString(ami.port()),
                "VBO_DISCOVERY_PBX_0__USERNAME", AMI_USER,
                "VBO_DISCOVERY_PBX_0__SECRET_ENV", "VBO_AMI_SECRET",
                "VBO_AMI_SECRET", AMI_SECRET));
        env.put("probe-service", Map.of(
                "VBO_KAFKA_BOOTSTRAP", bootstrap,
                "VBO_PROBE_PBX_IDS", PBX,
                "VBO_PROBE_INTERVAL", settings.probeInterval().toSeconds() + "s",
                "VBO_PROBE_INTERVAL_SPREAD", "0",
                "VBO_PROBE_IPERF3_TCP_SECONDS", Integer.toString(settings.probeSeconds()),
                // K: the ladder sends for as many calls as policy decides for (one setting, as in compose).
                "VBO_POLICY_EXPECTED_CONCURRENT_CALLS", Integer.toString(settings.expectedConcurrentCalls()),
                "VBO_PROBE_VIEWER_PASSWORD", VIEWER_PASSWORD,
                "VBO_PROBE_ADMIN_PASSWORD", ADMIN_PASSWORD));
        env.put("policy-service", Map.of(
                "VBO_KAFKA_BOOTSTRAP", bootstrap,
                "VBO_DB_URL", database.jdbcUrl(),
                "VBO_DB_USER", database.user(),
                "VBO_DB_PASSWORD", database.password(),
                "VBO_POLICY_EXPECTED_CONCURRENT_CALLS", Integer.toString(settings.expectedConcurrentCalls()),
                "VBO_POLICY_VIEWER_PASSWORD", VIEWER_PASSWORD,
                "VBO_POLICY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        env.put("config-writer-service", Map.of(
                "VBO_KAFKA_BOOTSTRAP", bootstrap,
                "VBO_WRITER_PBX_ID", PBX,
                "VBO_WRITER_CONFIG_DIR", asterisk.toString(),
                "VBO_WRITER_AMI_HOST", "127.0.0.1",
                "VBO_WRITER_AMI_PORT", Integer.toString(ami.port()),
                "VBO_WRITER_AMI_USERNAME", AMI_USER,
                "VBO_WRITER_AMI_SECRET", AMI_SECRET,
                "VBO_WRITER_ADMIN_PASSWORD", ADMIN_PASSWORD));
        return env;
    }

    /** The topics as docker-compose and k8s declare them: decisions compacted. */
    private void createTopics() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : List.of(Topics.ENDPOINTS, Topics.PROBE_RESULTS, Topics.CALL_QUALITY, Topics.CONFIG_APPLIED,
                    Topics.DEAD_LETTER)) {
                topics.add(new NewTopic(topic, 3, (short) 1));
            }
            for (String compacted : List.of(Topics.CODEC_DECISIONS, Topics.PBX_CAPABILITIES, Topics.ENDPOINT_CEILINGS,
                    Topics.SITE_LIMITS)) {
                topics.add(new NewTopic(compacted, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")));
            }
            admin.createTopics(topics).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the VBO topics", e);
        }
    }

    /**
     * A copy of the configuration the Asterisk captures were made with; endpoints beyond 1001–1003 get a section
     * shaped like theirs in each PJSIP file, so a larger lab has a PBX that knows every phone.
     */
    static Path copyAsteriskConfig(Path target, Iterable<String> endpoints) {
        Path source = io.vbo.lab.ami.Transcripts.dir().resolve("config-used");
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Map<String, List<String>> known = PjsipEndpoints.allowed(target.resolve("pjsip_endpoints.conf"));
            StringBuilder endpointSections = new StringBuilder();
            StringBuilder aorSections = new StringBuilder();
            StringBuilder authSections = new StringBuilder();
            for (String endpoint : endpoints) {
                if (known.containsKey(endpoint)) {
                    continue;
                }
                endpointSections.append("[").append(endpoint).append("]\ntype=endpoint\ncontext=from-internal\n")
                        .append("disallow=all\nallow=ulaw,alaw,g722,gsm\naors=").append(endpoint)
                        .append("\nauth=").append(endpoint).append("-auth\n\n");
                aorSections.append("[").append(endpoint).append("]\ntype=aor\nmax_contacts=1\nremove_existing=yes\n")
                        .append("qualify_frequency=15\n\n");
                authSections.append("[").append(endpoint).append("-auth]\ntype=auth\nauth_type=userpass\nusername=")
                        .append(endpoint).append("\npassword=").append(endpoint).append("-lab\n\n");
            }
            append(target.resolve("pjsip_endpoints.conf"), endpointSections);
            append(target.resolve("pjsip_aor.conf"), aorSections);
            append(target.resolve("pjsip_auth.conf"), authSections);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, CharSequence text) throws IOException {
        if (!text.isEmpty()) {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    public Path endpointsFile() {
        return asterisk.resolve("pjsip_endpoints.conf");
    }

    Path dir() {
        return dir;
    }

    public AmiTestServer ami() {
        return ami;
    }

    KafkaBroker broker() {
        return broker;
    }

    Map<String, Phone> phones() {
        return Collections.unmodifiableMap(phones);
    }

    public ServiceProcess service(String module) {
        return services.get(module);
    }

    public Map<String, ServiceProcess> services() {
        return Collections.unmodifiableMap(services);
    }

    /** Reshapes a phone's link both ways, live. */
    public void reshape(String endpoint, long bps) {
        netns.reshape(phones.get(endpoint), bps, bps);
    }

    /** The rate a phone's downlink is shaped to now, as {@code tc} reports it (another process may reshape it). */
    String linkRate(String endpoint) {
        try {
            Process tc = new ProcessBuilder("tc", "qdisc", "show", "dev", phones.get(endpoint).hostDevice())
                    .redirectErrorStream(true).start();
            String out = new String(tc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            tc.waitFor();
            java.util.regex.Matcher rate = java.util.regex.Pattern.compile(" rate (\\S+)").matcher(out);
            return rate.find() ? rate.group(1) : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    Path netnsStateDir() {
        return netns.stateDir();
    }

    /** A GET of policy's REST API as the viewer: the JSON of a 200 answer, else an error with status and body. */
    public JsonNode policyJson(String path) {
        String body = services.get("policy-service").get(path, VIEWER + ":" + VIEWER_PASSWORD);
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("GET " + path + " on policy-service: not JSON: " + body, e);
        }
    }

    /** The endpoint's latest decision (by {@code decidedAt}) in policy's REST API; a missing node before the first. */
    public JsonNode latestDecision(String endpoint) {
        JsonNode latest = MissingNode.getInstance();
        for (JsonNode d : policyJson("/api/v1/endpoints/" + PBX + "/" + endpoint + "/decisions")) {
            if (latest.isMissingNode() || d.path("decidedAt").asText().compareTo(latest.path("decidedAt").asText()) > 0) {
                latest = d;
            }
        }
        return latest;
    }

    /** Stops the services, then removes the phones, the AMI test server, the database and the broker. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        services.values().parallelStream().forEach(ServiceProcess::close);
        List<AutoCloseable> reversed = new ArrayList<>(toClose);
        Collections.reverse(reversed);
        for (AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (Exception e) {
                failures.add(new IllegalStateException("cleanup of " + part.getClass().getSimpleName() + " failed", e));
            }
        }
        FixtureDirs.delete(dir);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** A killed run's services: stop each recorded PID that is still one of our packaged services. */
    static void stopLeftovers(Path dir) {
        try (Stream<Path> pids = Files.list(dir)) {
            pids.filter(p -> p.getFileName().toString().endsWith(".pid")).forEach(pidFile ->
                    FixtureDirs.recordedProcess(pidFile, ServiceProcess.MARKER)
                            .ifPresent(process -> Processes.stop(process, java.time.Duration.ofSeconds(15))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

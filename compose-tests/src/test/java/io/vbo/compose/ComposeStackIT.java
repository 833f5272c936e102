package io.vbo.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vbo.lab.FreePorts;
import io.vbo.lab.ProjectRoot;
import io.vbo.lab.ami.AmiContact;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.Transcripts;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The project's docker-compose.yml really run: docker-compose 1.29 on rootful Podman, with images built here from
 * the services' Dockerfile.jvm and packaged jars. The AMI test server on the host stands in for Asterisk (reached
 * from the containers through the compose network's gateway, like a real Asterisk host), one phone in a network
 * namespace runs {@code iperf3 -s} on a 2 Mbit/s link, and the config folder is a copy of the captured Asterisk
 * configuration. The stack must come up healthy, converge the phone into the mounted folder, answer on its
 * published REST port and leave nothing behind; a wrong database password must fail naming the service, and be
 * cleaned up all the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {
    /** The gateway docker-compose.yml fixes for its "vbo" network; host.docker.internal points there. */
    static final String GATEWAY = "172.31.231.1";
    static final String PBX = "pbx1";
    static final String ENDPOINT = "1001";
    static final long PHONE_BPS = 2_000_000;
    static final String VIEWER_PASSWORD = "compose-viewer";
    /** Compose labels everything with the project name: leftovers are found by it and a user's "vbo" is untouched. */
    static final String PROJECT = "vbo-compose-test";
    static final List<String> CAPTURED_CODECS = List.of("ulaw", "alaw", "g722", "gsm");
    static final Path LOGS = Path.of("target", "compose-logs");
    /** Ports docker-compose.yml publishes on 127.0.0.1 (probe-service's 8082 through the host network). */
    static final List<Integer> PUBLISHED = List.of(9092, 8081, 8082, 8083, 8084);
    static final List<String> MODULES = List.of("discovery-service", "probe-service", "policy-service",
            "config-writer-service");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Podman podman;
    private static LocalImages images;
    private static NetnsLab lab;
    private static AmiTestServer ami;
    private static GatewayRelay relay;
    private static Healthchecks health;
    private static ComposeProject project;
    private static Path endpointsFile;
    private static boolean down;

    /**
     * Builds the images, then brings the stack up as an administrator would ({@code docker-compose up -d}) with the
     * phone and the AMI test server in place, and waits for every service healthy.
     */
    @BeforeAll
    static void upHealthy() {
        Path root = ProjectRoot.get();
        for (String module : MODULES) {
            assertTrue(Files.exists(root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar")), module
                    + " is not packaged: run `./mvnw verify` at the root (the reactor packages the services first)");
        }
        for (int port : PUBLISHED) {
            assertTrue(portFree(port), "127.0.0.1:" + port + " is in use, and docker-compose.yml publishes it "
                    + "(stop `./vbo up` or another deployment first)");
        }
        podman = Podman.start();
        Instant start = Instant.now();
        images = LocalImages.build(podman);
        Instant based = Instant.now();
        Path asterisk = copyAsteriskConfig(podman.dir().resolve("asterisk"));
        endpointsFile = asterisk.resolve("pjsip_endpoints.conf");
        assertEquals(CAPTURED_CODECS, allowed(endpointsFile, ENDPOINT), "the captured config");
        int amiPort = FreePorts.next();
        project = project(List.of(), Map.of("ASTERISK_CONFIG_DIR", asterisk.toString(),
                "VBO_AMI_PORT", Integer.toString(amiPort)));
        // A killed earlier run may have left its stack; compose finds it by the project name.
        project.compose(Duration.ofMinutes(5), "down", "--volumes", "--remove-orphans").check();
        project.compose(Duration.ofMinutes(20), "build", "--parallel").check();
        Instant built = Instant.now();
        System.out.printf("compose: base, JRE, Kafka, PostgreSQL images in %d s; the four service images in %d s%n",
                Duration.between(start, based).toSeconds(), Duration.between(based, built).toSeconds());

        lab = NetnsLab.open();
        Phone phone = lab.addPhone(PHONE_BPS, PHONE_BPS);
        ami = AmiTestServer.start(AmiTestServer.Options.defaults());
        ami.setContacts(List.of(AmiContact.generated(ENDPOINT, phone.address(), 5060)));
        // Asterisk reports the codecs it loaded from the files: the test server reads the mounted folder.
        ami.endpointSettings(endpoint -> {
            List<String> allowed = allowed(endpointsFile, endpoint);
            return allowed.isEmpty() ? null : new io.vbo.lab.ami.EndpointSettings(allowed,
                    value(endpointsFile, endpoint, "outgoing_call_offer_pref"),
                    value(endpointsFile, endpoint, "incoming_call_offer_pref"));
        });
        relay = new GatewayRelay(GATEWAY, amiPort, ami.port());
        health = new Healthchecks(project, podman);
        project.compose(Duration.ofMinutes(8), "up", "--detach", "--no-build").check();
        health.awaitHealthy(Duration.ofMinutes(5));
        System.out.printf("compose: every service healthy %d s after up%n",
                Duration.between(built, Instant.now()).toSeconds());
        assertTrue(relay.listening(), "the AMI relay is not on " + GATEWAY);
    }

    @AfterAll
    static void tearDown() {
        List<AutoCloseable> parts = new ArrayList<>();
        if (project != null && !down) {
            parts.add(() -> {
                project.saveLogs(LOGS);
                project.compose(Duration.ofMinutes(5), "down", "--volumes", "--remove-orphans").check();
            });
        }
        for (AutoCloseable part : new AutoCloseable[] {health, relay, ami, lab, podman}) {
            if (part != null) {
                parts.add(part);
            }
        }
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("compose test cleanup failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    @Order(1)
    void thePhoneIsDiscoveredProbedDecidedAndItsCodecsWrittenIntoTheMountedConfig() {
        Instant start = Instant.now();
        JsonNode view = awaitApplied();
        System.out.printf("compose: phone converged %d s after the stack was healthy%n",
                Duration.between(start, Instant.now()).toSeconds());
        // One call, utilisation 0.8, the stock translators: G.722/G.711 need 87.2 / 0.8 = 109.0 kbit/s, well below 2 Mbit/s.
        assertEquals("109.0k", view.path("tier").asText(), "a 2 Mbit/s link: " + view);
        // The default probe is the voice-rate ladder: it asks whether the link carries the calls, not its capacity, so
        // each direction's estimate is the need of its highest step, G.711 at K = 1: 87.2 kbit/s / 0.8.
        for (String direction : List.of("downlinkBps", "uplinkBps")) {
            assertEquals(109_000, view.path(direction).asLong(), direction + " on a 2 Mbit/s link: " + view);
        }
        List<String> written = allowed(endpointsFile, ENDPOINT);
        assertEquals(strings(view.path("codecs")), written, "decided codecs in the mounted folder");
        assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), written,
                "a 2 Mbit/s link keeps the whole ceiling, HD voice (G.722) first: " + written);
        assertNotEquals(CAPTURED_CODECS, written, "the writer changed the captured config");
        assertTrue(ami.requests().stream().anyMatch(r -> "Reload".equalsIgnoreCase(r.action())
                || "Command".equalsIgnoreCase(r.action()) && String.valueOf(r.header("Command")).contains("reload")),
                "the writer reloaded PJSIP over AMI");
        assertEquals(401, get("/api/v1/endpoints/" + PBX + "/" + ENDPOINT, null).statusCode(),
                "the published API requires a login");
    }

    /**
     * operations.md's warning, run: the password changed in {@code .env} and {@code docker-compose up -d
     * policy-service} without changing it in the database (POSTGRES_PASSWORD only initialises an empty volume).
     */
    @Test
    @Order(2)
    void aDatabasePasswordTheVolumeDoesNotHaveFailsTheHealthWaitNamingPolicyService() {
        Path override = Cmd.write(podman.dir().resolve("wrong-password.yml"), """
                # policy-service given another password than the one PostgreSQL's volume was initialised with
                services:
                  policy-service:
                    environment:
                      VBO_DB_PASSWORD: not-the-database-password
                """);
        ComposeProject wrong = project.withOverride(override);
        wrong.compose(Duration.ofMinutes(5), "up", "--detach", "--no-build", "--no-deps", "policy-service").check();
        Healthchecks.ServiceNotHealthy failure = assertThrows(Healthchecks.ServiceNotHealthy.class,
                () -> health.awaitHealthy(Duration.ofMinutes(4)));
        assertEquals("policy-service", failure.service(), failure.getMessage());
        assertTrue(failure.getMessage().contains("password authentication failed for user \"vbo\""),
                failure.getMessage());
    }

    @Test
    @Order(3)
    void downRemovesTheContainersNetworkAndVolumes() throws IOException {
        project.saveLogs(LOGS);
        down = true;
        project.compose(Duration.ofMinutes(5), "down", "--volumes", "--remove-orphans").check();
        assertEquals(List.of(), project.leftovers(), "docker-compose down -v left these behind");
        assertNull(NetworkInterface.getByInetAddress(InetAddress.getByName(GATEWAY)),
                "the compose network's bridge is still up");
    }

    /** Waits until the policy's REST API, through its published port, shows the phone measured and applied. */
    private static JsonNode awaitApplied() {
        String path = "/api/v1/endpoints/" + PBX + "/" + ENDPOINT;
        try {
            Awaitility.await("1001 discovered, probed both ways, decided and applied")
                    .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> {
                        JsonNode view = json(get(path, VIEWER_PASSWORD));
                        return view.path("downlinkBps").isNumber() && view.path("uplinkBps").isNumber()
                                && "APPLIED".equals(latestDecision().path("appliedStatus").asText());
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder();
            project.containers().forEach(c -> logs.append("\n--- ").append(c.service()).append('\n')
                    .append(project.logs(c, 25)));
            throw new AssertionError(e.getMessage() + "\npjsip_endpoints.conf [1001] allow: "
                    + allowed(endpointsFile, ENDPOINT) + logs, e);
        }
        return json(get(path, VIEWER_PASSWORD));
    }

    private static JsonNode latestDecision() {
        JsonNode latest = null;
        for (JsonNode d : json(get("/api/v1/endpoints/" + PBX + "/" + ENDPOINT + "/decisions", VIEWER_PASSWORD))) {
            if (latest == null || d.path("decidedAt").asText().compareTo(latest.path("decidedAt").asText()) > 0) {
                latest = d;
            }
        }
        return latest == null ? JSON.createObjectNode() : latest;
    }

    /** policy-service's API on the port docker-compose.yml publishes, as user "viewer" (or anonymous). */
    private static HttpResponse<String> get(String path, String viewerPassword) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8083" + path))
                .timeout(Duration.ofSeconds(10));
        if (viewerPassword != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("viewer:" + viewerPassword).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.uri() + " → " + response.statusCode() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /**
     * A project on docker-compose.yml, the test-machine override and {@code overrides}, with an env file made as an
     * administrator makes {@code .env}: deploy/compose.env.example with its values filled in, plus the test
     * machine's image variables.
     */
    private static ComposeProject project(List<Path> overrides, Map<String, String> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("VBO_PBX_ID", PBX);
        values.put("VBO_DB_PASSWORD", "compose-db-secret");
        values.put("VBO_POLICY_VIEWER_PASSWORD", VIEWER_PASSWORD);
        values.put("VBO_POLICY_ADMIN_PASSWORD", "compose-admin");
        values.put("VBO_WRITER_ADMIN_PASSWORD", "compose-writer-admin");
        values.put("VBO_PROBE_VIEWER_PASSWORD", "compose-probe-viewer");
        values.put("VBO_PROBE_ADMIN_PASSWORD", "compose-probe-admin");
        values.put("VBO_AMI_PASSWORD", AmiTestServer.Options.defaults().secret());
        values.put("VBO_VERSION", "compose-test");
        values.put("VBO_TEST_BASE_IMAGE", images.jre());
        values.put("KAFKA_IMAGE", images.kafka());
        values.put("POSTGRES_IMAGE", images.postgres());
        values.putAll(settings);
        Path envFile = Cmd.write(podman.dir().resolve("compose.env"), envFile(values));
        List<Path> files = new ArrayList<>(List.of(ProjectRoot.get().resolve("compose-tests/src/test/compose/test-machine.yml")));
        files.addAll(overrides);
        return new ComposeProject(podman, PROJECT, files, envFile);
    }

    /** deploy/compose.env.example with {@code values} set: existing keys in place, new ones appended. */
    static String envFile(Map<String, String> values) {
        Map<String, String> remaining = new LinkedHashMap<>(values);
        StringBuilder out = new StringBuilder();
        try {
            for (String line : Files.readAllLines(ProjectRoot.get().resolve("deploy/compose.env.example"))) {
                int eq = line.indexOf('=');
                String key = eq > 0 && !line.startsWith("#") ? line.substring(0, eq) : null;
                out.append(key != null && remaining.containsKey(key) ? key + "=" + remaining.remove(key) : line)
                        .append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.append("\n# The test machine\n");
        remaining.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** The captured Asterisk config folder, copied and owned by the writer's default UID/GID (10001). */
    static Path copyAsteriskConfig(Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(Transcripts.dir().resolve("config-used"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.run(List.of("chown", "-R", "10001:10001", target.toString()), Map.of(), Duration.ofSeconds(30)).check();
        return target;
    }

    /** The codecs of {@code [endpoint]}: its last {@code allow=} line (the writer leaves disallow=all, allow=…). */
    static List<String> allowed(Path file, String endpoint) {
        String allow = value(file, endpoint, "allow");
        return allow == null ? List.of() : List.of(allow.split(","));
    }

    /** The last {@code key=} value of {@code [endpoint]}, or null (Asterisk's default then applies). */
    static String value(Path file, String endpoint, String key) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher section = Pattern.compile("(?ms)^\\[" + Pattern.quote(endpoint) + "\\][^\\n]*\\n(.*?)(?=^\\[|\\z)")
                .matcher(text);
        String value = null;
        if (section.find()) {
            Matcher line = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=\\s*([^;\\s]+)").matcher(section.group(1));
            while (line.find()) {
                value = line.group(1);
            }
        }
        return value;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

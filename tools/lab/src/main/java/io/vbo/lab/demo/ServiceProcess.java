package io.vbo.lab.demo;

import io.vbo.lab.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running as its own JVM, with its log in
 * the lab folder and its PID recorded there so a later run can stop it if this JVM dies.
 */
public final class ServiceProcess implements AutoCloseable {
    /** What marks our services' command lines (PIDs get reused: never stop a process without it). */
    static final String MARKER = "quarkus-run.jar";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final Instant startedAt;
    private Duration startTime;

    private ServiceProcess(String name, int port, Process process, Path log, Instant startedAt) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.startedAt = startedAt;
    }

    /** The packaged jar of {@code module}; fails with the build command when the reactor has not packaged it. */
    static Path jar(Path root, String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package the services first "
                    + "(./mvnw verify builds them before e2e; by hand: ./mvnw -B -DskipTests package)");
        }
        return jar;
    }

    public static ServiceProcess start(Path root, String module, int port, Map<String, String> env, Path dir) {
        Path log = dir.resolve(module + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dquarkus.http.port=" + port, "-jar", jar(root, module).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            Instant startedAt = Instant.now();
            Process process = builder.start();
            Files.writeString(dir.resolve(module + ".pid"), Long.toString(process.pid()));
            return new ServiceProcess(module, port, process, log, startedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Time from process start to the first UP readiness answer. */
    Duration startTime() {
        return startTime;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the process dies or time runs out. */
    public void awaitReady(Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("no answer");
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start:\n"
                            + tail(60));
                }
                try {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    last.set(response.statusCode() + " " + response.body());
                    return response.statusCode() == 200;
                } catch (IOException e) {
                    last.set(e.toString());
                    return false;
                }
            });
            startTime = Duration.between(startedAt, Instant.now());
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + timeout + " (last: " + last.get() + "):\n"
                    + tail(60), e);
        }
    }

    /** GET {@code path} of this service; the body of a 200 answer, else an error with status and body. */
    public String get(String path, String basicAuth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10));
        if (basicAuth != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(basicAuth.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " on " + name + " → " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Resident set size of the process in bytes (from /proc), or -1 when it is gone. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash would end it; returns once it is gone. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(15));
    }
}

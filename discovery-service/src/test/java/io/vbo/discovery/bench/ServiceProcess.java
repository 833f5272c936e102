package io.vbo.discovery.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** The packaged discovery-service as the benchmarks start and watch it. */
final class ServiceProcess {
    private ServiceProcess() {
    }

    /** The packaged jar; fails naming the script that packages it. */
    static Path jar(String script) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: package the service first (" + script + " does)");
        }
        return jar;
    }

    /** {@code java} of this JVM with the given options (blank: none). */
    static List<String> java(String jvmOptions) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (!jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.strip().split("\\s+")));
        }
        return command;
    }

    static void awaitReady(int port, Process service, Path log) {
        Awaitility.await("discovery-service ready (see " + log + ")").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service exited with " + service.exitValue() + "; see " + log);
                    }
                    try {
                        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    } catch (IOException e) {
                        return false; // not listening yet
                    }
                });
    }

    /** A numeric field of {@code /proc/<pid>/status} ({@code VmRSS:}, {@code VmHWM:}), in kB. */
    static long status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field))
                .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(-1);
    }
}

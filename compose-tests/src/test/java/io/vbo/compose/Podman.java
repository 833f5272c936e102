package io.vbo.compose;

import io.vbo.lab.FixtureDirs;
import io.vbo.lab.Processes;
import io.vbo.lab.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Rootful Podman for docker-compose: {@code podman system service} on a Unix socket in this run's folder (compose
 * reaches it through {@code DOCKER_HOST}), and the {@code podman} command line, both with the project's
 * {@code containers.conf} (runc, explicit ulimits). The service is stopped by the PID this run recorded, by
 * {@link #close()} or, if this JVM was killed, by the next run.
 */
final class Podman implements AutoCloseable {
    private static final String PID_FILE = "podman-service.pid";
    private static final String MARKER = "system service";

    private final Path dir;
    private final Path socket;
    private final Map<String, String> env;
    private final Process service;
    /** Podman's default network, which {@code podman build} uses for its RUN steps: removed at close if we made it. */
    private static final Path DEFAULT_BRIDGE = Path.of("/sys/class/net/cni-podman0");
    private final boolean defaultBridgeBefore = Files.exists(DEFAULT_BRIDGE);

    private Podman(Path dir, Path socket, Map<String, String> env, Process service) {
        this.dir = dir;
        this.socket = socket;
        this.env = env;
        this.service = service;
    }

    /** Starts the API service and waits for its socket. */
    static Podman start() {
        Path dir = FixtureDirs.create("compose", Podman::stopLeftover);
        Path socket = dir.resolve("podman.sock");
        Map<String, String> env = Map.of("CONTAINERS_CONF", containersConf().toString());
        ProcessBuilder builder = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(dir.resolve("podman-service.log").toFile());
        builder.environment().putAll(env);
        try {
            Process service = builder.start();
            Files.writeString(dir.resolve(PID_FILE), Long.toString(service.pid()));
            Podman podman = new Podman(dir, socket, env, service);
            try {
                Awaitility.await("podman system service listening on " + socket).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.exists(socket) || !service.isAlive());
                if (!service.isAlive()) {
                    throw new AssertionError("podman system service exited: "
                            + Files.readString(dir.resolve("podman-service.log")));
                }
                return podman;
            } catch (RuntimeException | Error e) {
                podman.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start podman system service (is podman installed?)", e);
        }
    }

    /** {@code CONTAINERS_CONF} if set (./vbo test sets it), else the project's file for this test. */
    static Path containersConf() {
        String configured = System.getenv("CONTAINERS_CONF");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : ProjectRoot.get().resolve("compose-tests/src/test/podman/containers.conf");
    }

    /** What docker-compose needs to drive this Podman. */
    Map<String, String> clientEnv() {
        return Map.of("DOCKER_HOST", "unix://" + socket, "CONTAINERS_CONF", env.get("CONTAINERS_CONF"));
    }

    /** This run's folder (build contexts, config copies, logs); deleted by {@link #close()}. */
    Path dir() {
        return dir;
    }

    Cmd.Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return Cmd.run(command, env, timeout);
    }

    boolean imageExists(String image) {
        return run(Duration.ofSeconds(30), "image", "exists", image).exitCode() == 0;
    }

    /** {@code podman build} of {@code context} (cached layers make an unchanged image a matter of seconds). */
    void build(String image, Path context, Map<String, String> buildArgs) {
        List<String> args = new ArrayList<>(List.of("build", "--quiet", "--tag", image));
        buildArgs.forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
        args.add(context.toString());
        run(Duration.ofMinutes(15), args.toArray(String[]::new)).check();
    }

    @Override
    public void close() {
        Processes.stop(service.toHandle(), Duration.ofSeconds(10));
        FixtureDirs.delete(dir);
        if (!defaultBridgeBefore && Files.exists(DEFAULT_BRIDGE)) {
            try {
                Process p = new ProcessBuilder("ip", "link", "delete", "cni-podman0").inheritIO().start();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("could not remove the cni-podman0 bridge our image builds created");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void stopLeftover(Path dir) {
        FixtureDirs.recordedProcess(dir.resolve(PID_FILE), MARKER)
                .ifPresent(process -> Processes.stop(process, Duration.ofSeconds(10)));
    }
}

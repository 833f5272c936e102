package io.vbo.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vbo.lab.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One docker-compose project on {@link Podman}: the project's real {@code docker-compose.yml} plus override files,
 * variables from an env file (as a user's {@code .env}), under a project name of its own so that nothing of a
 * user's deployment is touched and everything of this one can be found by its labels.
 */
final class ComposeProject {
    static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Podman podman;
    private final String name;
    private final List<Path> overrides;
    private final Path envFile;

    ComposeProject(Podman podman, String name, List<Path> overrides, Path envFile) {
        this.podman = podman;
        this.name = name;
        this.overrides = List.copyOf(overrides);
        this.envFile = envFile;
    }

    /** The same project with one more override file (compose recreates what it changes). */
    ComposeProject withOverride(Path override) {
        List<Path> files = new ArrayList<>(overrides);
        files.add(override);
        return new ComposeProject(podman, name, files, envFile);
    }

    String name() {
        return name;
    }

    /** {@code docker-compose <args>} on docker-compose.yml and the overrides, from the checkout's root. */
    Cmd.Result compose(Duration timeout, String... args) {
        Path root = ProjectRoot.get();
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-name", name,
                "--project-directory", root.toString(), "--env-file", envFile.toString(),
                "--file", root.resolve("docker-compose.yml").toString()));
        overrides.forEach(file -> command.addAll(List.of("--file", file.toString())));
        command.addAll(List.of(args));
        return Cmd.run(command, podman.clientEnv(), timeout);
    }

    /** The containers of this project, as Podman reports them now. */
    List<Container> containers() {
        String ids = podman.run(Duration.ofSeconds(60), "ps", "--all", "--quiet", "--filter",
                "label=" + PROJECT_LABEL + "=" + name).check().output().strip();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("inspect", "--type", "container"));
        args.addAll(List.of(ids.split("\\s+")));
        Cmd.Result inspect = podman.run(Duration.ofSeconds(60), args.toArray(String[]::new));
        if (inspect.exitCode() != 0) {
            // A container removed between ps and inspect (a compose run finishing): look again.
            return containers();
        }
        try {
            List<Container> containers = new ArrayList<>();
            for (JsonNode c : JSON.readTree(inspect.output())) {
                containers.add(Container.of(c));
            }
            return containers;
        } catch (IOException e) {
            throw new UncheckedIOException("podman inspect: " + inspect.output(), e);
        }
    }

    /** The last {@code lines} lines of a container's log. */
    String logs(Container container, int lines) {
        return podman.run(Duration.ofSeconds(60), "logs", "--tail", Integer.toString(lines), container.id()).output();
    }

    /** Copies every container's whole log to {@code dir}/{@code <service>.log} (kept in target/ for a failed run). */
    void saveLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Container c : containers()) {
                Files.writeString(dir.resolve(c.service() + ".log"),
                        podman.run(Duration.ofSeconds(60), "logs", c.id()).output());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What this project left on the machine: containers, networks and volumes carrying its label. */
    List<String> leftovers() {
        List<String> left = new ArrayList<>();
        String filter = "label=" + PROJECT_LABEL + "=" + name;
        containers().forEach(c -> left.add("container " + c.name()));
        for (String kind : List.of("network", "volume")) {
            String listed = podman.run(Duration.ofSeconds(60), kind, "ls", "--quiet", "--filter", filter).check()
                    .output().strip();
            if (!listed.isEmpty()) {
                List.of(listed.split("\\s+")).forEach(n -> left.add(kind + " " + n));
            }
        }
        return left;
    }

    /**
     * A container as {@code podman inspect} shows it.
     *
     * @param health      {@code starting}, {@code healthy}, {@code unhealthy}, or null without a healthcheck
     * @param startPeriod the healthcheck's start period (failures in it do not count); zero without one
     * @param interval    the healthcheck's interval; zero without one
     * @param lastCheck   the output of the latest healthcheck run, empty if none ran
     */
    record Container(String id, String name, String service, String status, int exitCode, int restartCount,
            Instant startedAt, String health, Duration startPeriod, Duration interval, String lastCheck) {

        static Container of(JsonNode c) {
            JsonNode state = c.path("State");
            JsonNode check = c.path("Config").path("Healthcheck");
            boolean hasCheck = check.path("Test").isArray() && !check.path("Test").isEmpty()
                    && !"NONE".equals(check.path("Test").path(0).asText());
            JsonNode log = state.path("Health").path("Log");
            String lastCheck = log.isArray() && !log.isEmpty() ? log.get(log.size() - 1).path("Output").asText() : "";
            return new Container(c.path("Id").asText(), c.path("Name").asText(),
                    c.path("Config").path("Labels").path(SERVICE_LABEL).asText(), state.path("Status").asText(),
                    state.path("ExitCode").asInt(), c.path("RestartCount").asInt(),
                    Instant.parse(state.path("StartedAt").asText()),
                    hasCheck ? state.path("Health").path("Status").asText("starting") : null,
                    Duration.ofNanos(check.path("StartPeriod").asLong()), Duration.ofNanos(check.path("Interval").asLong()),
                    lastCheck);
        }

        boolean running() {
            return "running".equals(status);
        }

        boolean healthy() {
            return "healthy".equals(health);
        }
    }
}

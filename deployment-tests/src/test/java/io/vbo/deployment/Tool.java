package io.vbo.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An external command-line tool the deployment checks need (docker-compose, kubectl), run offline. */
final class Tool {
    private final String name;
    private final String installHint;

    Tool(String name, String installHint) {
        this.name = name;
        this.installHint = installHint;
    }

    static final Tool DOCKER_COMPOSE = new Tool("docker-compose",
            "apt-get install -y --no-install-recommends docker-compose");
    static final Tool PROMTOOL = new Tool("promtool", "apt-get install -y --no-install-recommends prometheus");
    static final Tool KUBECTL = new Tool("kubectl",
            "apt-get install -y kubernetes-client (Debian 13), or the kubectl .deb from the Kubernetes apt repository");

    /** The tool's path on PATH; fails with the install step when it is missing, never skips. */
    Path require() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed (not on PATH " + path + "); the deployment checks need it. "
                + "Install it with: " + installHint);
    }

    /** Runs the tool with {@code args} in {@code workDir}; the environment is exactly {@code env} plus PATH/HOME. */
    Result run(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        String home = environment.get("HOME");
        environment.clear();
        environment.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        environment.put("HOME", home == null ? "/tmp" : home);
        environment.putAll(env);
        try {
            Path out = Files.createTempFile("vbo-tool-", ".out");
            Path err = Files.createTempFile("vbo-tool-", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(command + " did not finish in 120 s");
                }
                return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(command + " failed with exit " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }

        @Override
        public String toString() {
            return command + " → exit " + exitCode + "\n" + stderr + stdout;
        }
    }
}

package io.vbo.compose;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One external command (podman, docker-compose, debootstrap), run to completion with a deadline. */
final class Cmd {
    private Cmd() {
    }

    /**
     * Runs {@code command} with exactly PATH, HOME and {@code env} as its environment (a developer's shell settings
     * must not leak into the run), output and errors merged; killed and failed after {@code timeout}.
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        String home = environment.getOrDefault("HOME", "/root");
        environment.clear();
        // Maven's PATH often lacks the sbin folders where debootstrap and ip live, even for root.
        environment.put("PATH", path + ":/usr/local/sbin:/usr/sbin:/sbin");
        environment.put("HOME", home);
        environment.putAll(env);
        try {
            File out = Files.createTempFile("vbo-cmd-", ".out").toFile();
            Process process = builder.redirectOutput(out).start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n"
                            + Files.readString(out.toPath(), StandardCharsets.UTF_8));
                }
                return new Result(command, process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            } finally {
                if (process.isAlive()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
                Files.deleteIfExists(out.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** A finished command: its exit status and its merged output. */
    record Result(List<String> command, int exitCode, String output) {
        Result check() {
            if (exitCode != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " → exit " + exitCode + "\n" + output;
        }
    }

    /** Writes {@code text} to {@code file}, creating its folder. */
    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

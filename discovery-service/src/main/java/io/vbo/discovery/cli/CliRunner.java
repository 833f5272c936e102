package io.vbo.discovery.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code <asterisk> -rx '<command>'} as an argument list (no shell, so nothing in the command is interpreted)
 * and returns its standard output. Blocking: call it from a worker thread.
 */
public final class CliRunner {
    private final String binary;
    private final Duration timeout;

    public CliRunner(String binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    public String run(String command) throws IOException {
        Process process = new ProcessBuilder(List.of(binary, "-rx", command)).redirectErrorStream(false).start();
        process.getOutputStream().close();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + binary + " -rx " + command + "' did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + binary, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("'" + binary + " -rx " + command + "' exited with " + process.exitValue() + ": "
                    + stderr.join().strip());
        }
        return stdout;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

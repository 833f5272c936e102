package io.vbo.writer.pbx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code asterisk -rx '<command>'}, started as an argument list (no shell), for hosts where AMI is off.
 * Endpoint names reach the command line only after validation ({@code Validate.ENDPOINT}: no space, no quote).
 */
public final class CliClient implements PbxClient {
    private final String command;
    private final Duration timeout;

    public CliClient(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    @Override
    public String reloadPjsip() throws PbxException {
        List<String> out = run(RELOAD_COMMAND);
        if (!PbxClient.reloadConfirmed(out)) {
            throw new PbxException("Asterisk did not confirm '" + RELOAD_COMMAND + "': " + String.join(" / ", out));
        }
        return String.join(" / ", out);
    }

    @Override
    public LoadedEndpoint endpoint(String endpoint) throws PbxException {
        io.vbo.events.Validate.endpoint("endpoint", endpoint);
        return LoadedEndpoint.parse(run("pjsip show endpoint " + endpoint));
    }

    @Override
    public List<String> command(String cli) throws PbxException {
        return run(cli);
    }

    @Override
    public void ping() throws PbxException {
        run("core show version");
    }

    private List<String> run(String cli) throws PbxException {
        Process p;
        try {
            p = new ProcessBuilder(command, "-rx", cli).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new PbxUnreachableException("cannot run " + command + ": " + e.getMessage(), e);
        }
        try {
            // These outputs (a few kB) fit in the pipe buffer, so waiting before reading cannot block the CLI.
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new PbxUnreachableException(command + " -rx '" + cli + "' timed out", null);
            }
            byte[] bytes = p.getInputStream().readAllBytes();
            List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
            if (p.exitValue() != 0) {
                throw new PbxUnreachableException(command + " -rx '" + cli + "' exited " + p.exitValue() + ": "
                        + String.join(" / ", lines), null);
            }
            return lines;
        } catch (IOException e) {
            throw new PbxUnreachableException(command + " -rx '" + cli + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new PbxUnreachableException(command + " -rx '" + cli + "' interrupted", e);
        }
    }

    @Override
    public void close() {
        // Nothing held between calls.
    }

    @Override
    public String toString() {
        return command + " -rx";
    }
}

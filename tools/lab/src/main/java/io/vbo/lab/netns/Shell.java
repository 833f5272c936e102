package io.vbo.lab.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ip}/{@code tc} as argument lists (never through a shell) and fails loudly with their stderr. */
final class Shell {
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Shell() {
    }

    static String run(String... command) {
        return run(List.of(command));
    }

    static String run(List<String> command) {
        Result result = exec(command);
        if (result.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exit + "): "
                    + result.output.strip());
        }
        return result.output;
    }

    /** For cleanup: the thing may already be gone. */
    static void runQuietly(String... command) {
        exec(List.of(command));
    }

    /** Absolute path of a tool: Maven's PATH often lacks /usr/sbin even for root. */
    static String resolve(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new ArrayList<>(List.of(path.split(":")));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        throw new IllegalStateException(tool + " not found (install iproute2 / iperf3)");
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.set(0, resolve(args.get(0)));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.vbo.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Per-run fixture folders that remember which test JVM owns them, so that the next run can stop what a killed
 * run left behind (by the PID that run recorded) and delete its folder.
 */
public final class FixtureDirs {
    private static final String OWNER = "owner.pid";

    private FixtureDirs() {
    }

    /** A new folder under {@code .vbo/<kind>/}, owned by this JVM; first reaps folders whose owner is gone. */
    public static Path create(String kind, Consumer<Path> stopLeftover) {
        Path base = ProjectRoot.work(kind);
        reap(base, stopLeftover);
        try {
            Path dir = Files.createTempDirectory(base, "run-");
            Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void reap(Path base, Consumer<Path> stopLeftover) {
        try (Stream<Path> dirs = Files.list(base)) {
            dirs.filter(dir -> Files.isDirectory(dir) && !ownerAlive(dir)).forEach(dir -> {
                stopLeftover.accept(dir);
                delete(dir);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ownerAlive(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(OWNER)).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process recorded in {@code pidFile}, if it is alive and its command line mentions {@code marker}. */
    public static java.util.Optional<ProcessHandle> recordedProcess(Path pidFile, String marker) {
        try {
            if (!Files.exists(pidFile)) {
                return java.util.Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> commandLine(pid).contains(marker));
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return java.util.Optional.empty();
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}

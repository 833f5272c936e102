package io.vbo.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root folder (where {@code bin/kafka} lives), from any module's working directory. */
public final class ProjectRoot {
    private ProjectRoot() {
    }

    public static Path get() {
        String configured = System.getProperty("vbo.root");
        if (configured != null && Files.isExecutable(Path.of(configured, "bin", "kafka"))) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/kafka")) && Files.exists(dir.resolve("tools/kafka/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (bin/kafka) above " + Path.of("").toAbsolutePath());
    }

    /** A folder under {@code .vbo/} for fixtures' data, created if needed. */
    public static Path work(String name) {
        Path dir = get().resolve(".vbo").resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}

package io.vbo.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, where docker-compose.yml, k8s/ and deploy/ live. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("vbo.root");
        if (configured != null && Files.exists(Path.of(configured, "docker-compose.yml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker-compose.yml and k8s/ above " + Path.of("").toAbsolutePath());
    }
}

package io.vbo.probe;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.Processes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar, as production runs it (prod profile): it will not start with a password anyone knows. */
class ProdProfileIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @Test
    void anUnsetPasswordStopsTheStartNamingItsVariable() throws Exception {
        String out = startFails(Map.of("VBO_PROBE_ADMIN_PASSWORD", "Xk3-own-secret"));
        assertTrue(out.contains("VBO_PROBE_VIEWER_PASSWORD"), out);
    }

    @Test
    void aShippedPasswordStopsTheStartNamingItsVariable() throws Exception {
        String out = startFails(Map.of("VBO_PROBE_ADMIN_PASSWORD", "admin", "VBO_PROBE_VIEWER_PASSWORD", "Xk3-own"));
        assertTrue(out.contains("refusing to start in the prod profile: VBO_PROBE_ADMIN_PASSWORD is empty or a "
                + "password that ships with VBO"), out);
    }

    private static String startFails(Map<String, String> env) throws Exception {
        assertTrue(Files.exists(JAR), "package the service first: " + JAR.toAbsolutePath());
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx128m", "-jar", JAR.toString())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("VBO_") || k.startsWith("QUARKUS_"));
        // Nothing listens there: the start must fail on the passwords, not wait for anything.
        environment.put("VBO_KAFKA_BOOTSTRAP", "127.0.0.1:1");
        environment.put("QUARKUS_HTTP_PORT", "0");
        environment.putAll(env);
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(exited, "still running after 60 s: " + out);
            assertNotEquals(0, process.exitValue(), out);
            return out;
        } finally {
            Processes.stop(process.toHandle(), Duration.ofSeconds(5));
        }
    }
}

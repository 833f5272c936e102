package io.vbo.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator's {@code bin/kafka}, run as a person would: from any folder, and next to another broker. */
class BinKafkaTest {

    @Test
    void aRelativeFolderNamesTheSameBrokerFromAnywhere() throws Exception {
        Path cwd = FixtureDirs.create("test-brokers", dir -> script(dir, dir.resolve("rel"), Map.of(), "stop"));
        Path absolute = cwd.resolve("rel");
        Map<String, String> ports = ports(FreePorts.next());
        try {
            Result start = script(cwd, Path.of("rel"), ports, "start");
            assertEquals(0, start.exit(), start.out());
            assertTrue(start.out().contains("data in " + absolute), start.out());
            long pid = Long.parseLong(Files.readString(absolute.resolve("broker.pid")).strip());

            Result status = script(cwd.getParent(), absolute, ports, "status");
            assertEquals(0, status.exit(), status.out());
            assertTrue(status.out().contains("running (pid " + pid + ","), status.out());
            Result stop = script(Path.of("/"), absolute, ports, "stop");
            assertEquals(0, stop.exit(), stop.out());
            assertTrue(stop.out().contains("stopped (pid " + pid + ")"), stop.out());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the broker must be gone");
        } finally {
            script(cwd, absolute, ports, "stop");
            FixtureDirs.delete(cwd);
        }
    }

    @Test
    void aSecondBrokerOnATakenPortIsAFailureNotReady() throws Exception {
        try (KafkaBroker first = KafkaBroker.start()) {
            long firstPid = Long.parseLong(Files.readString(first.dir().resolve("broker.pid")).strip());
            int takenPort = Integer.parseInt(first.bootstrapServers().substring("127.0.0.1:".length()));
            Path cwd = FixtureDirs.create("test-brokers", dir -> script(dir, dir.resolve("second"), Map.of(), "stop"));
            try {
                Result second = script(cwd, cwd.resolve("second"), ports(takenPort), "start");
                assertNotEquals(0, second.exit(), second.out());
                assertFalse(second.out().contains("kafka: ready"), second.out());
                assertTrue(second.out().contains("port " + takenPort + " is already in use"), second.out());
                assertFalse(Files.exists(cwd.resolve("second/broker.pid")), "no PID may be recorded for it");
                assertTrue(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false),
                        "the first broker keeps running");
                Result status = script(cwd, cwd.resolve("second"), ports(takenPort), "status");
                assertEquals(3, status.exit(), status.out());
            } finally {
                script(cwd, cwd.resolve("second"), Map.of(), "stop");
                FixtureDirs.delete(cwd);
            }
        }
    }

    private static Map<String, String> ports(int port) {
        return Map.of("KAFKA_PORT", Integer.toString(port), "KAFKA_CONTROLLER_PORT", Integer.toString(FreePorts.next()),
                "KAFKA_HEAP", "-Xmx256m -XX:+UseSerialGC");
    }

    record Result(int exit, String out) {
    }

    private static Result script(Path cwd, Path kafkaDir, Map<String, String> env, String verb) {
        ProcessBuilder builder = new ProcessBuilder(ProjectRoot.get().resolve("bin/kafka").toString(), verb)
                .directory(cwd.toFile()).redirectErrorStream(true);
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_DIR", kafkaDir.toString());
        builder.environment().putAll(all);
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Duration.ofSeconds(180).toSeconds(), TimeUnit.SECONDS)) {
                Processes.stop(process.toHandle(), Duration.ofSeconds(5));
                throw new AssertionError("bin/kafka " + verb + " did not finish in 180 s: " + out);
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.vbo.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in its own process, started by the project's {@code bin/kafka} script on
 * free loopback ports with its own folder under {@code .vbo/test-brokers/}. The broker jars stay off the caller's
 * classpath.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static KafkaBroker start() {
        Path dir = FixtureDirs.create("test-brokers", KafkaBroker::stopIn);
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        KafkaBroker broker = new KafkaBroker(dir, port);
        try {
            run(dir, "start", Map.of("KAFKA_PORT", Integer.toString(port),
                    "KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort),
                    "KAFKA_HEAP", "-Xmx256m -XX:+UseSerialGC"));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        stopIn(dir);
        FixtureDirs.delete(dir);
    }

    private static void stopIn(Path dir) {
        run(dir, "stop", Map.of());
    }

    private static void run(Path dir, String verb, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(ProjectRoot.get().resolve("bin/kafka").toString(), verb)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("bin-kafka-" + verb + ".log").toFile());
        builder.environment().put("KAFKA_DIR", dir.toString());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/kafka " + verb + " did not finish in 180 s; see " + dir);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("bin/kafka " + verb + " failed (exit " + process.exitValue() + "): "
                        + java.nio.file.Files.readString(dir.resolve("bin-kafka-" + verb + ".log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

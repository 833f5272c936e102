package io.vbo.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vbo.lab.KafkaBroker;
import java.util.Map;

/**
 * A real broker of one test class's own ({@code restrictToAnnotatedClass = true}, or a profile's only resource),
 * which the test may stop while the service runs: the Kafka-outage tests.
 */
public class StoppableKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private static KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        KafkaBroker started = KafkaBroker.start();
        synchronized (StoppableKafkaBrokerResource.class) {
            broker = started;
        }
        return Map.of("kafka.bootstrap.servers", started.bootstrapServers());
    }

    /** The running broker's bootstrap servers. */
    public static synchronized String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Stops the broker now (the outage); the end of the test class then has nothing left to stop. */
    public static synchronized void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    public void stop() {
        stopBroker();
    }
}

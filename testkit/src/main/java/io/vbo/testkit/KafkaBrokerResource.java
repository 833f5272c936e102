package io.vbo.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vbo.lab.KafkaBroker;
import java.util.Map;

/**
 * {@code @QuarkusTestResource(KafkaBrokerResource.class)}: forks a real broker for the test run, points
 * {@code kafka.bootstrap.servers} at it, and stops it afterwards.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}

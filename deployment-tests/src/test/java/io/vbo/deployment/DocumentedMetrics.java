package io.vbo.deployment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metrics VBO's services publish (Micrometer names, as agreed for every service) and the series names
 * Prometheus shows for them: dots become underscores, counters get {@code _total}, timers {@code _seconds_*},
 * distribution summaries {@code _count/_sum/_max}.
 */
final class DocumentedMetrics {
    enum Type { GAUGE, COUNTER, TIMER, SUMMARY }

    record Metric(String micrometerName, Type type, String service) {
        Set<String> prometheusSeries() {
            String base = micrometerName.replace('.', '_');
            return switch (type) {
                case GAUGE -> Set.of(base);
                case COUNTER -> Set.of(base + "_total");
                case TIMER -> Set.of(base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max",
                        base + "_seconds_bucket");
                case SUMMARY -> Set.of(base + "_count", base + "_sum", base + "_max", base + "_bucket");
            };
        }
    }

    static final List<Metric> VBO = List.of(
            new Metric("vbo.ami.connected", Type.GAUGE, "discovery-service"),
            new Metric("vbo.discovery.published", Type.COUNTER, "discovery-service"),
            new Metric("vbo.discovery.contacts", Type.GAUGE, "discovery-service"),
            new Metric("vbo.probe.runs", Type.COUNTER, "probe-service"),
            new Metric("vbo.probe.rate.bps", Type.GAUGE, "probe-service"),
            new Metric("vbo.probe.duration", Type.TIMER, "probe-service"),
            new Metric("vbo.policy.decisions", Type.COUNTER, "policy-service"),
            new Metric("vbo.policy.estimate.bps", Type.GAUGE, "policy-service"),
            new Metric("vbo.policy.tier.rank", Type.GAUGE, "policy-service"),
            new Metric("vbo.policy.no.codec.fits", Type.GAUGE, "policy-service"),
            new Metric("vbo.policy.results.stored", Type.COUNTER, "policy-service"),
            new Metric("vbo.writer.applies", Type.COUNTER, "config-writer-service"),
            new Metric("vbo.writer.reloads", Type.COUNTER, "config-writer-service"),
            new Metric("vbo.writer.batch.size", Type.SUMMARY, "config-writer-service"));

    /** Consumer lag from the Micrometer Kafka binder (quarkus.micrometer.binder.kafka.enabled=true). */
    static final String CONSUMER_LAG = "kafka_consumer_fetch_manager_records_lag_max";

    private DocumentedMetrics() {
    }

    static Set<String> prometheusNames() {
        Set<String> names = new LinkedHashSet<>();
        VBO.forEach(m -> names.addAll(m.prometheusSeries()));
        names.add(CONSUMER_LAG);
        return names;
    }
}

package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.ProbeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration as an operator writes it, and the attempts one probe makes from it. */
class AttemptsTest {

    @Test
    void defaultsAreTcpThreeSecondsDownThenUpEveryFifteenMinutes() {
        ProbeConfig config = config(Map.of());
        assertEquals(Duration.ofMinutes(15), config.interval());
        assertEquals(1, config.maxParallelPerPbx());
        assertTrue(config.pbxIds().isEmpty());
        assertEquals(List.of(ProbeSpec.tcp("10.0.0.5", 5201, Direction.DOWNLINK, 3),
                ProbeSpec.tcp("10.0.0.5", 5201, Direction.UPLINK, 3)), prober(config).attempts("10.0.0.5"));
    }

    @Test
    void voiceProfileAndShortIntervalsAsTheEndToEndRunSetsThem() {
        ProbeConfig config = config(Map.of("vbo.probe.profiles", "tcp,voice", "vbo.probe.interval", "20S",
                "vbo.probe.iperf3.port", "5301", "vbo.probe.iperf3.tcp-seconds", "2", "vbo.probe.pbx-ids", "pbx-a,pbx-b"));
        assertEquals(Duration.ofSeconds(20), config.interval());
        assertEquals(java.util.Set.of("pbx-a", "pbx-b"), config.pbxIds().orElseThrow());
        List<ProbeSpec> attempts = prober(config).attempts("10.0.0.5");
        assertEquals(4, attempts.size());
        assertEquals(ProbeSpec.tcp("10.0.0.5", 5301, Direction.DOWNLINK, 2), attempts.get(0));
        assertEquals(ProbeSpec.voice("10.0.0.5", 5301, Direction.UPLINK, 3, 172, 50), attempts.get(3));
        assertEquals(Protocol.UDP, attempts.get(2).protocol());
        assertEquals(68_800, attempts.get(2).udpBitsPerSecond());
    }

    private static EndpointProber prober(ProbeConfig config) {
        EndpointProber prober = new EndpointProber();
        prober.config = config;
        return prober;
    }

    private static ProbeConfig config(Map<String, String> values) {
        // Quarkus' own Duration converter, so "20S" reads as it does in the running service.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ProbeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
        return config.getConfigMapping(ProbeConfig.class);
    }
}

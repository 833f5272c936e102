package io.vbo.probe.config;

import io.vbo.events.CodecProfiles;
import io.vbo.events.VoiceLadder;
import io.vbo.probe.iperf.EchoWatch;
import io.vbo.probe.iperf.Iperf3Runner;
import io.vbo.probe.iperf.LadderProbe;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the iperf3 runner and the ladder from configuration (both stay plain classes, usable without CDI). */
public class Iperf3Producer {

    @Produces
    @Singleton
    Iperf3Runner runner(ProbeConfig config) {
        return new Iperf3Runner(config.iperf3().binary(), config.iperf3().connectTimeout(), config.iperf3().killAfter());
    }

    /**
     * The ladder's rungs are the built-in codec profiles policy's tiers are built from ({@link CodecProfiles}); K and
     * the layer-2 bytes are the policy's own keys, so one setting serves both services.
     *
     * @param calls       K, the policy's {@code vbo.policy.expected-concurrent-calls}
     * @param layer2Bytes the policy's {@code vbo.policy.layer2-bytes}, which orders the rungs as the link counts them
     */
    @Produces
    @Singleton
    LadderProbe ladder(ProbeConfig config, Iperf3Runner runner,
            @ConfigProperty(name = "vbo.policy.expected-concurrent-calls", defaultValue = "1") int calls,
            @ConfigProperty(name = "vbo.policy.layer2-bytes", defaultValue = "18") int layer2Bytes) {
        ProbeConfig.Ladder ladder = config.ladder();
        return new LadderProbe(runner, VoiceLadder.rungs(CodecProfiles.defaults(true), layer2Bytes), calls,
                new LadderProbe.Limits(ladder.maxLossPercent(), ladder.maxJitterMs(), ladder.maxDelayGrowthMs()),
                ladder.stepPause(), ladder.confirmSeconds(), ladder.retries(), ladder.retryPause(),
                EchoWatch.reachability(ladder.echoInterval(), ladder.echoLimitMs(), layer2Bytes));
    }

    void close(@Disposes Iperf3Runner runner) {
        runner.close();
    }
}

package io.vbo.probe.config;

import io.vbo.probe.iperf.Iperf3Runner;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the iperf3 runner from configuration (the runner itself stays a plain class, usable without CDI). */
public class Iperf3Producer {

    @Produces
    @Singleton
    Iperf3Runner runner(ProbeConfig config) {
        return new Iperf3Runner(config.iperf3().binary(), config.iperf3().connectTimeout(), config.iperf3().killAfter());
    }

    void close(@Disposes Iperf3Runner runner) {
        runner.close();
    }
}

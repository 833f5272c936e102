package io.vbo.probe.service;

/**
 * Whether a qualify RTT rose well above the endpoint's baseline: the baseline is an exponentially weighted mean of
 * its RTTs ({@code weight} on each new one, the first RTT starts it); a sample is a rise when it is at least
 * {@code factor} × the baseline and at least {@code minRiseMicros} above it (so 1 ms → 3 ms on a LAN is no rise).
 */
record RttRise(double weight, double factor, long minRiseMicros) {

    boolean rises(Double baselineMicros, long rttMicros) {
        return baselineMicros != null && rttMicros >= factor * baselineMicros
                && rttMicros - baselineMicros >= minRiseMicros;
    }

    /** The baseline after {@code rttMicros}. */
    double next(Double baselineMicros, long rttMicros) {
        return baselineMicros == null ? rttMicros : baselineMicros + weight * (rttMicros - baselineMicros);
    }
}

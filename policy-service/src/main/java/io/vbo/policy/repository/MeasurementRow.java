package io.vbo.policy.repository;

import io.vbo.events.ProbeResult;
import java.time.Instant;
import java.util.UUID;

/**
 * One stored probe result as the API shows it: a projection of {@link MeasurementEntity}, not a managed entity;
 * {@code ladder} holds a ladder's steps, {@code null} for other protocols.
 */
public record MeasurementRow(UUID probeId, Instant startedAt, String direction, String protocol, String outcome,
        Long bitsPerSecond, Integer retransmits, Double jitterMs, Double lossPercent, Long rttMicros, long durationMs,
        String address, String error, ProbeResult.Ladder ladder) {
}

package io.vbo.policy;

import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Results to feed the service, and polling for an asynchronous effect. */
final class TestData {
    private TestData() {
    }

    static ProbeResult ok(String pbx, String endpoint, Direction direction, long bps, Instant at) {
        return new ProbeResult(1, UUID.randomUUID(), pbx, endpoint, "10.231.7.2", direction, Protocol.TCP, bps, 0, null,
                null, 30_000L, 3100, Outcome.OK, null, at);
    }

    static ProbeResult failed(String pbx, String endpoint, Outcome outcome, Instant at) {
        return new ProbeResult(1, UUID.randomUUID(), pbx, endpoint, "10.231.7.2", Direction.DOWNLINK, Protocol.TCP,
                null, null, null, null, null, 5000, outcome, "unable to connect to server: Connection refused", at);
    }

    /** Polls {@code condition} every 100 ms until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

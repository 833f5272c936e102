package io.vbo.policy;

import io.vbo.events.CodecProfiles;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.VoiceLadder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /** A ladder at K = 1 on which the first {@code passed} rungs of the built-in profiles passed and the next failed. */
    static ProbeResult ladder(String pbx, String endpoint, Direction direction, int passed, Instant at) {
        List<VoiceLadder.Rung> rungs = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
        List<ProbeResult.Step> steps = new ArrayList<>();
        for (int i = 0; i <= passed && i < rungs.size(); i++) {
            VoiceLadder.Rung rung = rungs.get(i);
            boolean ok = i < passed;
            steps.add(new ProbeResult.Step(rung.codecs(), rung.packetBytes(), rung.packetizationMs(), 2,
                    rung.wireBps(0, 1), 100, ok ? 0.0 : 12.0, ok ? 0.3 : 9.0, ok ? 1.0 : 400.0, ok));
        }
        long top = passed == 0 ? 0 : steps.get(passed - 1).bitsPerSecond();
        return new ProbeResult(1, UUID.randomUUID(), pbx, endpoint, "10.231.7.2", direction, Protocol.LADDER, top,
                null, 0.3, 0.0, 30_000L, 20_000, Outcome.OK, null, at, new ProbeResult.Ladder(1, steps, top), null);
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

package io.vbo.probe.iperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.CodecProfiles;
import io.vbo.events.VoiceLadder;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The echo watch with scripted echoes and a stand-in process. Margins are wide (late = 600 ms against a 300 ms
 * limit) so that a loaded machine's scheduling cannot decide a case.
 */
class EchoWatchTest {
    private static final List<VoiceLadder.Rung> RUNGS = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
    private static final VoiceLadder.Rung G729 = RUNGS.get(1);
    private static final VoiceLadder.Rung G711 = RUNGS.get(5);

    /** A process stand-in that lives until destroyed (at most 10 s). */
    static final class Held extends Process {
        final CountDownLatch dead = new CountDownLatch(1);

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            dead.await(10, TimeUnit.SECONDS);
            return 0;
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            return dead.await(timeout, unit);
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public void destroy() {
            dead.countDown();
        }

        @Override
        public boolean isAlive() {
            return dead.getCount() > 0;
        }
    }

    /** Echoes that take {@code delayMs.applyAsInt(n)} ms for the n-th echo (0-based); negative: no answer. */
    private static EchoWatch watch(IntUnaryOperator delayMs) {
        AtomicInteger n = new AtomicInteger();
        return new EchoWatch((target, timeoutMs) -> {
            int ms = delayMs.applyAsInt(n.getAndIncrement());
            if (ms < 0) {
                return false;
            }
            Thread.sleep(ms);
            return true;
        }, Duration.ofMillis(50), 300, 18);
    }

    /** Starts a watched run, waits up to {@code ms} for it to be stopped, and ends it. */
    private static EchoWatch.Run runFor(EchoWatch watch, int ms) throws InterruptedException {
        EchoWatch.Run run = watch.target("10.231.9.2").run(G729, 1);
        Held process = new Held();
        run.started(process);
        process.waitFor(ms, TimeUnit.MILLISECONDS);
        run.ended();
        return run;
    }

    @Test
    void twoLateEchoesInARowStopTheRunAndTellHowMuchTheyRose() throws Exception {
        EchoWatch.Run run = runFor(watch(n -> n < 3 ? 0 : 600), 5000);

        assertTrue(run.queued().isPresent(), "stopped");
        assertTrue(run.queued().get().riseMs() >= 300, "at least the limit: " + run.queued());
        assertTrue(run.queued().get().afterMs() > 0);
    }

    @Test
    void oneLateEchoAloneDoesNotStopTheRun() throws Exception {
        EchoWatch.Run run = runFor(watch(n -> n == 3 || n == 6 ? 600 : 0), 1500);

        assertFalse(run.queued().isPresent(), "a single late echo is noise, not a queue");
    }

    @Test
    void aLostEchoCountsAsLateOnceTheTargetHasAnswered() throws Exception {
        EchoWatch.Run run = runFor(watch(n -> n < 3 ? 0 : -1), 5000);

        assertTrue(run.queued().isPresent(), "a full queue drops the echoes: stopped too");
    }

    @Test
    void aPhoneThatNeverAnswersIsNeverStopped() throws Exception {
        EchoWatch.Run run = runFor(watch(n -> -1), 1500);

        assertFalse(run.queued().isPresent(), "no baseline, no watch");
    }

    @Test
    void anOffWatchNeitherStopsNorTakesAShareOfTheStep() throws Exception {
        EchoWatch off = EchoWatch.off();
        assertFalse(off.on());
        assertEquals(12_800, off.streamBitsPerSecond(G729, 1), "G.729: 32-byte datagrams × 50/s");
        assertFalse(runFor(off, 300).queued().isPresent());
    }

    @Test
    void aNameIsRefusedBeforeAnyLookup() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EchoWatch.off().target("phone.example.com"));
        assertEquals("refusing to probe 'phone.example.com': not an IP address literal", e.getMessage());
    }

    @Test
    void theEchoesFramesAreTakenFromTheStepsRate() {
        EchoWatch every100ms = EchoWatch.reachability(Duration.ofMillis(100), 20, 18);
        // 62-byte frames (44 of IP + 18) × 10/s = 4,960 bit/s; a G.729 frame is 32 + 28 + 18 = 78 bytes: 7.95 fewer
        // datagrams/s of 32 bytes.
        assertEquals(10_765, every100ms.streamBitsPerSecond(G729, 1));
        // G.711 × 2: 218-byte frames, 100/s → 2.84 fewer.
        assertEquals(133_687, every100ms.streamBitsPerSecond(G711, 2));
    }
}

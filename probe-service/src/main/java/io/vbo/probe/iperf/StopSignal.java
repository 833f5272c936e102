package io.vbo.probe.iperf;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a probe early from another thread (a call started on the phone): the iperf3 client running now gets SIGTERM at
 * once, SIGKILL 2 s later if it is still there, and no later run of the same probe starts. Once given, the signal
 * stays: one signal per probe.
 */
public final class StopSignal {
    private static final long KILL_AFTER_MS = 2000;

    private String reason;
    private Process process;

    /** Stops the probe; the first reason given is the one reported. Never blocks. */
    public synchronized void stop(String why) {
        if (reason != null) {
            return;
        }
        reason = why;
        notifyAll();
        if (process != null) {
            terminate(process);
        }
    }

    /** Waits up to {@code duration}, less if the signal is given meanwhile (a pause between runs ends with it). */
    public synchronized void await(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); reason == null && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public synchronized boolean given() {
        return reason != null;
    }

    /** Why the probe was stopped, or {@code null} while it was not. */
    public synchronized String reason() {
        return reason;
    }

    /** Registers the run now in progress; stops it at once if the signal came while it was starting. */
    synchronized void attach(Process started) {
        process = started;
        if (reason != null) {
            terminate(started);
        }
    }

    synchronized void detach() {
        process = null;
    }

    /** SIGTERM lets iperf3 tell the phone's server the test is over (see {@link Iperf3Runner}). */
    private static void terminate(Process process) {
        process.destroy();
        CompletableFuture.delayedExecutor(KILL_AFTER_MS, TimeUnit.MILLISECONDS).execute(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        });
    }
}

package io.vbo.lab;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping a process a test started: SIGTERM so it shuts down cleanly, SIGKILL if it is still there after a grace. */
public final class Processes {
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private Processes() {
    }

    /** Returns once the process is gone (or, after SIGKILL, after at most five more seconds). */
    public static void stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            kill(process);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        }
    }

    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        process.onExit().completeOnTimeout(process, AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS).join();
    }
}

package io.vbo.compose;

import io.vbo.compose.ComposeProject.Container;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the project's container healthchecks, which Podman leaves to systemd timers (there is no systemd here):
 * {@code podman healthcheck run} every {@link #TICK} while a container is in its start period (failures there do
 * not count, as with Docker's {@code start_interval}), then at the healthcheck's own interval, so the compose file's
 * {@code retries} keep the tolerance they have under Docker. docker-compose's {@code condition: service_healthy}
 * sees the results through the API. Start it before {@code up}; {@link #close()} stops it.
 */
final class Healthchecks implements AutoCloseable {
    static final Duration TICK = Duration.ofSeconds(2);
    /** Restarts after which a service is crash-looping, not slow (one restart happens on a loaded machine). */
    static final int CRASH_LOOP_RESTARTS = 3;

    private final ComposeProject project;
    private final Podman podman;
    private final ExecutorService checks = Executors.newFixedThreadPool(4, daemon("healthcheck-run"));
    private final ExecutorService loop = Executors.newSingleThreadExecutor(daemon("healthchecks"));
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Healthchecks(ComposeProject project, Podman podman) {
        this.project = project;
        this.podman = podman;
        loop.submit(this::runLoop);
    }

    /** A service that did not become healthy (or, for a one-shot, did not succeed), with its diagnosis. */
    static final class ServiceNotHealthy extends AssertionError {
        private final String service;

        ServiceNotHealthy(String service, String message) {
            super(message);
            this.service = service;
        }

        String service() {
            return service;
        }
    }

    /**
     * Waits until every container with a healthcheck is healthy and every one-shot ({@code restart: "no"}, no
     * healthcheck) exited 0. Fails at once, naming the service, when a one-shot fails or a service crash-loops;
     * otherwise, at the deadline, names the first service that is still not healthy. The message carries the last
     * healthcheck output and the tail of the service's log.
     */
    void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Container> containers = project.containers();
            for (Container c : containers) {
                if (c.health() == null && "exited".equals(c.status()) && c.exitCode() != 0) {
                    throw notHealthy(c, "exited with status " + c.exitCode());
                }
                if (c.restartCount() >= CRASH_LOOP_RESTARTS) {
                    throw notHealthy(c, "restarted " + c.restartCount() + " times (crash loop)");
                }
            }
            List<Container> pending = containers.stream()
                    .filter(c -> c.health() != null ? !(c.running() && c.healthy()) : c.running()).toList();
            if (!containers.isEmpty() && pending.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw notHealthy(pending.isEmpty() ? null : pending.get(0), "not healthy after " + timeout.toSeconds()
                        + " s; pending: " + pending.stream().map(Container::service).collect(Collectors.joining(", ")));
            }
            sleep(TICK);
        }
    }

    private ServiceNotHealthy notHealthy(Container c, String why) {
        if (c == null) {
            return new ServiceNotHealthy("", "project " + project.name() + " has no containers: " + why);
        }
        return new ServiceNotHealthy(c.service(), c.service() + " " + why + " (status " + c.status() + ", health "
                + c.health() + ", restarts " + c.restartCount() + ")\nlast healthcheck: " + c.lastCheck().strip()
                + "\nlog tail:\n" + project.logs(c, 40));
    }

    private void runLoop() {
        while (!closed) {
            try {
                Instant now = Instant.now();
                for (Container c : project.containers()) {
                    if (c.running() && c.health() != null && !c.healthy() && due(c, now) && inFlight.add(c.id())) {
                        lastRun.put(c.id(), now);
                        checks.submit(() -> {
                            try {
                                podman.run(Duration.ofSeconds(90), "healthcheck", "run", c.id());
                            } finally {
                                inFlight.remove(c.id());
                            }
                        });
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                // podman briefly refuses while compose creates or removes containers; the next tick retries.
            }
            sleep(TICK);
        }
    }

    private boolean due(Container c, Instant now) {
        Instant previous = lastRun.get(c.id());
        boolean inStartPeriod = now.isBefore(c.startedAt().plus(c.startPeriod()));
        return previous == null || inStartPeriod || previous.isBefore(c.startedAt())
                || !now.isBefore(previous.plus(c.interval()));
    }

    @Override
    public void close() {
        closed = true;
        loop.shutdownNow();
        checks.shutdownNow();
        try {
            loop.awaitTermination(30, TimeUnit.SECONDS);
            checks.awaitTermination(100, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

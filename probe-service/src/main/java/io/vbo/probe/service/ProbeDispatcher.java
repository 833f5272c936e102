package io.vbo.probe.service;

import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointGone;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.probe.config.ProbeConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Starts due probes within the limits: at most {@code max-parallel} at once, and at most
 * {@code max-parallel-per-pbx} per PBX (default 1: probes sharing an uplink would each see part of it).
 * An endpoint in a call is not probed: it gets a {@code DEFERRED_ACTIVE_CALL} result and stays due until the call ends.
 */
@ApplicationScoped
public class ProbeDispatcher {
    private static final Logger LOG = Logger.getLogger(ProbeDispatcher.class);

    @Inject
    ProbeConfig config;
    @Inject
    EndpointProber prober;
    @Inject
    ResultPublisher publisher;
    @Inject
    TargetPolicy targets;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Integer> runningPerPbx = new HashMap<>();
    /** Endpoint key → the address last refused for it, so one refusal is reported once, not on every observation. */
    private final Map<String, String> refused = new HashMap<>();
    private Schedule schedule;
    private ExecutorService executor;
    private int running;

    @PostConstruct
    void init() {
        schedule = new Schedule(config.interval(), config.intervalSpread(), () -> ThreadLocalRandom.current().nextDouble());
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(Math.max(1, config.maxParallel()), r -> {
            Thread t = new Thread(r, "probe-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }

    /** Whether this instance probes for {@code pbxId} ({@code vbo.probe.pbx-ids}, empty = all). */
    public boolean serves(String pbxId) {
        Optional<Set<String>> ids = config.pbxIds();
        return ids.isEmpty() || ids.get().isEmpty() || ids.get().contains(pbxId);
    }

    /** Takes an event from {@code vbo.endpoints}; events of PBXs served elsewhere are ignored. */
    public void accept(EndpointEvent event) {
        if (!serves(event.pbxId())) {
            LOG.debugf("ignoring %s: PBX %s is not in vbo.probe.pbx-ids", event.key(), event.pbxId());
            return;
        }
        synchronized (this) {
            if (event instanceof EndpointObserved observed) {
                Optional<String> refusal = targets.refusal(observed.pbxId(), observed.address());
                if (refusal.isPresent()) {
                    refuse(observed, refusal.get());
                    return;
                }
                refused.remove(observed.key());
                schedule.observe(observed, clock.instant());
            } else if (event instanceof EndpointGone gone) {
                refused.remove(gone.key());
                schedule.remove(gone.pbxId(), gone.endpoint());
                LOG.infof("%s gone (%s): no longer probed", gone.key(), gone.reason());
            }
        }
        dispatch();
    }

    /**
     * A target that must never be probed: it leaves the schedule (the address it had before is no longer the phone's)
     * and the refusal is logged and published once per address.
     */
    private void refuse(EndpointObserved observed, String reason) {
        schedule.remove(observed.pbxId(), observed.endpoint());
        if (!observed.address().equals(refused.put(observed.key(), observed.address()))) {
            LOG.warnf("%s: not probed, %s%s", observed.key(), TargetPolicy.REFUSED, reason);
            publisher.refused(observed, prober.attempts(observed.address()).get(0), reason);
        }
    }

    /** Makes a known endpoint due now; false if it is unknown here. */
    public synchronized boolean requestProbe(String pbxId, String endpoint) {
        Optional<Schedule.Entry> entry = schedule.get(pbxId, endpoint);
        entry.ifPresent(e -> schedule.dueNow(e, clock.instant()));
        if (entry.isPresent()) {
            dispatch();
        }
        return entry.isPresent();
    }

    /** What the schedule holds, for the REST view. */
    public synchronized List<EndpointSchedule> snapshot() {
        return schedule.all().stream().map(e -> new EndpointSchedule(e.latest.pbxId(), e.latest.endpoint(),
                e.latest.address(), e.latest.status().name(), e.latest.activeCalls(), e.running, e.nextDue,
                e.lastProbedAt, e.lastOutcome)).toList();
    }

    /** Starts whatever is due and fits the limits. Called on every event, every tick, and after every probe. */
    public synchronized void dispatch() {
        Instant now = clock.instant();
        for (Schedule.Entry entry : schedule.due(now)) {
            EndpointObserved target = entry.latest;
            if (entry.callActive()) {
                if (!entry.deferralReported) {
                    entry.deferralReported = true;
                    LOG.infof("%s has %d active call(s): probe deferred until the call ends", target.key(),
                            target.activeCalls());
                    publisher.deferred(target, prober.attempts(target.address()).get(0));
                }
                continue;
            }
            if (running >= config.maxParallel()) {
                continue;
            }
            int onPbx = runningPerPbx.getOrDefault(target.pbxId(), 0);
            if (onPbx >= config.maxParallelPerPbx()) {
                continue;
            }
            entry.running = true;
            running++;
            runningPerPbx.put(target.pbxId(), onPbx + 1);
            executor.execute(() -> run(entry, target));
        }
    }

    private void run(Schedule.Entry entry, EndpointObserved target) {
        EndpointProber.Run result = EndpointProber.Run.failed(Outcome.ERROR);
        try {
            result = prober.probe(target, () -> callActive(entry));
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe of %s failed unexpectedly", target.key());
        } finally {
            synchronized (this) {
                running--;
                runningPerPbx.merge(target.pbxId(), -1, Integer::sum);
                Instant now = clock.instant();
                if (result.deferred()) {
                    entry.running = false;
                    entry.deferralReported = true;
                } else {
                    schedule.finished(entry, target.address(), result.outcome(), now);
                }
            }
        }
        dispatch();
    }

    private synchronized boolean callActive(Schedule.Entry entry) {
        return schedule.contains(entry) && entry.callActive();
    }

    /** One endpoint's place in the schedule. */
    public record EndpointSchedule(String pbxId, String endpoint, String address, String status, int activeCalls,
            boolean running, Instant nextDueAt, Instant lastProbedAt, Outcome lastOutcome) {
    }
}

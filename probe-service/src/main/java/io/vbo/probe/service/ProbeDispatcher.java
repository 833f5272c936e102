package io.vbo.probe.service;

import io.vbo.events.CallQuality;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointGone;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.Validate;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.probe.iperf.StopSignal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Starts due probes within the limits: at most {@code max-parallel} at once and {@code max-parallel-per-pbx} per PBX,
 * and only while the peak send rates of the probes running on an uplink, and its live calls (one call's worth each),
 * add up to its budget ({@link Budget}: the PBX's, and the site's where one is set); a call starting on the uplink
 * stops the newest probes while they exceed it by more than one call's worth. A site (endpoints sharing one uplink) is one probe target
 * ({@link Schedule}). An endpoint in a call is not probed: it gets a {@code DEFERRED_ACTIVE_CALL} result and stays due
 * until the call ends; a probe running when its call starts is stopped at once (discovery reports the call as it
 * starts). Trouble (a qualify RTT rise, a call's loss or jitter, a new address) makes a target due sooner.
 */
@Startup
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
    private final Budget budget = new Budget();
    /** The running probes' reservations, oldest first: the newest is stopped first when calls need the room. */
    private final Map<Schedule.Entry, Reservation> reservations = new LinkedHashMap<>();
    /** Endpoint key → the address last refused for it, so one refusal is reported once, not on every observation. */
    private final Map<String, String> refused = new HashMap<>();
    private Schedule schedule;
    private ExecutorService executor;
    private int running;

    /**
     * Eager ({@code @Startup}): a probe host that is not an IP literal, or a budget, uplink or share that is not
     * positive, stops the start with its key named.
     */
    @PostConstruct
    void init() {
        positive("vbo.probe.budget", config.budget());
        if (!(config.budgetShare() > 0 && config.budgetShare() <= 1)) {
            throw new IllegalStateException("vbo.probe.budget-share must be above 0 and at most 1, got "
                    + config.budgetShare());
        }
        config.pbx().forEach((id, p) -> {
            p.budget().ifPresent(bps -> positive("vbo.probe.pbx.\"" + id + "\".budget", bps));
            p.uplink().ifPresent(bps -> positive("vbo.probe.pbx.\"" + id + "\".uplink", bps));
        });
        config.sites().forEach((site, s) -> {
            s.budget().ifPresent(bps -> positive("vbo.probe.sites.\"" + site + "\".budget", bps));
            s.uplink().ifPresent(bps -> positive("vbo.probe.sites.\"" + site + "\".uplink", bps));
        });
        config.sites().forEach((site, settings) -> settings.probeHost().filter(host -> !Validate.isIpLiteral(host))
                .ifPresent(host -> {
                    throw new IllegalStateException("vbo.probe.sites.\"" + site
                            + "\".probe-host must be an IP literal, got '" + host + "'");
                }));
        ProbeConfig.Reprobe reprobe = config.reprobe();
        schedule = new Schedule(config.interval(), config.intervalSpread(), reprobe.minGap(),
                reprobe.rttQuietAfterProbe(), new RttRise(reprobe.rttWeight(), reprobe.rttFactor(),
                        reprobe.rttMinRise().toNanos() / 1000),
                site -> Optional.ofNullable(config.sites().get(site)).flatMap(ProbeConfig.Site::probeHost),
                () -> ThreadLocalRandom.current().nextDouble(), config.ladder().checkInterval());
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(Math.max(1, config.maxParallel()), r -> {
            Thread t = new Thread(r, "probe-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static void positive(String key, long bps) {
        if (bps <= 0) {
            throw new IllegalStateException(key + " must be a positive number of bit/s, got " + bps);
        }
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
                Optional<String> refusal = targets.refusal(observed.pbxId(), probedAddress(observed));
                if (refusal.isPresent()) {
                    refuse(observed, refusal.get());
                    return;
                }
                refused.remove(observed.key());
                Schedule.Observed seen = schedule.observe(observed, clock.instant());
                Schedule.Entry entry = seen.entry();
                if (seen.rttRose()) {
                    LOG.infof("%s: qualify RTT rose to %d µs, re-probe due %s", observed.key(), observed.rttMicros(),
                            entry.running ? "after the running probe" : "at " + entry.nextDue);
                }
                if (entry.running && entry.callActive()) {
                    LOG.infof("%s: a call started, stopping its probe", observed.key());
                    entry.stop.stop(calls(entry));
                }
            } else if (event instanceof EndpointGone gone) {
                refused.remove(gone.key());
                schedule.remove(gone.pbxId(), gone.endpoint());
                LOG.infof("%s gone (%s): no longer probed", gone.key(), gone.reason());
            }
        }
        dispatch();
    }

    /**
     * A call on a known endpoint reported loss or jitter at or above {@code vbo.probe.reprobe.call-*}: its link (or
     * its site's) is probed again, after the call and no sooner than {@code min-gap} after its last probe. Reports
     * older than {@code min-gap} (a backlog read at start) are only logged at debug level.
     */
    public void callQuality(CallQuality quality) {
        if (!serves(quality.pbxId())) {
            return;
        }
        Instant now = clock.instant();
        Optional<String> trouble = trouble(quality);
        if (trouble.isEmpty() || quality.at().isBefore(now.minus(config.reprobe().minGap()))) {
            LOG.debugf("%s/%s call %s: no re-probe (%s)", quality.pbxId(), quality.endpoint(), quality.callId(),
                    trouble.map(t -> "report too old: " + t).orElse("quality fine"));
            return;
        }
        synchronized (this) {
            Optional<Schedule.Entry> entry = schedule.get(quality.pbxId(), quality.endpoint());
            if (entry.isEmpty()) {
                return;
            }
            schedule.reprobe(entry.get(), now);
            LOG.infof("%s/%s: call %s %s, re-probe due %s", quality.pbxId(), quality.endpoint(), quality.callId(),
                    trouble.get(), entry.get().running ? "after the running probe" : "at " + entry.get().nextDue);
        }
        dispatch();
    }

    /** What in a call report is bad enough for a probe, if anything. */
    private Optional<String> trouble(CallQuality quality) {
        double lossLimit = config.reprobe().callLossPercent();
        double jitterLimit = config.reprobe().callJitter().toNanos() / 1e6;
        Double loss = quality.kind() == CallQuality.Kind.SAMPLE ? Double.valueOf(quality.sample().lossPercent())
                : quality.summary().lossPercent();
        Double jitter = quality.kind() == CallQuality.Kind.SAMPLE ? quality.sample().jitterMs()
                : quality.summary().maxJitterMs();
        if (loss != null && loss >= lossLimit) {
            return Optional.of(String.format("reported %.1f %% loss", loss));
        }
        if (jitter != null && jitter >= jitterLimit) {
            return Optional.of(String.format("reported %.1f ms jitter", jitter));
        }
        return Optional.empty();
    }

    /** The address a probe for this observation goes to: its site's probe host, if set, else its own. */
    private String probedAddress(EndpointObserved observed) {
        return Optional.ofNullable(observed.site()).map(config.sites()::get).flatMap(ProbeConfig.Site::probeHost)
                .orElse(observed.address());
    }

    /**
     * A target that must never be probed: it leaves the schedule (the address it had before is no longer the phone's)
     * and the refusal is logged and published once per address.
     */
    private void refuse(EndpointObserved observed, String reason) {
        schedule.remove(observed.pbxId(), observed.endpoint());
        String address = probedAddress(observed);
        if (!address.equals(refused.put(observed.key(), address))) {
            LOG.warnf("%s: not probed, %s%s", observed.key(), TargetPolicy.REFUSED, reason);
            publisher.refused(observed, prober.attempts(address, prober.calls(observed), config.profiles()).get(0),
                    reason);
        }
    }

    /**
     * Makes a known endpoint (its site, if it has one) due now, with {@code profiles} for that probe only (empty: the
     * configured ones; e.g. {@code tcp} for capacity planning on a fleet that runs the ladder); false if it is unknown
     * here. A probe deferred for a call keeps the profiles asked for.
     */
    public synchronized boolean requestProbe(String pbxId, String endpoint, List<ProbeConfig.Profile> profiles) {
        Optional<Schedule.Entry> entry = schedule.get(pbxId, endpoint);
        entry.ifPresent(e -> {
            schedule.dueNow(e, clock.instant());
            e.profilesOnce = profiles.isEmpty() ? null : List.copyOf(profiles);
            LOG.infof("%s/%s: probe asked for now, profiles %s", pbxId, endpoint,
                    profiles.isEmpty() ? config.profiles() + " (configured)" : profiles);
        });
        if (entry.isPresent()) {
            dispatch();
        }
        return entry.isPresent();
    }

    /** What the schedule holds, one row per endpoint, for the REST view. */
    public synchronized List<EndpointSchedule> snapshot() {
        List<EndpointSchedule> rows = new ArrayList<>();
        for (Schedule.Entry e : schedule.all()) {
            String through = e.target().map(EndpointObserved::address).orElse(null);
            for (EndpointObserved o : e.latest.values()) {
                rows.add(new EndpointSchedule(o.pbxId(), o.endpoint(), o.address(), o.status().name(), o.activeCalls(),
                        e.running, e.nextDue, e.lastProbedAt, e.lastOutcome, e.site, through));
            }
        }
        return rows;
    }

    /** Starts whatever is due and fits the limits. Called on every event, every tick, and after every probe. */
    public synchronized void dispatch() {
        Instant now = clock.instant();
        makeRoomForCalls();
        // An uplink a due target did not fit on takes no later target this round, so a big probe is not starved.
        Set<String> full = new HashSet<>();
        for (Schedule.Entry entry : schedule.due(now)) {
            EndpointObserved target = entry.target().orElseThrow();
            boolean check = entry.checkDue(now);
            if (entry.callActive()) {
                // A check waits for the call's end unreported: it is no result, and the link is in use anyway.
                if (!check && !entry.deferralReported) {
                    entry.deferralReported = true;
                    LOG.infof("%s has %d active call(s): probe deferred until the call ends", target.key(),
                            entry.activeCalls());
                    publisher.deferred(target, prober.attempts(target, profiles(entry)).get(0),
                            calls(entry));
                }
                continue;
            }
            if (running >= config.maxParallel()) {
                continue;
            }
            int onPbx = runningPerPbx.getOrDefault(target.pbxId(), 0);
            List<Budget.Uplink> uplinks = uplinks(entry);
            List<ProbeConfig.Profile> profiles = profiles(entry);
            EndpointProber.CheckAt at = entry.check;
            List<ProbeSpec> attempts = check ? List.of(prober.checkSpec(target, at)) : prober.attempts(target, profiles);
            long peak = check ? at.rung().udpBitsPerSecond(at.calls()) : prober.peakBps(attempts);
            if (onPbx >= config.maxParallelPerPbx() || uplinks.stream().anyMatch(u -> full.contains(u.key()))
                    || !budget.fits(uplinks, peak)) {
                uplinks.forEach(u -> full.add(u.key()));
                continue;
            }
            StopSignal stop = new StopSignal();
            entry.running = true;
            entry.stop = stop;
            running++;
            runningPerPbx.put(target.pbxId(), onPbx + 1);
            budget.reserve(uplinks, peak);
            reservations.put(entry, new Reservation(uplinks, peak));
            executor.execute(check ? () -> runCheck(entry, target, stop, at)
                    : () -> run(entry, target, stop, profiles, attempts));
        }
    }

    /** What a running probe holds of the budgets it crosses. */
    private record Reservation(List<Budget.Uplink> uplinks, long peak) {
    }

    /**
     * Counts the live calls on every uplink and stops running probes, newest first, while an uplink's probes and calls
     * exceed its budget by more than one call's worth (a call started meanwhile: probes are admitted only while they
     * fit next to the calls). A probe already told to stop gives its reservation back at once.
     */
    private void makeRoomForCalls() {
        long perCall = prober.callBps();
        Map<String, Long> live = new HashMap<>();
        for (Schedule.Entry e : schedule.all()) {
            long bps = e.activeCalls() * perCall;
            if (bps > 0) {
                uplinks(e).forEach(u -> live.merge(u.key(), bps, Long::sum));
            }
        }
        budget.liveCalls(live);
        List<Schedule.Entry> newestFirst = new ArrayList<>(reservations.keySet());
        Collections.reverse(newestFirst);
        for (Schedule.Entry e : newestFirst) {
            Reservation r = reservations.get(e);
            Optional<Budget.Uplink> over = e.stop.given() ? Optional.empty()
                    : r.uplinks().stream().filter(u -> budget.overBy(u, perCall) > 0).findFirst();
            if (over.isPresent()) {
                Budget.Uplink u = over.get();
                String reason = String.format("live calls on uplink %s take %d of its %d bit/s budget", u.key(),
                        live.get(u.key()), u.bps());
                LOG.infof("%s/%s: %s, stopping its probe (%d bit/s)", e.pbxId, e.target().map(
                        EndpointObserved::endpoint).orElse("?"), reason, Math.min(r.peak(), u.bps()));
                e.stop.stop(reason);
            }
            if (e.stop.given()) {
                budget.release(r.uplinks(), r.peak());
                reservations.remove(e);
            }
        }
    }

    /** The uplinks a probe of {@code entry} crosses: its PBX's, and its site's where the site has a budget. */
    private List<Budget.Uplink> uplinks(Schedule.Entry entry) {
        ProbeConfig.Pbx pbx = config.pbx().get(entry.pbxId);
        double share = config.budgetShare();
        long pbxBudget = Optional.ofNullable(pbx).flatMap(p -> Budget.of(p.budget(), p.uplink(), share))
                .orElse(config.budget());
        List<Budget.Uplink> uplinks = new ArrayList<>(List.of(new Budget.Uplink(entry.pbxId, pbxBudget)));
        Optional.ofNullable(entry.site).map(config.sites()::get).flatMap(s -> Budget.of(s.budget(), s.uplink(), share))
                .ifPresent(bps -> uplinks.add(new Budget.Uplink(entry.pbxId + "/" + entry.site, bps)));
        return uplinks;
    }

    private List<ProbeConfig.Profile> profiles(Schedule.Entry entry) {
        return entry.profilesOnce != null ? entry.profilesOnce : config.profiles();
    }

    private static String calls(Schedule.Entry entry) {
        return entry.activeCalls() + " active call(s)";
    }

    private void run(Schedule.Entry entry, EndpointObserved target, StopSignal stop,
            List<ProbeConfig.Profile> profiles, List<ProbeSpec> attempts) {
        EndpointProber.Run result = EndpointProber.Run.failed(Outcome.ERROR);
        try {
            result = prober.probe(target, stop, attempts);
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe of %s failed unexpectedly", target.key());
        } finally {
            synchronized (this) {
                Instant now = ended(entry, target);
                if (attempts.stream().anyMatch(a -> a.protocol() == Protocol.LADDER)) {
                    schedule.checkFrom(entry, result.check().orElse(null), now);
                }
                if (result.deferred()) {
                    // The deferral was published for this call; a call that already ended gets none of its own.
                    entry.running = false;
                    entry.deferralReported = entry.callActive();
                } else {
                    // Profiles asked for while this probe ran are for the next one.
                    if (entry.profilesOnce == profiles) {
                        entry.profilesOnce = null;
                    }
                    schedule.finished(entry, target, result.outcome(), now);
                }
            }
        }
        dispatch();
    }

    private void runCheck(Schedule.Entry entry, EndpointObserved target, StopSignal stop, EndpointProber.CheckAt at) {
        LadderProbe.Check check = null;
        try {
            check = prober.check(target, at, stop);
        } catch (RuntimeException e) {
            LOG.errorf(e, "check of %s failed unexpectedly", target.key());
        } finally {
            synchronized (this) {
                schedule.checked(entry, check, ended(entry, target));
            }
        }
        dispatch();
    }

    /** A probe or check of {@code entry} is over: its slots and reservation are given back; returns the time. */
    private Instant ended(Schedule.Entry entry, EndpointObserved target) {
        running--;
        runningPerPbx.merge(target.pbxId(), -1, Integer::sum);
        Reservation reservation = reservations.remove(entry);
        if (reservation != null) {
            budget.release(reservation.uplinks(), reservation.peak());
        }
        entry.stop = null;
        return clock.instant();
    }

    /**
     * One endpoint's place in the schedule: {@code site} is its site ({@code null}: its own), {@code probedThrough}
     * the address its (site's) probe goes to; running, due and last-probe fields are its site's.
     */
    public record EndpointSchedule(String pbxId, String endpoint, String address, String status, int activeCalls,
            boolean running, Instant nextDueAt, Instant lastProbedAt, Outcome lastOutcome, String site,
            String probedThrough) {
    }
}

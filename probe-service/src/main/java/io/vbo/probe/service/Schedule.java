package io.vbo.probe.service;

import io.vbo.events.EndpointObserved;
import io.vbo.events.EventKeys;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.StopSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * When each probe target is next due. A target is one endpoint, or one site (every endpoint whose
 * {@code EndpointObserved.site} names it: they share one uplink, so it is measured once, through the site's probe host
 * or its first probeable endpoint by name). Due at once when first seen, then every interval (randomly spread), and
 * sooner on trouble ({@link #reprobe}: no sooner than {@code minGap} after the last probe). Never while no member is
 * reachable. Not thread-safe: the dispatcher serialises access.
 */
final class Schedule {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Endpoint key → its entry's key and RTT baseline. */
    private final Map<String, Member> members = new HashMap<>();
    private final Duration interval;
    private final double spread;
    private final Duration minGap;
    private final Duration rttQuiet;
    private final RttRise rtt;
    private final Function<String, Optional<String>> probeHosts;
    private final DoubleSupplier random;
    private final Duration checkInterval;

    Schedule(Duration interval, double spread, Duration minGap, Duration rttQuiet, RttRise rtt,
            Function<String, Optional<String>> probeHosts, DoubleSupplier random, Duration checkInterval) {
        this.checkInterval = checkInterval;
        this.interval = interval;
        this.spread = Math.max(0, Math.min(0.9, spread));
        this.minGap = minGap;
        this.rttQuiet = rttQuiet;
        this.rtt = rtt;
        this.probeHosts = probeHosts;
        this.random = random;
    }

    private static final class Member {
        String entryKey;
        Double rttBaselineMicros;
    }

    /** One probe target's scheduling state: an endpoint, or a site and its endpoints. */
    static final class Entry {
        final String pbxId;
        /** {@code null}: the entry is one endpoint, its own site. */
        final String site;
        /** The latest observation of each endpoint, by name. */
        final TreeMap<String, EndpointObserved> latest = new TreeMap<>();
        final Optional<String> probeHost;
        Instant nextDue;
        boolean running;
        /** Stops the probe running now, when a call starts; {@code null} while none runs. */
        StopSignal stop;
        boolean deferralReported;
        /** An event asked for a probe while one ran: the next is due {@code minGap} after it, not an interval. */
        boolean reprobeAfterRun;
        /** An operator asked for a probe while one ran: the next is due as soon as it ends. */
        boolean dueAfterRun;
        /** Profiles an operator asked for, for the next probe only; {@code null}: the configured ones. */
        List<ProbeConfig.Profile> profilesOnce;
        Instant lastProbedAt;
        Outcome lastOutcome;
        /** What the checks between ladders send; {@code null}: no check (none yet, or the last ladder's was void). */
        EndpointProber.CheckAt check;
        Instant nextCheck;

        Entry(String pbxId, String site, Optional<String> probeHost) {
            this.pbxId = pbxId;
            this.site = site;
            this.probeHost = probeHost;
        }

        /** A check is due (and no probe, which would measure the link anyway). */
        boolean checkDue(Instant now) {
            return check != null && !running && nextDue.isAfter(now) && !nextCheck.isAfter(now);
        }

        boolean callActive() {
            return activeCalls() > 0;
        }

        /** Calls on the entry's endpoints: any of them is on the uplink a probe would fill. */
        int activeCalls() {
            return latest.values().stream().mapToInt(EndpointObserved::activeCalls).sum();
        }

        /**
         * What a probe of this entry is sent to: the first probeable endpoint's observation (its address replaced by
         * the site's probe host, if one is set); empty while none is probeable.
         */
        Optional<EndpointObserved> target() {
            return latest.values().stream().filter(o -> o.status().probeable()).findFirst()
                    .map(o -> probeHost.map(host -> withAddress(o, host)).orElse(o));
        }

        private static EndpointObserved withAddress(EndpointObserved o, String address) {
            return new EndpointObserved(o.schema(), o.pbxId(), o.endpoint(), o.aor(), o.contactUri(), address, o.port(),
                    o.transport(), o.status(), o.rttMicros(), o.userAgent(), o.activeCalls(), o.observedAt(), o.site());
        }


    }

    /** What an observation changed for its entry. */
    record Observed(Entry entry, boolean rttRose) {
    }

    /** Records an observation; a new target is due at once, a moved one or a risen RTT is {@link #reprobe}d. */
    Observed observe(EndpointObserved observed, Instant now) {
        String endpointKey = EventKeys.key(observed.pbxId(), observed.endpoint());
        String entryKey = observed.site() == null ? observed.pbxId() + "/e:" + observed.endpoint()
                : observed.pbxId() + "/s:" + observed.site();
        Member member = members.computeIfAbsent(endpointKey, k -> new Member());
        if (member.entryKey != null && !member.entryKey.equals(entryKey)) {
            leave(member.entryKey, observed.endpoint());
        }
        member.entryKey = entryKey;
        Entry entry = entries.get(entryKey);
        Optional<EndpointObserved> before = entry == null ? Optional.empty() : entry.target();
        if (entry == null) {
            entry = new Entry(observed.pbxId(), observed.site(),
                    observed.site() == null ? Optional.empty() : probeHosts.apply(observed.site()));
            entry.nextDue = now;
            entries.put(entryKey, entry);
        }
        entry.latest.put(observed.endpoint(), observed);
        boolean moved = before.isPresent() && moved(entry, before.get());
        if (moved) {
            entry.check = null;
        }
        if (!entry.callActive()) {
            entry.deferralReported = false;
        }
        boolean rose = judgeRtt(entry, member, observed, now);
        if (moved || rose) {
            reprobe(entry, now);
        }
        return new Observed(entry, rose);
    }

    /**
     * Whether the entry's target is the same endpoint as {@code probed} at another address. Another endpoint of the
     * site taking over (one joined, or the previous went unreachable) measures the same uplink: no move.
     */
    private static boolean moved(Entry entry, EndpointObserved probed) {
        return entry.target().filter(t -> t.endpoint().equals(probed.endpoint()))
                .map(t -> !t.address().equals(probed.address())).orElse(false);
    }

    /** RTTs taken while the entry's probe loads the link, or just after, are neither judged nor learnt. */
    private boolean judgeRtt(Entry entry, Member member, EndpointObserved observed, Instant now) {
        if (observed.rttMicros() == null || entry.running
                || entry.lastProbedAt != null && now.isBefore(entry.lastProbedAt.plus(rttQuiet))) {
            return false;
        }
        boolean rose = rtt.rises(member.rttBaselineMicros, observed.rttMicros());
        member.rttBaselineMicros = rtt.next(member.rttBaselineMicros, observed.rttMicros());
        return rose;
    }

    /**
     * Trouble seen (RTT rise, a call's loss or jitter, a new address): due now, but no sooner than {@code minGap}
     * after the last probe ended; while one runs, that long after it ends.
     */
    void reprobe(Entry entry, Instant now) {
        if (entry.running) {
            entry.reprobeAfterRun = true;
            return;
        }
        Instant due = entry.lastProbedAt == null ? now : max(now, entry.lastProbedAt.plus(minGap));
        if (due.isBefore(entry.nextDue)) {
            entry.nextDue = due;
        }
    }

    private void leave(String entryKey, String endpoint) {
        Entry entry = entries.get(entryKey);
        if (entry != null) {
            entry.latest.remove(endpoint);
            if (entry.latest.isEmpty()) {
                entries.remove(entryKey);
            }
        }
    }

    void remove(String pbxId, String endpoint) {
        Member member = members.remove(EventKeys.key(pbxId, endpoint));
        if (member != null) {
            leave(member.entryKey, endpoint);
        }
    }

    /** The entry an endpoint belongs to. */
    Optional<Entry> get(String pbxId, String endpoint) {
        Member member = members.get(EventKeys.key(pbxId, endpoint));
        return member == null ? Optional.empty() : Optional.ofNullable(entries.get(member.entryKey));
    }

    /** Entries whose probe or check may start now ({@link Entry#checkDue}), oldest due first. */
    List<Entry> due(Instant now) {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (!entry.running && (!entry.nextDue.isAfter(now) || entry.checkDue(now)) && entry.target().isPresent()) {
                due.add(entry);
            }
        }
        due.sort(Comparator.comparing(e -> e.checkDue(now) ? e.nextCheck : e.nextDue));
        return due;
    }

    /** After a probe with a ladder: what its checks send ({@code null}: none), the first one a check interval on. */
    void checkFrom(Entry entry, EndpointProber.CheckAt at, Instant now) {
        entry.check = checkInterval.isZero() ? null : at;
        entry.nextCheck = now.plus(checkInterval);
    }

    /**
     * After a check: the next one a check interval on; a link that no longer carries the rung has its ladder due
     * now (no sooner than {@code minGap} after the last probe) and no checks until then. A check stopped for a call
     * is due again once the call is over.
     */
    void checked(Entry entry, LadderProbe.Check check, Instant now) {
        entry.running = false;
        askedWhileRunning(entry, false, now);
        if (check != null && check.outcome() == Outcome.DEFERRED_ACTIVE_CALL) {
            return;
        }
        if (check != null && check.outcome() == Outcome.OK && !check.carried()) {
            entry.check = null;
            reprobe(entry, now);
            return;
        }
        entry.nextCheck = now.plus(checkInterval);
    }

    /**
     * After a probe: due again after the spread interval, or {@code minGap} after it when the target moved meanwhile
     * or trouble was seen while it ran.
     */
    void finished(Entry entry, EndpointObserved probed, Outcome outcome, Instant now) {
        entry.running = false;
        entry.lastProbedAt = now;
        entry.lastOutcome = outcome;
        double factor = 1 + spread * (2 * random.getAsDouble() - 1);
        entry.nextDue = now.plusMillis(Math.round(interval.toMillis() * factor));
        askedWhileRunning(entry, moved(entry, probed), now);
    }

    /** What was asked while a probe or check ran: a re-probe ({@code minGap} on), or an operator's probe (now). */
    private void askedWhileRunning(Entry entry, boolean moved, Instant now) {
        if (moved || entry.reprobeAfterRun) {
            entry.reprobeAfterRun = false;
            reprobe(entry, now);
        }
        if (entry.dueAfterRun) {
            entry.dueAfterRun = false;
            entry.nextDue = now;
        }
    }

    /** Makes an entry due at once (operator request), or as soon as the probe running now ends. */
    void dueNow(Entry entry, Instant now) {
        if (entry.running) {
            entry.dueAfterRun = true;
        } else {
            entry.nextDue = now;
        }
    }

    List<Entry> all() {
        return List.copyOf(entries.values());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

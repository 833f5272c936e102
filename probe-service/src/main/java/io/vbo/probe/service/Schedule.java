package io.vbo.probe.service;

import io.vbo.events.EndpointObserved;
import io.vbo.events.EventKeys;
import io.vbo.events.ProbeResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When each known endpoint is next due: at once when first seen or when its address changes, then every interval
 * (randomly spread). Never while Asterisk reports it unreachable. Not thread-safe: the dispatcher serialises access.
 */
final class Schedule {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Duration interval;
    private final double spread;
    private final DoubleSupplier random;

    Schedule(Duration interval, double spread, DoubleSupplier random) {
        this.interval = interval;
        this.spread = Math.max(0, Math.min(0.9, spread));
        this.random = random;
    }

    /** One endpoint's scheduling state. */
    static final class Entry {
        EndpointObserved latest;
        Instant nextDue;
        boolean running;
        boolean deferralReported;
        Instant lastProbedAt;
        Outcome lastOutcome;

        boolean callActive() {
            return latest.activeCalls() > 0;
        }
    }

    /** Records an observation; returns the entry. */
    Entry observe(EndpointObserved observed, Instant now) {
        String key = EventKeys.key(observed.pbxId(), observed.endpoint());
        Entry entry = entries.get(key);
        if (entry == null) {
            entry = new Entry();
            entry.nextDue = now;
            entries.put(key, entry);
        } else if (!entry.latest.address().equals(observed.address())) {
            entry.nextDue = now;
        }
        if (observed.activeCalls() == 0) {
            entry.deferralReported = false;
        }
        entry.latest = observed;
        return entry;
    }

    void remove(String pbxId, String endpoint) {
        entries.remove(EventKeys.key(pbxId, endpoint));
    }

    Optional<Entry> get(String pbxId, String endpoint) {
        return Optional.ofNullable(entries.get(EventKeys.key(pbxId, endpoint)));
    }

    /** Entries that may start now, oldest due first. */
    List<Entry> due(Instant now) {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (!entry.running && !entry.nextDue.isAfter(now) && entry.latest.status().probeable()) {
                due.add(entry);
            }
        }
        due.sort(Comparator.comparing(e -> e.nextDue));
        return due;
    }

    /** After a probe: due again after the spread interval, or at once if the address moved meanwhile. */
    void finished(Entry entry, String probedAddress, Outcome outcome, Instant now) {
        entry.running = false;
        entry.lastProbedAt = now;
        entry.lastOutcome = outcome;
        if (entry.latest.address().equals(probedAddress)) {
            double factor = 1 + spread * (2 * random.getAsDouble() - 1);
            entry.nextDue = now.plusMillis(Math.round(interval.toMillis() * factor));
        } else {
            entry.nextDue = now;
        }
    }

    /** Makes an endpoint due at once (operator request). */
    void dueNow(Entry entry, Instant now) {
        entry.nextDue = now;
    }

    List<Entry> all() {
        return List.copyOf(entries.values());
    }

    boolean contains(Entry entry) {
        return entries.get(EventKeys.key(entry.latest.pbxId(), entry.latest.endpoint())) == entry;
    }
}

package io.vbo.probe.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bit/s that running probes reserve on each uplink they cross (the PBX's, and the site's where it has a budget). A
 * probe fits when every uplink it crosses has its peak send rate free; on an idle uplink it always fits, so a probe
 * whose peak is above the budget (TCP fills the link: unbounded) runs, but alone. Not thread-safe: the dispatcher
 * serialises access.
 */
final class Budget {
    /** One uplink: {@code key} names it, {@code bps} is its budget. */
    record Uplink(String key, long bps) {
    }

    private final Map<String, Long> reserved = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();

    boolean fits(List<Uplink> uplinks, long peakBps) {
        for (Uplink uplink : uplinks) {
            if (running.getOrDefault(uplink.key(), 0) > 0
                    && peakBps > uplink.bps() - reserved.getOrDefault(uplink.key(), 0L)) {
                return false;
            }
        }
        return true;
    }

    /** Reserves {@code peakBps} (at most the whole budget) on each uplink. */
    void reserve(List<Uplink> uplinks, long peakBps) {
        for (Uplink uplink : uplinks) {
            reserved.merge(uplink.key(), Math.min(peakBps, uplink.bps()), Long::sum);
            running.merge(uplink.key(), 1, Integer::sum);
        }
    }

    /** Gives back what {@link #reserve} took, with the same arguments. */
    void release(List<Uplink> uplinks, long peakBps) {
        for (Uplink uplink : uplinks) {
            reserved.merge(uplink.key(), -Math.min(peakBps, uplink.bps()), Long::sum);
            running.merge(uplink.key(), -1, Integer::sum);
        }
    }
}

package io.vbo.probe.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bit/s that running probes reserve, and live calls take, on each uplink they cross (the PBX's, and the site's where
 * it has a budget). A probe fits when every uplink it crosses has its peak send rate free of both; on an idle uplink
 * (no probe, no call) it always fits, so a probe whose peak is above the budget (TCP fills the link: unbounded) runs,
 * but alone. A call that starts while probes run may push the sum over the budget by at most one call's worth
 * ({@link #overBy}); beyond that the dispatcher stops probes. Not thread-safe: the dispatcher serialises access.
 */
final class Budget {
    /** One uplink: {@code key} names it, {@code bps} is its budget. */
    record Uplink(String key, long bps) {
    }

    /** An uplink's budget: the one set, else {@code share} of the declared uplink rate (at least 1 bit/s). */
    static Optional<Long> of(Optional<Long> budget, Optional<Long> uplink, double share) {
        return budget.or(() -> uplink.map(bps -> Math.max(1, (long) (bps * share))));
    }

    private final Map<String, Long> reserved = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    /** Running probes whose peak is above the uplink's budget (TCP): they fill the link, whatever was reserved. */
    private final Map<String, Integer> unbounded = new HashMap<>();
    private Map<String, Long> live = Map.of();

    /** The bit/s live calls take on each uplink, as the dispatcher last counted them (absent: none). */
    void liveCalls(Map<String, Long> bpsByUplink) {
        live = Map.copyOf(bpsByUplink);
    }

    boolean fits(List<Uplink> uplinks, long peakBps) {
        for (Uplink uplink : uplinks) {
            long calls = live.getOrDefault(uplink.key(), 0L);
            if ((running.getOrDefault(uplink.key(), 0) > 0 || calls > 0)
                    && peakBps > uplink.bps() - reserved.getOrDefault(uplink.key(), 0L) - calls) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many bit/s the probes running on {@code uplink} send beyond what its live calls leave of the budget plus
     * {@code oneCallBps}; above 0, a probe must stop. A probe above the budget (TCP) over any live call is over by
     * {@link Long#MAX_VALUE}.
     */
    long overBy(Uplink uplink, long oneCallBps) {
        long calls = live.getOrDefault(uplink.key(), 0L);
        if (running.getOrDefault(uplink.key(), 0) == 0 || calls == 0) {
            return 0;
        }
        if (unbounded.getOrDefault(uplink.key(), 0) > 0) {
            return Long.MAX_VALUE;
        }
        return reserved.getOrDefault(uplink.key(), 0L) + calls - uplink.bps() - oneCallBps;
    }

    /** Reserves {@code peakBps} (at most the whole budget) on each uplink. */
    void reserve(List<Uplink> uplinks, long peakBps) {
        for (Uplink uplink : uplinks) {
            reserved.merge(uplink.key(), Math.min(peakBps, uplink.bps()), Long::sum);
            running.merge(uplink.key(), 1, Integer::sum);
            if (peakBps > uplink.bps()) {
                unbounded.merge(uplink.key(), 1, Integer::sum);
            }
        }
    }

    /** Gives back what {@link #reserve} took, with the same arguments. */
    void release(List<Uplink> uplinks, long peakBps) {
        for (Uplink uplink : uplinks) {
            reserved.merge(uplink.key(), -Math.min(peakBps, uplink.bps()), Long::sum);
            running.merge(uplink.key(), -1, Integer::sum);
            if (peakBps > uplink.bps()) {
                unbounded.merge(uplink.key(), -1, Integer::sum);
            }
        }
    }
}

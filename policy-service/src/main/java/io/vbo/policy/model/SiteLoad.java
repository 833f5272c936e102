package io.vbo.policy.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A site's concurrent calls K, learned from its finished calls: the busiest clock hour of the window is the one with
 * the most call time; K is the given percentile of the number of calls in progress over that hour, weighted by time
 * (idle moments of the hour count as 0), and at least 1.
 */
public final class SiteLoad {
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    private SiteLoad() {
    }

    /** One phone leg of a call of the site (two phones of one site in one call are two legs on its uplink). */
    public record Call(Instant start, Instant end) {
    }

    /**
     * What the calls say.
     *
     * @param concurrentCalls K
     * @param busiestHour     start of the busiest hour
     * @param peak            most calls at once in that hour
     * @param calls           calls looked at
     */
    public record Learned(int concurrentCalls, Instant busiestHour, int peak, int calls) {
    }

    /** Empty when there is no call with a positive duration. */
    public static Optional<Learned> learn(List<Call> calls, double percentile) {
        if (percentile <= 0 || percentile > 100) {
            throw new IllegalArgumentException("vbo.policy.site-calls.percentile must be in (0, 100], got " + percentile);
        }
        Map<Long, Long> callTime = new TreeMap<>();
        for (Call c : calls) {
            long start = c.start().toEpochMilli();
            long end = c.end().toEpochMilli();
            for (long hour = Math.floorDiv(start, HOUR_MS) * HOUR_MS; hour < end; hour += HOUR_MS) {
                callTime.merge(hour, Math.min(end, hour + HOUR_MS) - Math.max(start, hour), Long::sum);
            }
        }
        long busiest = -1;
        long most = 0;
        for (Map.Entry<Long, Long> e : callTime.entrySet()) {
            // >= : among equally busy hours the latest counts, the one most like today.
            if (e.getValue() > 0 && e.getValue() >= most) {
                busiest = e.getKey();
                most = e.getValue();
            }
        }
        if (busiest < 0) {
            return Optional.empty();
        }
        TreeMap<Long, Integer> steps = new TreeMap<>();
        long hourEnd = busiest + HOUR_MS;
        for (Call c : calls) {
            long start = Math.max(c.start().toEpochMilli(), busiest);
            long end = Math.min(c.end().toEpochMilli(), hourEnd);
            if (start < end) {
                steps.merge(start, 1, Integer::sum);
                steps.merge(end, -1, Integer::sum);
            }
        }
        // Time spent at each level of concurrency over the hour.
        List<long[]> levels = new ArrayList<>();
        long at = busiest;
        int level = 0;
        int peak = 0;
        for (Map.Entry<Long, Integer> step : steps.entrySet()) {
            levels.add(new long[] { level, step.getKey() - at });
            at = step.getKey();
            level += step.getValue();
            peak = Math.max(peak, level);
        }
        levels.add(new long[] { level, hourEnd - at });
        levels.sort((a, b) -> Long.compare(a[0], b[0]));
        double wanted = HOUR_MS * percentile / 100.0;
        long covered = 0;
        int k = peak;
        for (long[] l : levels) {
            covered += l[1];
            if (covered >= wanted - 1e-6) {
                k = (int) l[0];
                break;
            }
        }
        return Optional.of(new Learned(Math.max(1, k), Instant.ofEpochMilli(busiest), peak, calls.size()));
    }
}

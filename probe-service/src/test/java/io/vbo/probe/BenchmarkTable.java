package io.vbo.probe;

import java.util.List;
import java.util.Locale;

/** One Markdown row of a benchmark: min, median, p95 and max of some durations in milliseconds. */
public final class BenchmarkTable {
    private BenchmarkTable() {
    }

    public static String row(String what, List<Double> ms) {
        List<Double> sorted = ms.stream().sorted().toList();
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms |", what, sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1),
                sorted.get(sorted.size() - 1));
    }
}

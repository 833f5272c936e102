package io.vbo.policy.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last {@code size} values of one series and their median: one outlier never moves it, a real change shows after half the window. */
public final class MedianWindow {
    private final int size;
    private final ArrayList<Double> values;

    public MedianWindow(int size, List<? extends Number> initial) {
        if (size < 1) {
            throw new IllegalArgumentException("vbo.policy.estimator.window must be at least 1");
        }
        this.size = size;
        this.values = new ArrayList<>(size + 1);
        if (initial != null) {
            initial.forEach(v -> add(v.doubleValue()));
        }
    }

    public void add(double value) {
        values.add(value);
        while (values.size() > size) {
            values.remove(0);
        }
    }

    public void clear() {
        values.clear();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Median of the window; for an even count the mean of the two middle values. */
    public double median() {
        if (values.isEmpty()) {
            throw new IllegalStateException("empty window");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Oldest first. */
    public List<Double> values() {
        return List.copyOf(values);
    }
}

package io.vbo.lab.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads Prometheus text exposition: the samples of one metric name, by their label set. */
public final class Metrics {
    private final String text;

    public Metrics(String text) {
        this.text = text;
    }

    /** Sum of every sample of {@code name} whose labels contain all of {@code labels}. */
    double sum(String name, Map<String, String> labels) {
        return samples(name).stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    public boolean has(String name) {
        return !samples(name).isEmpty();
    }

    List<Sample> samples(String name) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            String rest = line.substring(name.length());
            if (rest.startsWith("{")) {
                int end = rest.lastIndexOf('}');
                for (String pair : rest.substring(1, end).split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
                rest = rest.substring(end + 1);
            }
            String value = rest.strip().split("\\s+")[0];
            samples.add(new Sample(labels, Double.parseDouble(value)));
        }
        return samples;
    }

    record Sample(Map<String, String> labels, double value) {
    }
}

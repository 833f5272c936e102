package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard, the Prometheus example config and alert rules use only the metrics the services publish. */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    static JsonNode dashboard() throws IOException {
        return JSON.readTree(Files.readString(Repo.root().resolve("deploy/grafana/vbo-dashboard.json")));
    }

    /** Every PromQL expression of the dashboard: panel targets (rows included) and template variable queries. */
    static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            collectTargets(panel, expressions);
            panel.path("panels").forEach(nested -> collectTargets(nested, expressions));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                expressions.add(variable.path("query").path("query").asText(variable.path("query").asText()));
            }
        }
        return expressions;
    }

    private static void collectTargets(JsonNode panel, List<String> into) {
        panel.path("targets").forEach(target -> into.add(target.path("expr").asText()));
    }

    @Test
    void dashboardIsAGrafanaDashboardWithUniquePanels() throws IOException {
        JsonNode dashboard = dashboard();
        assertEquals("vbo-overview", dashboard.path("uid").asText());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), panel.path("title").asText());
            if (!"row".equals(panel.path("type").asText())) {
                assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
                panel.path("targets").forEach(t -> assertFalse(t.path("expr").asText().isBlank(),
                        panel.path("title") + " has an empty query"));
            }
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsPublished() throws IOException {
        Set<String> unknown = new TreeSet<>();
        for (String expr : dashboardExpressions(dashboard())) {
            for (String name : PromQl.metricNames(expr)) {
                if (!DocumentedMetrics.prometheusNames().contains(name)) {
                    unknown.add(name + " (in: " + expr + ")");
                }
            }
        }
        assertEquals(Set.of(), unknown, "metrics no service publishes");
    }

    @Test
    void dashboardShowsEveryPublishedVboMetricAndConsumerLag() throws IOException {
        Set<String> queried = new HashSet<>();
        dashboardExpressions(dashboard()).forEach(e -> queried.addAll(PromQl.metricNames(e)));
        Set<String> missing = new TreeSet<>();
        for (DocumentedMetrics.Metric metric : DocumentedMetrics.VBO) {
            if (metric.prometheusSeries().stream().noneMatch(queried::contains)) {
                missing.add(metric.micrometerName());
            }
        }
        if (!queried.contains(DocumentedMetrics.CONSUMER_LAG)) {
            missing.add(DocumentedMetrics.CONSUMER_LAG);
        }
        assertEquals(Set.of(), missing, "published metrics the dashboard does not show");
    }

    @Test
    void alertRulesUseOnlyPublishedMetrics() throws IOException {
        JsonNode rules = YAML.readTree(Files.readString(Repo.root().resolve("deploy/prometheus/vbo-alerts.yml")));
        Set<String> unknown = new TreeSet<>();
        int count = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                count++;
                assertFalse(rule.path("alert").asText().isBlank());
                PromQl.metricNames(rule.path("expr").asText()).stream()
                        .filter(n -> !DocumentedMetrics.prometheusNames().contains(n)).forEach(unknown::add);
            }
        }
        assertTrue(count >= 4, "alert rules: " + count);
        assertEquals(Set.of(), unknown);
    }

    @Test
    void alertRulesPassPromtool() throws IOException {
        JsonNode rules = YAML.readTree(Files.readString(Repo.root().resolve("deploy/prometheus/vbo-alerts.yml")));
        int count = 0;
        for (JsonNode group : rules.path("groups")) {
            count += group.path("rules").size();
        }
        Tool.Result result = Tool.PROMTOOL.run(Repo.root().resolve("deploy/prometheus"), Map.of(), "check", "rules",
                "vbo-alerts.yml").assertSuccess();
        assertTrue(result.stdout().contains("SUCCESS: " + count + " rules found"), result.toString());
    }

    /**
     * Every dashboard query parses as PromQL: promtool checks them as recording rules, with Grafana's variables
     * replaced by what Grafana would put there (an interval, or a match-all regex).
     */
    @Test
    void dashboardQueriesPassPromtool(@TempDir Path dir) throws IOException {
        List<String> expressions = dashboardExpressions(dashboard()).stream()
                .filter(e -> !e.startsWith("label_values(")).toList();
        assertTrue(expressions.size() >= 15, "queries: " + expressions.size());
        Tool.Result result = promtoolRecording(dir, expressions).assertSuccess();
        assertTrue(result.stdout().contains("SUCCESS: " + expressions.size() + " rules found"), result.toString());
    }

    @Test
    void promtoolRejectsABrokenQuery(@TempDir Path dir) throws IOException {
        Tool.Result result = promtoolRecording(dir, List.of("sum by (pbx (rate(vbo_probe_runs_total[5m]))"));
        assertEquals(1, result.exitCode(), result.toString());
    }

    private static Tool.Result promtoolRecording(Path dir, List<String> expressions) throws IOException {
        ArrayNode rules = YAML.createArrayNode();
        for (int i = 0; i < expressions.size(); i++) {
            String expr = expressions.get(i).replace("$__rate_interval", "5m").replace("$__interval", "1m")
                    .replaceAll("\\$\\{?\\w+}?", ".*");
            ObjectNode rule = rules.addObject();
            rule.put("record", "vbo:dashboard_query_" + i);
            rule.put("expr", expr);
        }
        ObjectNode file = YAML.createObjectNode();
        file.putArray("groups").addObject().put("name", "dashboard").set("rules", rules);
        Files.writeString(dir.resolve("dashboard-queries.yml"), YAML.writeValueAsString(file));
        return Tool.PROMTOOL.run(dir, Map.of(), "check", "rules", "dashboard-queries.yml");
    }

    @Test
    void prometheusExampleScrapesEveryServiceAtQuarkusMetricsPath() throws IOException {
        JsonNode config = YAML.readTree(Files.readString(Repo.root().resolve("deploy/prometheus/prometheus.yml")));
        Set<String> targets = new LinkedHashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            if (job.has("static_configs")) {
                assertEquals("/q/metrics", job.path("metrics_path").asText(), job.path("job_name").asText());
                job.path("static_configs").forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText())));
            }
        }
        assertEquals(Set.of("127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083", "127.0.0.1:8084"), targets);
        assertTrue(Files.exists(Repo.root().resolve("deploy/prometheus")
                .resolve(config.path("rule_files").get(0).asText())));
    }

    @Test
    void operationsGuideDocumentsEveryMetric() throws IOException {
        String guide = Files.readString(Repo.root().resolve("docs/operations.md"));
        for (DocumentedMetrics.Metric metric : DocumentedMetrics.VBO) {
            assertTrue(guide.contains(metric.micrometerName()), metric.micrometerName() + " not in docs/operations.md");
        }
        assertTrue(guide.contains(DocumentedMetrics.CONSUMER_LAG));
    }

    // --- the metric-name check is not vacuous ---

    @Test
    void readsMetricNamesOutOfPromQl() {
        assertEquals(Set.of("vbo_probe_runs_total"), PromQl.metricNames(
                "sum by (outcome, direction) (rate(vbo_probe_runs_total{pbx=~\"$pbx\", outcome!=\"OK\"}[$__rate_interval])) * 60"));
        assertEquals(Set.of("vbo_writer_batch_size_sum", "vbo_writer_batch_size_count"), PromQl.metricNames(
                "sum(rate(vbo_writer_batch_size_sum[5m])) / sum(rate(vbo_writer_batch_size_count[5m]))"));
        assertEquals(Set.of("vbo_policy_estimate_bps"),
                PromQl.metricNames("label_values(vbo_policy_estimate_bps{pbx=~\"$pbx\"}, endpoint)"));
        assertEquals(Set.of("vbo_writer_applies_total"),
                PromQl.metricNames("sum(increase(vbo_writer_applies_total[1h])) or vector(0)"));
    }

    @Test
    void aMisspeltOrUnsuffixedMetricIsNotDocumented() {
        for (String wrong : List.of("rate(vbo_probe_runs[5m])", "vbo.ami.connected", "vbo_probe_rate_bits")) {
            Set<String> names = PromQl.metricNames(wrong);
            assertFalse(names.isEmpty(), wrong);
            assertFalse(DocumentedMetrics.prometheusNames().containsAll(names), wrong + " → " + names);
        }
    }
}

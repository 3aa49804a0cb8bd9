package io.tiflink.vmconn.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's shape and the reading of its PromQL, without a cluster (GrafanaDashboardIT checks
 * the names against a running job).
 */
class DashboardQueriesTest {

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(GrafanaDashboardIT.DASHBOARD.toFile());
    }

    @Test
    void selectorsAreReadFromAggregationsFunctionsRangesAndVariables() {
        assertThat(
                        PromQueries.selectors(
                                        "sum by (reason) (rate(a_b{job_name=~\"$job\", x=\"y\"}"
                                                + "[$__rate_interval])) * 60 + time() * 1000 - max(c > 0)")
                                .toString())
                .isEqualTo("[a_b[job_name=~\"$job\", x=\"y\"], c[]]");
        assertThat(PromQueries.selectors("label_values(m{a=\"b\"}, job_name)").toString())
                .isEqualTo("[m[a=\"b\"]]");
        assertThatThrownBy(() -> PromQueries.selectors("ratee(m[5m])"))
                .hasMessageContaining("unknown function ratee");
    }

    @Test
    void aMatcherWithAVariableMatchesAnyValueAndOthersMatchAsPrometheusDoes() {
        PromQueries.Selector s =
                PromQueries.selectors("m{job_name=~\"$job\", operator_name=~\"Source:.*\"}").get(0);
        assertThat(s.selects("m", Map.of("operator_name", "Source:_Kafka_ind"))).isTrue();
        assertThat(s.selects("m", Map.of("operator_name", "Match"))).isFalse();
        assertThat(s.selects("n", Map.of("operator_name", "Source:_Kafka_ind"))).isFalse();
    }

    @Test
    void everyQueryNamesFlinkMetricsOfTheChosenJobOnTheChosenDataSource() throws Exception {
        JsonNode d = dashboard();
        Map<String, String> queries = PromQueries.queries(d);
        assertThat(queries).hasSizeGreaterThan(20).containsKey("variable $job");
        queries.forEach(
                (where, expr) -> {
                    List<PromQueries.Selector> selectors = PromQueries.selectors(expr);
                    assertThat(selectors).as(where).isNotEmpty();
                    for (PromQueries.Selector s : selectors) {
                        assertThat(s.metric()).as(where).startsWith("flink_");
                        if (!where.startsWith("variable")) {
                            assertThat(s.matchers().toString())
                                    .as(where + ": filtered by the $job variable")
                                    .contains("job_name=~\"$job\"");
                        }
                    }
                });
        List<JsonNode> panels = new ArrayList<>();
        d.get("panels").forEach(panels::add);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            assertThat(ids.add(p.get("id").asInt())).as("unique panel id").isTrue();
            JsonNode g = p.get("gridPos");
            assertThat(g.get("x").asInt() + g.get("w").asInt()).isLessThanOrEqualTo(24);
            if (!p.get("type").asText().equals("row")) {
                assertThat(p.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void theDashboardCoversWhatAnOperatorWatches() throws Exception {
        String all = String.join("\n", PromQueries.queries(dashboard()).values());
        for (String metric :
                List.of(
                        "numRecordsOutPerSecond",
                        "watermarkLag",
                        "records_lag_max",
                        "lateConnections",
                        "lateIndicatorRows",
                        "lateAlerts",
                        "deadLetters",
                        "reason_indicatorRowsSkipped",
                        "reason_connectionRowsSkipped",
                        "liveIndicators",
                        "keptConnections",
                        "alertsEmitted",
                        "lastCheckpointDuration",
                        "lastCheckpointFullSize",
                        "numberOfFailedCheckpoints",
                        "backPressuredTimeMsPerSecond",
                        "numRestarts")) {
            assertThat(all).as(metric).contains(metric);
        }
    }
}

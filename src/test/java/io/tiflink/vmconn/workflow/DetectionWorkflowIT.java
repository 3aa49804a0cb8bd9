package io.tiflink.vmconn.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.job.FileReplay;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.MiniClusters;
import io.tiflink.vmconn.testing.ReferenceSettings;
import io.tiflink.vmconn.testing.ScenarioLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole workflow on a MiniCluster at parallelism 2, compared with the independent reference
 * implementation of SPEC (a plain loop over the rows) on generated data full of awkward cases, and
 * again with one input held back to show speed independence (SPEC 4.3).
 */
class DetectionWorkflowIT {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path dir;

    static DetectionSettings settingsOf(SpecReference.Settings s) {
        return ReferenceSettings.toJob(s);
    }

    private static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FlinkEnvironments.baseConfiguration());
        env.setParallelism(2);
        return env;
    }

    @ParameterizedTest(name = "seed {0}, emit {1}")
    @CsvSource({"1, final", "2, final", "3, first", "4, first", "5, final"})
    void replayGivesExactlyTheAlertsOfTheSpecReference(long seed, String emit) throws Exception {
        replayMatchesTheReference(ScenarioGenerator.generate(seed, 600), emit, 2);
    }

    /**
     * SPEC 6: legacy rows, ThreatIntelIndicators rows and STIX 2.1 objects (in bundles and TAXII
     * envelopes) mixed on the indicator input, with ranges of mixed prefix lengths, every awkward
     * case of 6.1-6.4, at parallelism 1 and 2.
     */
    @ParameterizedTest(name = "seed {0}, emit {1}, parallelism {2}")
    @CsvSource({
        "31, final, 1",
        "32, first, 1",
        "33, final, 2",
        "34, first, 2",
        "35, final, 2",
        "36, first, 2"
    })
    void everyIndicatorShapeAndRangeGivesExactlyTheAlertsOfTheSpecReference(
            long seed, String emit, int parallelism) throws Exception {
        replayMatchesTheReference(
                ScenarioGenerator.generate(seed, 900, ScenarioGenerator.Shapes.ALL),
                emit,
                parallelism);
    }

    private void replayMatchesTheReference(Scenario base, String emit, int parallelism)
            throws Exception {
        long seed = base.seed();
        Scenario sc = base.withSettings(base.settings().withEmitMode(emit));
        sc.writeTo(dir);
        Path alerts = dir.resolve("alerts.jsonl");
        Path dead = dir.resolve("dead.jsonl");
        StreamExecutionEnvironment env = env();
        env.setParallelism(parallelism);
        FileReplay.define(
                env,
                dir.resolve(Scenario.INDICATORS_FILE).toString(),
                dir.resolve(Scenario.CONNECTIONS_FILE).toString(),
                alerts.toString(),
                dead.toString(),
                settingsOf(sc.settings()),
                false);
        env.execute("replay seed " + seed);

        List<ObjectNode> expected = sc.expectedAlerts();
        List<ObjectNode> actual = AlertComparison.readLines(alerts);
        assertThat(expected).as("the scenario has alerts to find").isNotEmpty();
        AlertComparison.assertSameAlerts(actual, expected);
        assertThat(actual).as("one alert per group, no duplicates").hasSameSizeAs(expected);
        assertThat(Files.readAllLines(dead)).hasSize(sc.deadLetterCount());
    }

    @ParameterizedTest(name = "held back: {0}, shapes: {1}")
    @CsvSource({"indicators, LEGACY", "connections, LEGACY", "indicators, ALL", "connections, ALL"})
    void sameAlertsWhicheverInputRunsAhead(String heldBack, ScenarioGenerator.Shapes shapes)
            throws Exception {
        Scenario base = ScenarioGenerator.generate(11, 600, shapes);
        // Event-time streaming with the 5-minute bound: keep every row within the bound, so
        // SPEC 4.4 promises the exact alerts whatever the inputs' relative speed.
        Scenario sc =
                new Scenario(
                        base.seed(),
                        sortedByTime(ScenarioLines.oneElementPerLine(base.indicatorLines())),
                        sortedByTime(ScenarioLines.oneElementPerLine(base.connectionLines())),
                        base.settings(),
                        base.indicatorDeadLetterCount(),
                        base.connectionDeadLetterCount());
        sc.writeTo(dir);
        DetectionSettings settings = settingsOf(sc.settings());
        StreamExecutionEnvironment env = env();
        DataStream<InputRecord> ind =
                FileReplay.fileSource(
                        env,
                        dir.resolve(Scenario.INDICATORS_FILE).toString(),
                        RowParser.Table.INDICATORS,
                        settings,
                        InputWatermarks.forIndicators(settings),
                        Uids.INDICATOR_SOURCE);
        DataStream<InputRecord> conn =
                FileReplay.fileSource(
                        env,
                        dir.resolve(Scenario.CONNECTIONS_FILE).toString(),
                        RowParser.Table.CONNECTIONS,
                        settings,
                        InputWatermarks.forConnections(settings),
                        Uids.CONNECTION_SOURCE);
        if (heldBack.equals("indicators")) {
            ind = ind.map(new HoldBack(3000), TypeInformation.of(InputRecord.class));
        } else {
            conn = conn.map(new HoldBack(3000), TypeInformation.of(InputRecord.class));
        }
        Path alerts = dir.resolve("alerts.jsonl");
        FileReplay.sinks(
                DetectionWorkflow.define(ind, conn, settings),
                alerts.toString(),
                dir.resolve("dead.jsonl").toString());
        env.execute("held back " + heldBack);
        AlertComparison.assertSameAlerts(AlertComparison.readLines(alerts), sc.expectedAlerts());
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"21", "22"})
    void streamingWithLateRowsEndsWithTheSpecAlertsOncePerIdUpdatesAreApplied(long seed)
            throws Exception {
        // Rows up to 45 minutes behind their input's watermark: their groups may already have
        // alerted,
        // so the job re-emits the group under the same AlertId, marked late. A consumer that keeps
        // the
        // last alert per AlertId holds exactly the SPEC's alerts.
        Scenario sc = ScenarioGenerator.generate(seed, 600, true);
        sc.writeTo(dir);
        Path alerts = dir.resolve("alerts.jsonl");
        StreamExecutionEnvironment env = env();
        FileReplay.define(
                env,
                dir.resolve(Scenario.INDICATORS_FILE).toString(),
                dir.resolve(Scenario.CONNECTIONS_FILE).toString(),
                alerts.toString(),
                dir.resolve("dead.jsonl").toString(),
                settingsOf(sc.settings()),
                true);
        env.execute("streaming with late rows, seed " + seed);
        AlertComparison.assertSameAlerts(AlertComparison.readLines(alerts), sc.expectedAlerts());
    }

    static List<String> sortedByTime(List<String> lines) {
        return ScenarioLines.sortedByTime(lines);
    }

    /** Holds an input back: sleeps before its first record (its watermarks wait behind it). */
    static final class HoldBack extends RichMapFunction<InputRecord, InputRecord> {
        private final long millis;
        private transient boolean waited;

        HoldBack(long millis) {
            this.millis = millis;
        }

        @Override
        public void open(OpenContext ctx) {
            waited = false;
        }

        @Override
        public InputRecord map(InputRecord r) throws Exception {
            if (!waited) {
                Thread.sleep(millis);
                waited = true;
            }
            return r;
        }
    }

    @ParameterizedTest(name = "emit {0}")
    @CsvSource({"FIRST, 10, 0", "FINAL, 100, 100"}) // final: Flink's default everywhere
    void firstModeFlushesEveryShuffleThatCarriesTheWatermarkToTheMatcherWithin10Ms(
            EmitMode mode, long watermarkPaths, long matches) {
        // SPEC 4.2: in first mode an alert leaves as soon as its connection is judged, i.e. when
        // the
        // matcher's watermark (the least over all of its input channels) passes the connection.
        StreamExecutionEnvironment env = env();
        FileReplay.define(
                env,
                "in.jsonl",
                "conn.jsonl",
                dir.resolve("a").toString(),
                dir.resolve("d").toString(),
                DetectionSettings.defaults().withEmitMode(mode),
                false);
        Map<String, Long> timeouts = new HashMap<>();
        for (StreamNode n : env.getStreamGraph().getStreamNodes()) {
            if (n.getTransformationUID() != null) {
                timeouts.put(n.getTransformationUID(), n.getBufferTimeout());
            }
        }
        assertThat(timeouts)
                .containsEntry(Uids.CONNECTION_INPUTS, watermarkPaths)
                .containsEntry(Uids.WATERMARK_TICKS, watermarkPaths)
                .containsEntry(Uids.INDICATOR_EVENTS, watermarkPaths)
                .containsEntry(Uids.INDICATOR_PROBES, watermarkPaths)
                .containsEntry(Uids.MATCHER, matches);
    }

    @Test
    void workflowTypesNeverFallBackToKryo() {
        // pipeline.generic-types=false makes building the job fail on any Kryo type; building it is
        // the test.
        StreamExecutionEnvironment env = env();
        DetectionSettings s = DetectionSettings.defaults();
        FileReplay.define(
                env,
                "in.jsonl",
                "conn.jsonl",
                dir.resolve("a").toString(),
                dir.resolve("d").toString(),
                s,
                true);
        assertThat(env.getStreamGraph().getStreamNodes()).isNotEmpty();
    }
}

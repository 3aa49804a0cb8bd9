package io.tiflink.vmconn.job;

import io.tiflink.vmconn.alert.AlertFormat;
import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.DetectionOptions;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.DeadLetterJson;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.io.JsonLinesFormat;
import io.tiflink.vmconn.io.LineFileSink;
import io.tiflink.vmconn.io.MaxAhead;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.Uids;
import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The file plug: replays an indicator file and a connection file (JSON Lines) through the workflow
 * on a local MiniCluster, writing alerts and dead letters as JSON Lines.
 */
public final class FileReplay {

    private FileReplay() {}

    public static int run(CommandLine o, PrintStream log) throws Exception {
        String indicators = o.required(JobOptions.INDICATORS);
        String connections = o.required(JobOptions.CONNECTIONS);
        for (String f : new String[] {indicators, connections}) {
            if (!new File(f).exists()) {
                throw new IllegalArgumentException("no such file: " + f);
            }
        }
        DetectionSettings settings = DetectionOptions.settings(o).withIdleness(Duration.ZERO);
        boolean bounded = o.get(JobOptions.WATERMARKS) == JobOptions.ReplayWatermarks.BOUNDED;
        StreamExecutionEnvironment env = FlinkEnvironments.local(o.get(JobOptions.PARALLELISM), 0);
        define(
                env,
                indicators,
                connections,
                o.get(JobOptions.ALERTS),
                o.get(JobOptions.DEAD_LETTERS),
                settings,
                bounded,
                o.get(JobOptions.ALERT_FORMAT));
        log.println("replay: " + settings);
        long started = System.nanoTime();
        JobExecutionResult result = env.execute("TI Map IP Entity to VMConnection (replay)");
        log.printf(
                "replay: done in %.1f s; alerts in %s, dead letters in %s%n",
                (System.nanoTime() - started) / 1e9,
                o.get(JobOptions.ALERTS),
                o.get(JobOptions.DEAD_LETTERS));
        Map<String, Object> counts = new TreeMap<>(result.getAllAccumulatorResults());
        counts.forEach((k, v) -> log.println("replay: " + k + " = " + v));
        return 0;
    }

    /**
     * Builds the replay job: file sources, the workflow, file sinks (alerts in the rule's columns).
     */
    public static void define(
            StreamExecutionEnvironment env,
            String indicators,
            String connections,
            String alertsPath,
            String deadLettersPath,
            DetectionSettings settings,
            boolean boundedWatermarks) {
        define(
                env,
                indicators,
                connections,
                alertsPath,
                deadLettersPath,
                settings,
                boundedWatermarks,
                AlertFormat.SENTINEL);
    }

    /** Builds the replay job: file sources, the workflow, file sinks. */
    public static void define(
            StreamExecutionEnvironment env,
            String indicators,
            String connections,
            String alertsPath,
            String deadLettersPath,
            DetectionSettings settings,
            boolean boundedWatermarks,
            AlertFormat alertFormat) {
        DataStream<InputRecord> ind =
                fileSource(
                        env,
                        indicators,
                        RowParser.Table.INDICATORS,
                        settings,
                        boundedWatermarks
                                ? InputWatermarks.forIndicators(settings)
                                : InputWatermarks.atEndOfInput(),
                        Uids.INDICATOR_SOURCE);
        DataStream<InputRecord> conn =
                fileSource(
                        env,
                        connections,
                        RowParser.Table.CONNECTIONS,
                        settings,
                        boundedWatermarks
                                ? InputWatermarks.forConnections(settings)
                                : InputWatermarks.atEndOfInput(),
                        Uids.CONNECTION_SOURCE);
        sinks(
                DetectionWorkflow.define(ind, conn, settings),
                alertsPath,
                deadLettersPath,
                alertFormat);
    }

    /** Alerts (the rule's columns) and dead letters to JSON Lines files. */
    public static void sinks(
            DetectionWorkflow.Outputs out, String alertsPath, String deadLettersPath) {
        sinks(out, alertsPath, deadLettersPath, AlertFormat.SENTINEL);
    }

    /** Alerts in the given format and dead letters to JSON Lines files. */
    public static void sinks(
            DetectionWorkflow.Outputs out,
            String alertsPath,
            String deadLettersPath,
            AlertFormat alertFormat) {
        out.alerts
                .sinkTo(new LineFileSink<>(alertsPath, alertFormat::toJson))
                .name("Alert file")
                .uid(Uids.ALERT_SINK)
                .setParallelism(1);
        out.deadLetters
                .sinkTo(new LineFileSink<>(deadLettersPath, DeadLetterJson::toJson))
                .name("Dead-letter file")
                .uid(Uids.DEAD_LETTER_SINK)
                .setParallelism(1);
    }

    /**
     * A JSON Lines file as one input, read in file order, with event time per the given strategy.
     */
    public static DataStream<InputRecord> fileSource(
            StreamExecutionEnvironment env,
            String file,
            RowParser.Table table,
            DetectionSettings settings,
            WatermarkStrategy<InputRecord> watermarks,
            String uid) {
        // No wall clock in a replay: a row is ahead of the greatest time read so far from its file
        // (when --max-ahead is given), so the same files give the same dead letters on any day.
        RowParser parser =
                new RowParser(
                        table,
                        settings.outOfOrdernessNanos(),
                        MaxAhead.ofInputProgress(settings.maxAheadMillis()));
        FileSource<InputRecord> source =
                FileSource.forRecordStreamFormat(
                                new JsonLinesFormat(parser, file), new Path(new File(file).toURI()))
                        .build();
        return env.fromSource(source, watermarks, table.label + " file").uid(uid);
    }
}

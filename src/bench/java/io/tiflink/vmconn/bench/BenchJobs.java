package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.Uids;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark's jobs. The detection is the production workflow, {@link DetectionWorkflow#define},
 * plugged to in-memory sources (rows parsed by the project's RowParser in the source reader, event
 * time from {@link InputWatermarks}, as the Kafka plug) and discarding sinks.
 */
final class BenchJobs {

    private BenchJobs() {}

    static DataStream<InputRecord> connections(
            StreamExecutionEnvironment env,
            RunControl run,
            DetectionSettings settings,
            int parallelism) {
        return env.fromSource(
                        ArraySource.connections(run, settings.outOfOrdernessNanos()),
                        InputWatermarks.forConnections(settings),
                        "Bench connections")
                .uid(Uids.CONNECTION_SOURCE)
                .setParallelism(parallelism);
    }

    static DataStream<InputRecord> indicators(
            StreamExecutionEnvironment env, RunControl run, DetectionSettings settings) {
        return env.fromSource(
                        ArraySource.indicators(run, settings.outOfOrdernessNanos()),
                        InputWatermarks.forIndicators(settings),
                        "Bench indicators")
                .uid(Uids.INDICATOR_SOURCE)
                .setParallelism(1);
    }

    /** The whole detection: sources, the production workflow, discarding sinks. */
    static void detection(
            StreamExecutionEnvironment env,
            RunControl run,
            DetectionSettings settings,
            int parallelism,
            boolean latency) {
        DetectionWorkflow.Outputs out =
                DetectionWorkflow.define(
                        indicators(env, run, settings),
                        connections(env, run, settings, parallelism),
                        settings);
        out.alerts
                .sinkTo(new EndSink<>(run.id, latency))
                .name("Alerts (discarded)")
                .uid(Uids.ALERT_SINK);
        out.deadLetters
                .sinkTo(new EndSink<>(run.id, false))
                .name("Dead letters (discarded)")
                .uid(Uids.DEAD_LETTER_SINK);
    }

    /** The ceiling: the same source and parsing, nothing after it. */
    static void parseOnly(
            StreamExecutionEnvironment env,
            RunControl run,
            DetectionSettings settings,
            int parallelism) {
        connections(env, run, settings, parallelism)
                .sinkTo(new EndSink<>(run.id, false))
                .name("Rows (discarded)")
                .setParallelism(parallelism);
    }
}

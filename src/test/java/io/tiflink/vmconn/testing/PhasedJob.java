package io.tiflink.vmconn.testing;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.job.FileReplay;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.Uids;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of the job over a slice of two inputs, started from an optional savepoint and ended
 * either by the inputs running out or by a stop-with-savepoint once each input has let its
 * permitted lines through.
 */
public final class PhasedJob {

    private final JobClient client;

    private PhasedJob(JobClient client) {
        this.client = client;
    }

    public static PhasedJob start(
            List<String> indicators,
            List<String> connections,
            long indicatorPermits,
            long connectionPermits,
            DetectionSettings settings,
            int parallelism,
            Path alerts,
            Path deadLetters,
            String restoreFrom)
            throws Exception {
        Configuration conf = FlinkEnvironments.baseConfiguration();
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(Duration.ofSeconds(1).toMillis());
        DataStream<InputRecord> ind =
                GatedLines.source(
                        env,
                        indicators,
                        RowParser.Table.INDICATORS,
                        settings,
                        indicatorPermits,
                        Uids.INDICATOR_SOURCE);
        DataStream<InputRecord> conn =
                GatedLines.source(
                        env,
                        connections,
                        RowParser.Table.CONNECTIONS,
                        settings,
                        connectionPermits,
                        Uids.CONNECTION_SOURCE);
        FileReplay.sinks(
                DetectionWorkflow.define(ind, conn, settings),
                alerts.toString(),
                deadLetters.toString());
        return new PhasedJob(env.executeAsync("phase " + alerts.getFileName()));
    }

    /** Waits until the gated inputs have let through what they may, then stops with a savepoint. */
    public String stopWithSavepointAfter(
            long indicatorLines, long connectionLines, Path savepointDir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (GatedLines.emitted(RowParser.Table.INDICATORS) < indicatorLines
                || GatedLines.emitted(RowParser.Table.CONNECTIONS) < connectionLines) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the job did not read its lines in 2 minutes: indicators "
                                + GatedLines.emitted(RowParser.Table.INDICATORS)
                                + "/"
                                + indicatorLines
                                + ", connections "
                                + GatedLines.emitted(RowParser.Table.CONNECTIONS)
                                + "/"
                                + connectionLines);
            }
            Thread.sleep(50);
        }
        Thread.sleep(
                1000); // let periodic watermarks catch up, so the savepoint holds fired and open
        // windows
        // Tasks may still be deploying (a savepoint needs all of them running): try again a few
        // times.
        for (int attempt = 1; ; attempt++) {
            try {
                return client.stopWithSavepoint(
                                false,
                                savepointDir.toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt >= 20
                        || String.valueOf(e.getMessage()).contains("not being executed") == false) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    public void awaitEnd() throws Exception {
        client.getJobExecutionResult().get(3, TimeUnit.MINUTES);
    }
}

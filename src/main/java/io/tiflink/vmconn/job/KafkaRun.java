package io.tiflink.vmconn.job;

import io.tiflink.vmconn.kafka.KafkaAccess;
import io.tiflink.vmconn.kafka.KafkaPipeline;
import java.io.PrintStream;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The {@code run} command of the local jar: the Kafka job on a local MiniCluster until stopped. */
public final class KafkaRun {

    private KafkaRun() {}

    /** {@code run}: the Kafka job on a local MiniCluster until stopped (Ctrl-C). */
    public static int runLocal(String[] args, PrintStream log) throws Exception {
        KafkaJobConfig c = KafkaJobConfig.parse(true, args);
        KafkaAccess.check(c.kafka); // a wrong password or an untrusted certificate: one line
        quietSinkMetricWarnings();
        int parallelism = c.options.get(JobOptions.PARALLELISM);
        int webUi = c.options.get(JobOptions.WEB_UI_PORT);
        StreamExecutionEnvironment env = FlinkEnvironments.local(parallelism, webUi);
        c.applyTo(env);
        KafkaPipeline.define(env, c.kafka, c.detection, c.alertFormat);
        log.println("run: " + c.describe().replace("\n", "\nrun: "));
        log.println(
                "run: parallelism "
                        + parallelism
                        + (webUi > 0 ? "; Flink web UI on http://localhost:" + webUi : "")
                        + "; Ctrl-C stops the job");
        if (c.kafka.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            log.println(
                    "run: alerts are committed with each checkpoint: read "
                            + c.kafka.alertsTopic()
                            + " with isolation.level=read_committed");
        }
        env.execute(KafkaPipeline.JOB_NAME);
        return 0;
    }

    /**
     * The Kafka sink's committer registers a metric again at every checkpoint, and Flink warns
     * about the name collision each time ("Name collision: Group already contains a Metric with the
     * name 'pendingCommittables'"): harmless noise. Turns that logger down to ERROR when log4j is
     * the logging backend, as in the -local.jar (on a cluster, set {@code logger.metricgroup.name =
     * org.apache.flink.metrics.MetricGroup} to ERROR in its log4j configuration).
     */
    public static void quietSinkMetricWarnings() {
        try {
            Class<?> level = Class.forName("org.apache.logging.log4j.Level");
            Class.forName("org.apache.logging.log4j.core.config.Configurator")
                    .getMethod("setLevel", String.class, level)
                    .invoke(
                            null,
                            "org.apache.flink.metrics.MetricGroup",
                            level.getField("ERROR").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            // another logging backend: leave it as configured
        }
    }
}

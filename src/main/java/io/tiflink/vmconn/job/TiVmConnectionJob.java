package io.tiflink.vmconn.job;

import io.tiflink.vmconn.kafka.KafkaAccess;
import io.tiflink.vmconn.kafka.KafkaPipeline;
import java.util.Arrays;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Main class of the job jar ({@code flink run target/ti-ip-vmconnection-VERSION.jar
 * --bootstrap-servers HOST:PORT ...}): reads the options, builds the Kafka sources and sinks around
 * the workflow ({@link KafkaPipeline}) and executes on the cluster it was submitted to. {@code
 * --help} lists every option with its default.
 */
public final class TiVmConnectionJob {

    private static final Logger LOG = LoggerFactory.getLogger(TiVmConnectionJob.class);

    private TiVmConnectionJob() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            String version = TiVmConnectionJob.class.getPackage().getImplementationVersion();
            System.out.println(
                    KafkaJobConfig.help(
                            false,
                            "flink run ti-ip-vmconnection-"
                                    + (version == null ? "VERSION" : version)
                                    + ".jar"));
            return;
        }
        KafkaJobConfig c = KafkaJobConfig.parse(false, args);
        // A wrong password or an untrusted certificate stops the submission with one line, rather
        // than failing every task at every restart.
        KafkaAccess.check(c.kafka);
        StreamExecutionEnvironment env = FlinkEnvironments.submitted();
        Integer parallelism = c.options.get(JobOptions.CLUSTER_PARALLELISM);
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        c.applyTo(env);
        KafkaPipeline.define(env, c.kafka, c.detection, c.alertFormat);
        LOG.info("Starting {}\n{}", KafkaPipeline.JOB_NAME, c.describe());
        env.execute(KafkaPipeline.JOB_NAME);
    }
}

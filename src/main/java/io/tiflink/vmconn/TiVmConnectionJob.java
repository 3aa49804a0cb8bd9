package io.tiflink.vmconn;

import io.tiflink.vmconn.io.KafkaJob;
import java.util.Arrays;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Main class of the job jar ({@code flink run target/ti-ip-vmconnection-VERSION.jar
 * --bootstrap-servers HOST:PORT ...}): reads the options, builds the Kafka sources and sinks around
 * the workflow ({@link KafkaJob}) and executes on the cluster it was submitted to. {@code --help}
 * lists every option with its default.
 */
public final class TiVmConnectionJob {

    private static final Logger LOG = LoggerFactory.getLogger(TiVmConnectionJob.class);

    private TiVmConnectionJob() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            String version = TiVmConnectionJob.class.getPackage().getImplementationVersion();
            System.out.println(
                    KafkaJob.help(
                            KafkaJob.options(false),
                            "flink run ti-ip-vmconnection-"
                                    + (version == null ? "VERSION" : version)
                                    + ".jar"));
            return;
        }
        KafkaJob.Config c = KafkaJob.Config.parse(KafkaJob.options(false), args);
        StreamExecutionEnvironment env = FlinkEnvironments.submitted();
        if (c.options.has("parallelism")) {
            env.setParallelism(c.options.getInt("parallelism"));
        }
        KafkaJob.configure(env, c);
        KafkaJob.define(env, c);
        LOG.info("Starting {}\n{}", KafkaJob.JOB_NAME, c.describe());
        env.execute(KafkaJob.JOB_NAME);
    }
}

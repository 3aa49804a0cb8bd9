package io.tiflink.vmconn.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environments the job runs in: local MiniClusters, or the cluster it is submitted
 * to.
 */
public final class FlinkEnvironments {

    private FlinkEnvironments() {}

    /** Settings every run shares: never fall back to Kryo (state must evolve with savepoints). */
    public static Configuration baseConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * A local MiniCluster (the -local.jar's commands); with a web UI on localhost when port > 0.
     */
    public static StreamExecutionEnvironment local(int parallelism, int webUiPort) {
        Configuration conf = baseConfiguration();
        if (webUiPort > 0) {
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            conf.set(RestOptions.PORT, webUiPort);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(parallelism);
            return env;
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        return env;
    }

    /** Whatever environment the job was submitted to (flink run, REST upload, application mode). */
    public static StreamExecutionEnvironment submitted() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(baseConfiguration());
        return env;
    }
}

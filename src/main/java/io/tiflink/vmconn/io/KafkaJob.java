package io.tiflink.vmconn.io;

import io.tiflink.vmconn.DetectionWorkflow;
import io.tiflink.vmconn.FlinkEnvironments;
import io.tiflink.vmconn.Uids;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.config.Options;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.InputRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Kafka plug: Kafka sources for the two inputs, the workflow, Kafka sinks for alerts and dead
 * letters. Used by {@code TiVmConnectionJob} (the job jar, on a cluster), by the {@code run} and
 * {@code demo} commands (on a local MiniCluster) and by the Kafka tests.
 *
 * <ul>
 *   <li>Sources: per-partition watermarks from {@link InputWatermarks} (with idleness, so a quiet
 *       partition or a quiet indicator feed never stalls alerts). The indicator topic is read from
 *       the earliest offset on a first start (it holds the whole TI set); the connection topic from
 *       the group's committed offsets, else {@code --connections-start}. A restore continues both
 *       from the checkpoint. Offsets are committed to the group on checkpoints.
 *   <li>Sinks: exactly-once (Kafka transactions committed with each checkpoint) or at-least-once.
 *       Alert key = AlertId.
 * </ul>
 */
public final class KafkaJob {

    public static final String JOB_NAME = "TI Map IP Entity to VMConnection (Kafka)";

    private KafkaJob() {}

    /** Everything the job needs, read from the command line. */
    public static final class Config {
        public final Options options;
        public final DetectionSettings detection;
        public final KafkaSettings kafka;

        /** Zero turns checkpointing off. */
        public final Duration checkpointInterval;

        /** Null: the cluster's (or, locally, in memory). */
        public final String checkpointDir;

        /** Null: a fresh start (or whatever {@code flink run -s} says, on a cluster). */
        public final String restoreFrom;

        Config(
                Options options,
                DetectionSettings detection,
                KafkaSettings kafka,
                Duration checkpointInterval,
                String checkpointDir,
                String restoreFrom) {
            this.options = options;
            this.detection = detection;
            this.kafka = kafka;
            this.checkpointInterval = checkpointInterval;
            this.checkpointDir = checkpointDir;
            this.restoreFrom = restoreFrom;
        }

        /**
         * Parses {@code args} against {@code o} (from {@link #options}), {@code --kafka.*}
         * included.
         */
        public static Config parse(Options o, String[] args) {
            Map<String, String> clientProperties = new LinkedHashMap<>();
            o.parse(KafkaSettings.extractClientProperties(args, clientProperties));
            KafkaSettings kafka = KafkaSettings.from(o, clientProperties);
            Duration interval = o.getDuration("checkpoint-interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("--checkpoint-interval must not be negative");
            }
            if (interval.isZero() && kafka.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
                throw new IllegalArgumentException(
                        "--delivery exactly-once commits Kafka transactions on checkpoints: "
                                + "give a --checkpoint-interval above 0, or use --delivery at-least-once");
            }
            return new Config(
                    o,
                    o.detectionSettings(),
                    kafka,
                    interval,
                    blankToNull(o.get("checkpoint-dir")),
                    blankToNull(o.get("restore-from")));
        }

        /** Safe to log: secrets masked. */
        public String describe() {
            return "detection: "
                    + detection
                    + "\n"
                    + "kafka: "
                    + kafka.describe()
                    + "\n"
                    + "checkpoints: "
                    + (checkpointInterval.isZero()
                            ? "off"
                            : "every "
                                    + Durations.format(checkpointInterval)
                                    + (checkpointDir == null ? "" : " in " + checkpointDir))
                    + (restoreFrom == null ? "" : ", restoring from " + restoreFrom);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The options of the Kafka job, {@code --bootstrap-servers} first. {@code local}: the {@code
     * run} command on a MiniCluster (adds the web UI port); otherwise the job jar on a cluster
     * (parallelism defaults to the cluster's).
     */
    public static Options options(boolean local) {
        Options o = KafkaSettings.declare(new Options());
        o.declare(
                "checkpoint-interval",
                "10s",
                "checkpoint every so often; alerts become visible to read_committed consumers at each "
                        + "checkpoint (exactly-once). 0 = off (needs --delivery at-least-once)");
        o.declare(
                "checkpoint-dir",
                null,
                "durable checkpoint storage (file:///..., s3://...), retained on cancel "
                        + "so the job can resume from it (default: "
                        + (local ? "in memory" : "the cluster's")
                        + ")");
        o.declare(
                "restore-from",
                null,
                "a retained checkpoint or savepoint directory to resume from"
                        + (local ? "" : " (as flink run -s)"));
        if (local) {
            o.declare("web-ui-port", "8081", "Flink web UI on localhost (0 = none)");
        }
        o.declareDetection();
        if (!local) {
            o.declare(
                    "parallelism",
                    null,
                    "parallelism of the job (default: the cluster's, as flink run -p)");
        }
        return o;
    }

    public static String usage(String command) {
        return "usage: "
                + command
                + " --bootstrap-servers HOST:PORT [options] [--kafka.NAME VALUE ...]";
    }

    /** {@code --help} text: every option with its default, then the client-property rules. */
    public static String help(Options o, String command) {
        return o.help(usage(command)) + "\n" + KafkaSettings.helpFooter();
    }

    // ---------------------------------------------------------------- the job

    /** Checkpointing (exactly-once barriers), its storage, and the state to restore, if any. */
    public static void configure(StreamExecutionEnvironment env, Config c) {
        Configuration conf = new Configuration();
        if (!c.checkpointInterval.isZero()) {
            env.enableCheckpointing(
                    c.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        if (c.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, c.checkpointDir);
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (c.restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, c.restoreFrom);
        }
        env.configure(conf);
    }

    /** Sources, workflow and sinks of the production job. */
    public static DetectionWorkflow.Outputs define(StreamExecutionEnvironment env, Config c) {
        DataStream<InputRecord> indicators = indicators(env, c.kafka, c.detection);
        DataStream<InputRecord> connections = connections(env, c.kafka, c.detection);
        DetectionWorkflow.Outputs out =
                DetectionWorkflow.define(indicators, connections, c.detection);
        sinkAlerts(out.alerts, c.kafka);
        sinkDeadLetters(out.deadLetters, c.kafka);
        return out;
    }

    public static DataStream<InputRecord> indicators(
            StreamExecutionEnvironment env, KafkaSettings k, DetectionSettings d) {
        return env.fromSource(
                        indicatorSource(k, d),
                        InputWatermarks.forIndicators(d),
                        "Kafka " + k.indicatorsTopic())
                .uid(Uids.INDICATOR_SOURCE);
    }

    public static DataStream<InputRecord> connections(
            StreamExecutionEnvironment env, KafkaSettings k, DetectionSettings d) {
        return env.fromSource(
                        connectionSource(k, d),
                        InputWatermarks.forConnections(d),
                        "Kafka " + k.connectionsTopic())
                .uid(Uids.CONNECTION_SOURCE);
    }

    /**
     * The indicator topic, from the earliest offset on a first start: it holds the whole TI set.
     */
    public static KafkaSource<InputRecord> indicatorSource(KafkaSettings k, DetectionSettings d) {
        return source(
                k,
                k.indicatorsTopic(),
                RowParser.Table.INDICATORS,
                OffsetsInitializer.earliest(),
                d,
                "-indicators");
    }

    /**
     * The connection topic, from the group's committed offsets, else {@code --connections-start}.
     */
    public static KafkaSource<InputRecord> connectionSource(KafkaSettings k, DetectionSettings d) {
        return source(
                k,
                k.connectionsTopic(),
                RowParser.Table.CONNECTIONS,
                k.connectionsStart(),
                d,
                "-connections");
    }

    private static KafkaSource<InputRecord> source(
            KafkaSettings k,
            String topic,
            RowParser.Table table,
            OffsetsInitializer start,
            DetectionSettings d,
            String suffix) {
        return sourceBuilder(k, topic, suffix)
                .setStartingOffsets(start)
                .setDeserializer(new KafkaRecordsDeserializer(table, d.outOfOrdernessNanos()))
                .build();
    }

    /**
     * A source of one topic with the job's client settings; the caller sets offsets and the
     * deserializer.
     */
    public static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<InputRecord>
            sourceBuilder(KafkaSettings k, String topic, String clientIdSuffix) {
        return KafkaSource.<InputRecord>builder()
                .setProperties(k.consumerProperties())
                .setBootstrapServers(k.bootstrapServers())
                .setGroupId(k.groupId())
                .setClientIdPrefix(k.groupId() + clientIdSuffix)
                .setTopics(topic);
    }

    public static void sinkAlerts(DataStream<Alert> alerts, KafkaSettings k) {
        alerts.sinkTo(sink(k, new KafkaAlertSerializer(k.alertsTopic()), "-alerts"))
                .name("Kafka " + k.alertsTopic())
                .uid(Uids.ALERT_SINK);
    }

    public static void sinkDeadLetters(DataStream<DeadLetter> deadLetters, KafkaSettings k) {
        deadLetters
                .sinkTo(
                        sink(
                                k,
                                new KafkaDeadLetterSerializer(
                                        k.deadLettersTopic(), k.deadLetterFormat()),
                                "-dead-letters"))
                .name("Kafka " + k.deadLettersTopic())
                .uid(Uids.DEAD_LETTER_SINK);
    }

    private static <T> KafkaSink<T> sink(
            KafkaSettings k, KafkaRecordSerializationSchema<T> serializer, String suffix) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(k.producerProperties())
                .setBootstrapServers(k.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(k.delivery())
                // Each sink needs its own prefix: transactions are fenced by id.
                .setTransactionalIdPrefix(k.transactionalIdPrefix() + suffix)
                .build();
    }

    // ---------------------------------------------------------------- the run command

    /** {@code run}: the Kafka job on a local MiniCluster until stopped (Ctrl-C). */
    public static int runLocal(String[] args, PrintStream log) throws Exception {
        Config c = Config.parse(options(true), args);
        quietSinkMetricWarnings();
        int parallelism = c.options.getInt("parallelism");
        int webUi = c.options.getInt("web-ui-port");
        StreamExecutionEnvironment env = FlinkEnvironments.local(parallelism, webUi);
        configure(env, c);
        define(env, c);
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
        env.execute(JOB_NAME);
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

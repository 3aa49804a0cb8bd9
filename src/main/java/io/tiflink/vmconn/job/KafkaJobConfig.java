package io.tiflink.vmconn.job;

import io.tiflink.vmconn.alert.AlertFormat;
import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.DetectionOptions;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.kafka.KafkaPropertySources;
import io.tiflink.vmconn.kafka.KafkaSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Everything the Kafka job needs, read from its command line ({@link JobOptions#kafkaJob}). */
public final class KafkaJobConfig {

    public final CommandLine options;
    public final DetectionSettings detection;
    public final KafkaSettings kafka;

    /** How alerts are written ({@code --alert-format}). */
    public final AlertFormat alertFormat;

    /** Zero turns checkpointing off. */
    public final Duration checkpointInterval;

    /** Null: the cluster's (or, locally, in memory). */
    public final String checkpointDir;

    /** Null: a fresh start (or whatever {@code flink run -s} says, on a cluster). */
    public final String restoreFrom;

    private KafkaJobConfig(CommandLine options, KafkaSettings kafka) {
        this.options = options;
        this.detection = DetectionOptions.settings(options);
        this.kafka = kafka;
        this.alertFormat = options.get(JobOptions.ALERT_FORMAT);
        this.checkpointInterval = options.get(JobOptions.CHECKPOINT_INTERVAL);
        this.checkpointDir = blankToNull(options.get(JobOptions.CHECKPOINT_DIR));
        this.restoreFrom = blankToNull(options.get(JobOptions.RESTORE_FROM));
    }

    /** Reads {@code args}, {@code --kafka.*} client properties included. */
    public static KafkaJobConfig parse(boolean local, String... args) {
        Map<String, String> clientProperties = new LinkedHashMap<>();
        CommandLine line =
                CommandLine.parse(
                        JobOptions.kafkaJob(local),
                        KafkaPropertySources.extractClientProperties(args, clientProperties));
        KafkaJobConfig c = new KafkaJobConfig(line, KafkaSettings.from(line, clientProperties));
        if (c.checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("--checkpoint-interval must not be negative");
        }
        if (c.checkpointInterval.isZero() && c.kafka.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            throw new IllegalArgumentException(
                    "--delivery exactly-once commits Kafka transactions on checkpoints: "
                            + "give a --checkpoint-interval above 0, or use --delivery at-least-once");
        }
        return c;
    }

    /** Checkpointing (exactly-once barriers), its storage, and the state to restore, if any. */
    public void applyTo(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        if (!checkpointInterval.isZero()) {
            env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        env.configure(conf);
    }

    /** Safe to log: secrets masked. */
    public String describe() {
        return "detection: "
                + detection
                + "\n"
                + "kafka: "
                + kafka.describe()
                + ", alerts as "
                + Option.label(alertFormat)
                + "\n"
                + "checkpoints: "
                + (checkpointInterval.isZero()
                        ? "off"
                        : "every "
                                + Durations.format(checkpointInterval)
                                + (checkpointDir == null ? "" : " in " + checkpointDir))
                + (restoreFrom == null ? "" : ", restoring from " + restoreFrom);
    }

    /** {@code --help} text: every option with its default, then the client-property rules. */
    public static String help(boolean local, String command) {
        return CommandLine.help(
                        "usage: "
                                + command
                                + " --bootstrap-servers HOST:PORT [options] [--kafka.NAME VALUE ...]",
                        JobOptions.kafkaJob(local))
                + "\n"
                + KafkaSettings.helpFooter();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

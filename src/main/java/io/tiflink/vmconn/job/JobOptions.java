package io.tiflink.vmconn.job;

import io.tiflink.vmconn.alert.AlertFormat;
import io.tiflink.vmconn.config.DetectionOptions;
import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.kafka.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of the entry points, declared once: the replay's, the Kafka job's (on a cluster, and
 * locally with {@code run}), and the settings every command shares. {@code --help} and
 * docs/configuration.md are generated from these lists.
 */
public final class JobOptions {

    private JobOptions() {}

    /** How the replay assigns watermarks: the values of {@code --watermarks}. */
    public enum ReplayWatermarks {
        /** No watermark until the files are read: file order never makes a row late. */
        END,
        /** Stream the files with the out-of-orderness bound, as the Kafka job does. */
        BOUNDED
    }

    public static final Option<Integer> PARALLELISM =
            Option.integer("parallelism", 2, "parallelism of the job");
    public static final Option<Integer> CLUSTER_PARALLELISM =
            Option.integer(
                    "parallelism",
                    null,
                    "parallelism of the job (default: the cluster's, as flink run -p)");

    // ---------------------------------------------------------------- replay

    public static final Option<String> INDICATORS =
            Option.text(
                    "indicators",
                    null,
                    "indicator records, JSON Lines: ThreatIntelligenceIndicator or"
                            + " ThreatIntelIndicators rows, STIX 2.1 objects, bundles or envelopes");
    public static final Option<String> CONNECTIONS =
            Option.text(
                    "connections",
                    null,
                    "VMConnection rows, JSON Lines (a line may be an envelope)");
    public static final Option<String> ALERTS =
            Option.text(
                    "alerts", "alerts.jsonl", "where to write alerts, one JSON object per line");
    public static final Option<String> DEAD_LETTERS =
            Option.text(
                    "dead-letters",
                    "dead-letters.jsonl",
                    "where to write unreadable records with the reason");
    public static final Option<ReplayWatermarks> WATERMARKS =
            Option.choice(
                    "watermarks",
                    ReplayWatermarks.class,
                    ReplayWatermarks.END,
                    "end: judge all rows in event-time order once the files are read (file order"
                            + " never makes a row late); bounded: stream with the out-of-orderness"
                            + " bound");

    /** How alerts are written, for the replay and the Kafka job alike. */
    public static final Option<AlertFormat> ALERT_FORMAT =
            Option.choice(
                    "alert-format",
                    AlertFormat.class,
                    AlertFormat.SENTINEL,
                    "sentinel: the rule's columns (SPEC 3); ocsf: an OCSF 1.8 Detection Finding;"
                            + " ecs: an ECS 9.4 indicator-match alert (docs/alerts.md)");

    // ---------------------------------------------------------------- the Kafka job

    public static final Option<Duration> CHECKPOINT_INTERVAL =
            Option.duration(
                    "checkpoint-interval",
                    Duration.ofSeconds(10),
                    "checkpoint every so often; alerts become visible to read_committed consumers"
                            + " at each checkpoint (exactly-once). 0 = off (needs --delivery"
                            + " at-least-once)");
    public static final Option<String> CHECKPOINT_DIR =
            Option.text(
                    "checkpoint-dir",
                    null,
                    "durable checkpoint storage (file:///..., s3://...), retained on cancel so the"
                            + " job can resume from it (default: the cluster's; with run: in"
                            + " memory)");
    public static final Option<String> RESTORE_FROM =
            Option.text(
                    "restore-from",
                    null,
                    "a retained checkpoint or savepoint directory to resume from (on a cluster, as"
                            + " flink run -s)");
    public static final Option<Integer> WEB_UI_PORT =
            Option.integer("web-ui-port", 8081, "Flink web UI on localhost (0 = none)");

    /** The replay command's options. */
    public static List<Option<?>> replay() {
        List<Option<?>> all =
                new ArrayList<>(
                        List.of(
                                INDICATORS,
                                CONNECTIONS,
                                ALERTS,
                                ALERT_FORMAT,
                                DEAD_LETTERS,
                                WATERMARKS,
                                DetectionOptions.REPLAY_MAX_AHEAD));
        all.addAll(DetectionOptions.ALL);
        all.add(PARALLELISM);
        return all;
    }

    /**
     * The Kafka job's options, {@code --bootstrap-servers} first. {@code local}: the {@code run}
     * command on a MiniCluster (a web UI port, parallelism 2); otherwise the job jar on a cluster
     * (parallelism: the cluster's).
     */
    public static List<Option<?>> kafkaJob(boolean local) {
        List<Option<?>> all = new ArrayList<>(KafkaOptions.ALL);
        all.addAll(
                List.of(
                        ALERT_FORMAT,
                        CHECKPOINT_INTERVAL,
                        CHECKPOINT_DIR,
                        RESTORE_FROM,
                        DetectionOptions.MAX_AHEAD));
        if (local) {
            all.add(WEB_UI_PORT);
        }
        all.addAll(DetectionOptions.ALL);
        all.add(local ? PARALLELISM : CLUSTER_PARALLELISM);
        return all;
    }
}

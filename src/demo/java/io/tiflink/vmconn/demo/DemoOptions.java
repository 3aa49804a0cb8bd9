package io.tiflink.vmconn.demo;

import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.DetectionOptions;
import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.job.JobOptions;
import io.tiflink.vmconn.kafka.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's options ({@code ./demo.sh --help}): its own (broker, generator, duration), the
 * delivery, and the job's detection options with demo defaults. An instance holds one command
 * line's values, read and checked before anything starts: a bad value is an
 * IllegalArgumentException whose message is the one line the user sees.
 */
public final class DemoOptions {

    static final String USAGE = "usage: ./demo.sh [options]";

    static final Option<Integer> BROKER_PORT =
            Option.integer(
                    "broker-port",
                    9092,
                    "port of the local Kafka broker (listens on 127.0.0.1 only; a free port is used"
                            + " if this one is taken)");
    static final Option<Integer> WEB_UI_PORT =
            JobOptions.WEB_UI_PORT.withDescription(
                    "Flink web UI on localhost (a free port if taken; 0 = none)");
    static final Option<String> RATE = Option.text("rate", "100", "VMConnection rows per second");
    static final Option<String> HIT_RATE =
            Option.text(
                    "hit-rate",
                    "0.005",
                    "share of connection rows whose RemoteIp is on the IOC list");
    static final Option<String> BAD_RATE =
            Option.text(
                    "bad-rate",
                    "0.002",
                    "share of connection records that are malformed (-> dead letters)");
    static final Option<String> ENVELOPE_RATE =
            Option.text(
                    "envelope-rate",
                    "0.2",
                    "share of connection records sent as {\"records\": [...]} envelopes of 2-5 rows");

    /** Which shapes of indicator records the demo publishes. */
    enum Indicators {
        MIXED,
        LEGACY
    }

    static final Option<Indicators> INDICATORS =
            Option.choice(
                    "indicators",
                    Indicators.class,
                    Indicators.MIXED,
                    "mixed: the IOC list as legacy ThreatIntelligenceIndicator rows,"
                            + " ThreatIntelIndicators rows and STIX 2.1 indicators (in bundles and"
                            + " TAXII envelopes), with a few CIDR ranges; legacy: as"
                            + " ThreatIntelligenceIndicator rows only");
    static final Option<Integer> HOSTS = Option.integer("hosts", 40, "VMs in the generated fleet");
    static final Option<String> SEED = Option.text("seed", "7", "seed of the connection generator");
    static final Option<Duration> DURATION =
            Option.duration(
                    "duration",
                    Duration.ZERO,
                    "stop by itself after this long (90s, 5m); 0 = run until Ctrl-C");
    static final Option<Duration> CHECKPOINT_INTERVAL =
            JobOptions.CHECKPOINT_INTERVAL
                    .withDefault(Duration.ofSeconds(2))
                    .withDescription(
                            "checkpoint interval; exactly-once alerts show at each checkpoint");

    final CommandLine line;
    final int brokerPort;
    final int webUiPort;
    final double rate;
    final double hitRate;
    final double badRate;
    final double envelopeRate;
    final Indicators indicators;
    final int hosts;
    final long seed;
    final Duration duration;

    private DemoOptions(CommandLine line) {
        this.line = line;
        brokerPort = line.get(BROKER_PORT);
        webUiPort = line.get(WEB_UI_PORT);
        rate = number(line, RATE, 0.001, 1_000_000);
        hitRate = number(line, HIT_RATE, 0, 1);
        badRate = number(line, BAD_RATE, 0, 1);
        envelopeRate = number(line, ENVELOPE_RATE, 0, 1);
        indicators = line.get(INDICATORS);
        hosts = line.get(HOSTS);
        try {
            seed = Long.parseLong(line.get(SEED).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--seed takes a whole number, not '" + line.get(SEED) + "'");
        }
        duration = line.get(DURATION);
        DetectionOptions.settings(line); // fail early on a bad detection option
    }

    /** Reads and checks a command line; IllegalArgumentException (one line) on a bad one. */
    static DemoOptions parse(String... args) {
        return new DemoOptions(CommandLine.parse(all(), args));
    }

    /** What {@code --help} prints: every option with its default. */
    static String help() {
        return CommandLine.help(USAGE, all());
    }

    /** The demo's options: its own, the delivery, and the detection's with demo defaults. */
    public static List<Option<?>> all() {
        List<Option<?>> all =
                new ArrayList<>(
                        List.of(
                                BROKER_PORT,
                                WEB_UI_PORT,
                                RATE,
                                HIT_RATE,
                                BAD_RATE,
                                ENVELOPE_RATE,
                                INDICATORS,
                                HOSTS,
                                SEED,
                                DURATION,
                                CHECKPOINT_INTERVAL,
                                KafkaOptions.DELIVERY,
                                JobOptions.ALERT_FORMAT));
        all.addAll(DetectionOptions.ALL);
        all.add(JobOptions.PARALLELISM);
        // Demo defaults, so that alerts show within seconds.
        all.add(
                DetectionOptions.OUT_OF_ORDERNESS
                        .withDefault(Duration.ofSeconds(2))
                        .withDescription(
                                "out-of-orderness bound (demo: 2s; the job's default is 5m)"));
        all.add(
                DetectionOptions.IDLENESS
                        .withDefault(Duration.ofSeconds(3))
                        .withDescription(
                                "an input silent this long stops holding back the watermark (demo:"
                                        + " 3s, so the indicator topic, read once, soon stops"
                                        + " holding back alerts)"));
        all.add(
                DetectionOptions.EMIT
                        .withDefault(EmitMode.FIRST)
                        .withDescription(
                                "first: an alert on a group's first match (demo default); final:"
                                        + " one alert per group when its window ends (the job's"
                                        + " default)"));
        return all;
    }

    int parallelism() {
        return line.get(JobOptions.PARALLELISM);
    }

    /**
     * The Kafka job's command line: the local broker, the demo's consumer group and transactional
     * id, connections read from the start, checkpoints in {@code checkpointDir} (a file URI), and
     * the demo's delivery and detection options.
     */
    String[] jobArgs(String bootstrapServers, int webUiPort, String checkpointDir) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrapServers,
                                "--group-id",
                                "ti-demo",
                                "--transactional-id-prefix",
                                "ti-demo",
                                "--connections-start",
                                "earliest",
                                "--checkpoint-interval",
                                Durations.format(line.get(CHECKPOINT_INTERVAL)),
                                "--checkpoint-dir",
                                checkpointDir,
                                "--delivery",
                                Option.label(line.get(KafkaOptions.DELIVERY)),
                                "--web-ui-port",
                                Integer.toString(webUiPort),
                                "--alert-format",
                                formatted(JobOptions.ALERT_FORMAT)));
        for (Option<?> option : DetectionOptions.ALL) {
            a.add("--" + option.name());
            a.add(formatted(option));
        }
        a.add("--" + JobOptions.PARALLELISM.name());
        a.add(formatted(JobOptions.PARALLELISM));
        return a.toArray(new String[0]);
    }

    /** How alerts leave the job with these options: emit mode, bound, delivery, checkpoints. */
    String emitting() {
        String window = Durations.format(line.get(DetectionOptions.WINDOW));
        return "emit mode "
                + line.get(DetectionOptions.EMIT).label()
                + ", out-of-orderness "
                + Durations.format(line.get(DetectionOptions.OUT_OF_ORDERNESS))
                + ", "
                + Option.label(line.get(KafkaOptions.DELIVERY))
                + " with a checkpoint every "
                + Durations.format(line.get(CHECKPOINT_INTERVAL))
                + (line.get(DetectionOptions.EMIT) == EmitMode.FIRST
                        ? ": an alert shows a few seconds after its connection (mode final would"
                                + " wait for the end of its "
                                + window
                                + " window)"
                        : ": an alert shows when its " + window + " window has ended");
    }

    private <T> String formatted(Option<T> option) {
        return option.format(line.get(option));
    }

    private static double number(CommandLine line, Option<String> option, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(line.get(option).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " takes a number, not '" + line.get(option) + "'");
        }
        if (!(v >= min && v <= max)) { // NaN too
            throw new IllegalArgumentException(option + " must lie in " + min + ".." + max);
        }
        return v;
    }
}

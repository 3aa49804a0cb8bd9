package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.alert.AlertFormat;
import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.DetectionOptions;
import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.job.Cli;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.job.JobOptions;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.job.KafkaRun;
import io.tiflink.vmconn.kafka.KafkaDeadLetterSerializer;
import io.tiflink.vmconn.kafka.KafkaOptions;
import io.tiflink.vmconn.kafka.KafkaPipeline;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one-command demo ({@code ./demo.sh}): a real single-node Kafka broker on localhost, the
 * topics, the public IOC list published as indicator rows, a stream of generated VMConnection rows
 * of which some go to or come from listed IPs, the Kafka job on a local MiniCluster with the Flink
 * web UI, and a live view of the alert and dead-letter topics. Ctrl-C stops the generator, the job
 * and the broker, and deletes the broker's files.
 *
 * <p>The demo emits in mode {@code first} with a 2 s out-of-orderness bound, so that an alert
 * leaves seconds after its connection (mode {@code final} would wait for the end of the hour). With
 * exactly-once delivery an alert becomes visible to read_committed readers at the next checkpoint
 * (every 2 s here).
 */
public final class Demo {

    public static final String USAGE = "usage: ./demo.sh [options]";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Demo() {}

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

    /** The demo's options: its own, the delivery, and the detection's with demo defaults. */
    public static List<Option<?>> options() {
        List<Option<?>> all =
                new ArrayList<>(
                        List.of(
                                BROKER_PORT,
                                WEB_UI_PORT,
                                RATE,
                                HIT_RATE,
                                BAD_RATE,
                                ENVELOPE_RATE,
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

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(CommandLine.help(USAGE, options()));
            System.exit(0);
        }
        System.exit(
                Cli.exitCode(
                        () -> run(CommandLine.parse(options(), args), System.out, System.err),
                        System.err));
    }

    public static int run(CommandLine o, PrintStream out, PrintStream err) throws Exception {
        Settings s = new Settings(o);
        try {
            LocalKafkaBroker.classpathOf(LocalKafkaBroker.libDirectory());
        } catch (IllegalStateException notBuilt) {
            throw new IllegalArgumentException(
                    notBuilt.getMessage()); // printed as a plain error, no trace
        }
        return new Demo.Session(s, out, err).run();
    }

    /** The demo's own settings, checked before anything starts. */
    private static final class Settings {
        final CommandLine o;
        final int brokerPort;
        final int webUiPort;
        final double rate;
        final double hitRate;
        final double badRate;
        final double envelopeRate;
        final int hosts;
        final long seed;
        final Duration duration;

        Settings(CommandLine o) {
            this.o = o;
            brokerPort = o.get(BROKER_PORT);
            webUiPort = o.get(WEB_UI_PORT);
            rate = fraction(o, RATE, 0.001, 1_000_000);
            hitRate = fraction(o, HIT_RATE, 0, 1);
            badRate = fraction(o, BAD_RATE, 0, 1);
            envelopeRate = fraction(o, ENVELOPE_RATE, 0, 1);
            hosts = o.get(HOSTS);
            try {
                seed = Long.parseLong(o.get(SEED).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--seed takes a whole number, not '" + o.get(SEED) + "'");
            }
            duration = o.get(DURATION);
            DetectionOptions.settings(o); // fail early on a bad detection option
        }

        private static double fraction(
                CommandLine o, Option<String> option, double min, double max) {
            double v;
            try {
                v = Double.parseDouble(o.get(option).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        option + " takes a number, not '" + o.get(option) + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(option + " must lie in " + min + ".." + max);
            }
            return v;
        }
    }

    /** One run of the demo: everything it starts, and the stopping of it. */
    private static final class Session {
        private final Settings s;
        private final PrintStream out;
        private final PrintStream err;
        private final long startNanos = System.nanoTime();
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong rowsSent = new AtomicLong();
        private final AtomicLong recordsSent = new AtomicLong();
        private final AtomicLong hitsSent = new AtomicLong();
        private final AtomicLong malformedSent = new AtomicLong();
        private final AtomicLong alerts = new AtomicLong();
        private final AtomicLong deadLetters = new AtomicLong();
        private volatile long firstAlertNanos;
        private volatile long jobSubmittedNanos;
        private volatile LocalKafkaBroker broker;
        private volatile JobClient job;
        private volatile KafkaConsumer<byte[], byte[]> viewer;
        private volatile KafkaProducer<byte[], byte[]> producer;
        private KafkaJobConfig config;

        Session(Settings s, PrintStream out, PrintStream err) {
            this.s = s;
            this.out = out;
            this.err = err;
        }

        int run() throws Exception {
            KafkaRun.quietSinkMetricWarnings();
            Thread hook = new Thread(this::onSignal, "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                start();
                if (s.duration.isZero()) {
                    stop.await();
                } else if (!stop.await(s.duration.toMillis(), TimeUnit.MILLISECONDS)) {
                    say("stopping after " + Durations.format(s.duration));
                }
                return 0;
            } finally {
                shutdown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // Ctrl-C: the hook is running and waits for shutdown() above
                }
            }
        }

        private void onSignal() {
            stop.countDown();
            try {
                if (!stopped.await(60, TimeUnit.SECONDS)) {
                    shutdown(); // the main thread is stuck: stop things from here
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void start() throws Exception {
            say(
                    "starting a single-node Kafka broker (KRaft, Apache Kafka 4.2 jars from "
                            + LocalKafkaBroker.libDirectory()
                            + ")");
            broker =
                    LocalKafkaBroker.start(
                            new LocalKafkaBroker.Settings().port(s.brokerPort).log(out));
            say(
                    "broker up on "
                            + broker.bootstrapServers()
                            + " in "
                            + secondsSinceStart()
                            + " s (data in "
                            + broker.directory()
                            + ", deleted on exit)");
            if (stopRequested()) {
                return;
            }

            int webUi =
                    s.webUiPort == 0
                            ? 0
                            : LocalKafkaBroker.isFree(s.webUiPort)
                                    ? s.webUiPort
                                    : LocalKafkaBroker.freePort();
            config = KafkaJobConfig.parse(true, jobArgs(broker.bootstrapServers(), webUi));
            createTopics();

            List<IocList.Ioc> iocs = IocList.load();
            producer = new KafkaProducer<>(producerProperties());
            int published = publishIndicators(iocs);
            say(
                    "published "
                            + published
                            + " indicator rows from the public list IP_IOC_V1.csv (Azure Sentinel "
                            + "sample feed) to "
                            + config.kafka.indicatorsTopic()
                            + ", live for 30 days");

            if (stopRequested()) {
                return;
            }
            StreamExecutionEnvironment env =
                    FlinkEnvironments.local(s.o.get(JobOptions.PARALLELISM), webUi);
            config.applyTo(env);
            KafkaPipeline.define(env, config.kafka, config.detection, config.alertFormat);
            job = env.executeAsync(KafkaPipeline.JOB_NAME);
            jobSubmittedNanos = System.nanoTime();
            say(
                    "Flink job submitted (parallelism "
                            + s.o.get(JobOptions.PARALLELISM)
                            + ")"
                            + (webUi > 0 ? "; web UI: http://localhost:" + webUi : ""));
            boolean first = config.detection.emitMode() == EmitMode.FIRST;
            say(
                    "emit mode "
                            + config.detection.emitMode().label()
                            + ", out-of-orderness "
                            + Durations.format(s.o.get(DetectionOptions.OUT_OF_ORDERNESS))
                            + ", "
                            + Option.label(s.o.get(KafkaOptions.DELIVERY))
                            + " with a checkpoint every "
                            + Durations.format(s.o.get(CHECKPOINT_INTERVAL))
                            + (first
                                    ? ": an alert shows a few seconds after its connection (mode final would wait for the end of "
                                            + "its "
                                            + Durations.format(s.o.get(DetectionOptions.WINDOW))
                                            + " window)"
                                    : ": an alert shows when its "
                                            + Durations.format(s.o.get(DetectionOptions.WINDOW))
                                            + " window has ended"));

            startThread("demo-viewer", this::view);
            ConnectionGenerator generator =
                    new ConnectionGenerator(IocList.ips(iocs), s.hitRate, s.hosts, s.seed);
            startThread("demo-connections", () -> generate(generator));
            startThread("demo-summary", this::summaries);
            say(
                    "sending ~"
                            + fmt((long) s.rate)
                            + " VMConnection rows/s to "
                            + config.kafka.connectionsTopic()
                            + " ("
                            + pct(s.hitRate)
                            + " to or from listed IPs, "
                            + pct(s.badRate)
                            + " malformed); "
                            + (s.duration.isZero()
                                    ? "Ctrl-C stops everything"
                                    : "stopping after "
                                            + Durations.format(s.o.get(DURATION))
                                            + " (or Ctrl-C)"));
        }

        private boolean stopRequested() {
            return stop.getCount() == 0;
        }

        private String[] jobArgs(String bootstrap, int webUi) {
            List<String> a =
                    new ArrayList<>(
                            List.of(
                                    "--bootstrap-servers",
                                    bootstrap,
                                    "--group-id",
                                    "ti-demo",
                                    "--transactional-id-prefix",
                                    "ti-demo",
                                    "--connections-start",
                                    "earliest",
                                    "--checkpoint-interval",
                                    Durations.format(s.o.get(CHECKPOINT_INTERVAL)),
                                    "--delivery",
                                    Option.label(s.o.get(KafkaOptions.DELIVERY)),
                                    "--web-ui-port",
                                    Integer.toString(webUi),
                                    "--alert-format",
                                    formatted(s.o, JobOptions.ALERT_FORMAT)));
            for (Option<?> option : DetectionOptions.ALL) {
                a.add("--" + option.name());
                a.add(formatted(s.o, option));
            }
            a.add("--" + JobOptions.PARALLELISM.name());
            a.add(formatted(s.o, JobOptions.PARALLELISM));
            return a.toArray(new String[0]);
        }

        private static <T> String formatted(CommandLine line, Option<T> option) {
            return option.format(line.get(option));
        }

        private void createTopics() throws Exception {
            try (Admin admin = Admin.create(config.kafka.clientProperties())) {
                admin.createTopics(
                                List.of(
                                        new NewTopic(config.kafka.indicatorsTopic(), 2, (short) 1)
                                                .configs(Map.of("cleanup.policy", "compact")),
                                        new NewTopic(config.kafka.connectionsTopic(), 2, (short) 1),
                                        new NewTopic(config.kafka.alertsTopic(), 2, (short) 1),
                                        new NewTopic(
                                                config.kafka.deadLettersTopic(), 1, (short) 1)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            say(
                    "topics: "
                            + config.kafka.indicatorsTopic()
                            + " (compacted), "
                            + config.kafka.connectionsTopic()
                            + ", "
                            + config.kafka.alertsTopic()
                            + ", "
                            + config.kafka.deadLettersTopic());
        }

        private Properties producerProperties() {
            Properties p = config.kafka.clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            return p;
        }

        private int publishIndicators(List<IocList.Ioc> iocs) throws Exception {
            List<ObjectNode> rows = IocList.indicatorRows(iocs, Instant.now());
            for (ObjectNode row : rows) {
                producer.send(
                        new ProducerRecord<>(
                                config.kafka.indicatorsTopic(),
                                row.get("IndicatorId").textValue().getBytes(StandardCharsets.UTF_8),
                                ConnectionGenerator.bytes(row)));
            }
            producer.flush();
            return rows.size();
        }

        // ------------------------------------------------------------ threads

        private void generate(ConnectionGenerator g) {
            Random r = new Random(s.seed + 1);
            List<ObjectNode> envelope = new ArrayList<>();
            int[] envelopeSize = {0};
            try {
                g.run(
                        s.rate,
                        this::stopRequested,
                        row -> {
                            rowsSent.incrementAndGet();
                            if (g.lastWasHit()) {
                                hitsSent.incrementAndGet();
                            }
                            if (s.badRate > 0 && r.nextDouble() < s.badRate) {
                                send(null, g.malformed(Instant.now()));
                                malformedSent.incrementAndGet();
                            }
                            if (envelopeSize[0] == 0 && r.nextDouble() < s.envelopeRate) {
                                envelopeSize[0] = 2 + r.nextInt(4);
                            }
                            if (envelopeSize[0] > 0) {
                                envelope.add(row);
                                if (envelope.size() >= envelopeSize[0]) {
                                    send(
                                            envelope.get(0).get("Computer").textValue(),
                                            ConnectionGenerator.envelope(envelope));
                                    envelope.clear();
                                    envelopeSize[0] = 0;
                                }
                            } else {
                                send(
                                        row.get("Computer").textValue(),
                                        ConnectionGenerator.bytes(row));
                            }
                        });
            } catch (InterruptedException | InterruptException e) {
                // stopping
            } catch (RuntimeException e) {
                if (!stopRequested()) {
                    err.println("demo: the connection generator failed: " + e);
                }
            }
        }

        private void send(String key, byte[] value) {
            producer.send(
                    new ProducerRecord<>(
                            config.kafka.connectionsTopic(),
                            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                            value));
            recordsSent.incrementAndGet();
        }

        /** Reads the alert and dead-letter topics as a SOC tool would: read_committed. */
        private void view() {
            Properties p = config.kafka.clientProperties();
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "ti-demo-viewer");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
            p.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                viewer = c;
                c.subscribe(List.of(config.kafka.alertsTopic(), config.kafka.deadLettersTopic()));
                while (!stopRequested()) {
                    for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(500))) {
                        if (rec.topic().equals(config.kafka.alertsTopic())) {
                            onAlert(rec.value());
                        } else {
                            onDeadLetter(rec);
                        }
                    }
                }
            } catch (WakeupException | InterruptException e) {
                // stopping
            } catch (RuntimeException e) {
                if (!stopRequested()) {
                    err.println("demo: the alert viewer failed: " + e);
                }
            }
        }

        private void onAlert(byte[] value) {
            long n = alerts.incrementAndGet();
            if (n == 1) {
                firstAlertNanos = System.nanoTime();
                say(
                        String.format(
                                "first alert %.1f s after the demo started (%.1f s after the job was submitted)",
                                (firstAlertNanos - startNanos) / 1e9,
                                (firstAlertNanos - jobSubmittedNanos) / 1e9));
            }
            try {
                JsonNode alert = MAPPER.readTree(value);
                // OCSF and ECS alerts are shown whole, one document a line
                out.println(
                        config.alertFormat == AlertFormat.SENTINEL
                                ? alertLine(alert)
                                : now() + "  ALERT  " + alert);
            } catch (Exception e) {
                out.println("ALERT (unreadable: " + e.getMessage() + ")");
            }
        }

        private void onDeadLetter(ConsumerRecord<byte[], byte[]> rec) {
            deadLetters.incrementAndGet();
            String reason = header(rec, KafkaDeadLetterSerializer.REASON);
            String where =
                    header(rec, KafkaDeadLetterSerializer.TOPIC)
                            + "-"
                            + header(rec, KafkaDeadLetterSerializer.PARTITION)
                            + "@"
                            + header(rec, KafkaDeadLetterSerializer.OFFSET);
            out.println(now() + "  DEAD LETTER  " + where + "  " + abbreviate(reason, 90));
        }

        private static String header(ConsumerRecord<byte[], byte[]> rec, String key) {
            Header h = rec.headers().lastHeader(key);
            return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
        }

        private void summaries() {
            try {
                while (!stop.await(10, TimeUnit.SECONDS)) {
                    String status;
                    try {
                        status = job.getJobStatus().get(2, TimeUnit.SECONDS).toString();
                    } catch (Exception e) {
                        status = "unknown";
                    }
                    long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
                    out.printf(
                            "%s  -- [+%d:%02d] sent %s connection rows in %s records (%s to/from listed IPs, "
                                    + "%s malformed) | alerts %s | dead letters %s | job %s%n",
                            now(),
                            secs / 60,
                            secs % 60,
                            fmt(rowsSent.get()),
                            fmt(recordsSent.get()),
                            fmt(hitsSent.get()),
                            fmt(malformedSent.get()),
                            fmt(alerts.get()),
                            fmt(deadLetters.get()),
                            status);
                }
            } catch (InterruptedException e) {
                // stopping
            }
        }

        private void startThread(String name, Runnable r) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        // ------------------------------------------------------------ stopping

        /** Stops the generator, the job, the clients and the broker, in that order. Idempotent. */
        private void shutdown() {
            if (!stopping.compareAndSet(false, true)) {
                try {
                    stopped.await(90, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            stop.countDown();
            try {
                say("stopping: generator, job, broker");
                KafkaConsumer<byte[], byte[]> v = viewer;
                if (v != null) {
                    try {
                        v.wakeup(); // ends a poll in progress at once
                    } catch (RuntimeException ignored) {
                        // already closed
                    }
                }
                joinThreads();
                JobClient j = job;
                if (j != null) {
                    try {
                        j.cancel().get(30, TimeUnit.SECONDS);
                        awaitTerminal(j, 15); // its Kafka clients close before the broker goes
                    } catch (Exception e) {
                        // the cluster may already be going down with the JVM
                    }
                }
                KafkaProducer<byte[], byte[]> p = producer;
                if (p != null) {
                    p.close(Duration.ofSeconds(5));
                }
                LocalKafkaBroker b = broker;
                if (b != null) {
                    b.close();
                    say("broker stopped, its directory deleted");
                }
                say(
                        String.format(
                                "sent %s connection rows; %s alerts, %s dead letters%s",
                                fmt(rowsSent.get()),
                                fmt(alerts.get()),
                                fmt(deadLetters.get()),
                                firstAlertNanos == 0
                                        ? ""
                                        : String.format(
                                                "; first alert %.1f s after start",
                                                (firstAlertNanos - startNanos) / 1e9)));
            } finally {
                stopped.countDown();
            }
        }

        private static void awaitTerminal(JobClient j, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline
                    && !j.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState()) {
                Thread.sleep(100);
            }
        }

        private void joinThreads() {
            for (Thread t : threads) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        // ------------------------------------------------------------ output

        private void say(String line) {
            out.println(now() + "  demo: " + line);
            out.flush();
        }

        private String secondsSinceStart() {
            return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /**
     * One line per alert: which host, which connection (and when), which indicator, which alert.
     */
    static String alertLine(JsonNode a) {
        String time = text(a, "VMConnection_TimeGenerated");
        String clock = time.length() >= 19 ? time.substring(11, 19) : time;
        String group = text(a, "ActivityGroupNames");
        String id = text(a, "AlertId");
        return String.format(
                "%s  ALERT  %-26s %-8s %-10s %s -> %s:%s/%s at %s  IOC %s%s \"%s\" conf %s  id %s%s",
                now(),
                text(a, "Computer"),
                text(a, "Direction"),
                text(a, "ProcessName"),
                text(a, "SourceIp"),
                text(a, "DestinationIp"),
                text(a, "DestinationPort"),
                text(a, "Protocol"),
                clock,
                text(a, "TI_ipEntity"),
                group.isBlank() ? "" : " [" + group.trim() + "]",
                abbreviate(text(a, "Description"), 40),
                text(a, "ConfidenceScore"),
                id.length() > 8 ? id.substring(0, 8) : id,
                a.path("Late").asBoolean(false) ? "  (late)" : "");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String now() {
        return LocalTime.now(ZoneOffset.UTC).format(CLOCK);
    }

    private static String fmt(long n) {
        return String.format("%,d", n);
    }

    private static String pct(double f) {
        return (f * 100 == Math.rint(f * 100)
                        ? Long.toString(Math.round(f * 100))
                        : Double.toString(f * 100))
                + "%";
    }
}

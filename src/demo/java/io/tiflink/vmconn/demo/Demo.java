package io.tiflink.vmconn.demo;

import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.job.Cli;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.job.KafkaRun;
import io.tiflink.vmconn.kafka.KafkaPipeline;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one-command demo ({@code ./demo.sh}): a real single-node Kafka broker on localhost, the
 * topics, the public IOC list published as indicator rows, a stream of generated VMConnection rows
 * of which some go to or come from listed IPs, the Kafka job on a local MiniCluster with the Flink
 * web UI, and a live view of the alert and dead-letter topics. Ctrl-C stops the generator, the job
 * and the broker, and deletes the broker's files.
 *
 * <p>This class is the lifecycle: it reads the options ({@link DemoOptions}), starts the broker,
 * the feed ({@link DemoFeed}), the job and the console viewer ({@link AlertConsole}) in that order,
 * and stops what it started in reverse order, on Ctrl-C or after {@code --duration}.
 *
 * <p>The demo emits in mode {@code first} with a 2 s out-of-orderness bound, so that an alert
 * leaves seconds after its connection (mode {@code final} would wait for the end of the hour). With
 * exactly-once delivery an alert becomes visible to read_committed readers at the next checkpoint
 * (every 2 s here).
 */
public final class Demo {

    /** One thing the demo started, and how to stop it. */
    private interface Started {
        void stop() throws Exception;
    }

    private final DemoOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Deque<Started> started = new ConcurrentLinkedDeque<>();
    private final AlertConsole console;
    private volatile DemoFeed feed;
    private volatile JobClient job;

    private Demo(DemoOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.console = new AlertConsole(out, err, startNanos);
    }

    public static void main(String[] args) {
        System.exit(exitCode(args, System.out, System.err));
    }

    /**
     * Runs the demo: 0 when it stopped as asked, 2 with one line for a bad option, 1 on failure.
     */
    static int exitCode(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help")) {
            out.println(DemoOptions.help());
            return 0;
        }
        return Cli.exitCode(() -> run(DemoOptions.parse(args), out, err), err);
    }

    static int run(DemoOptions options, PrintStream out, PrintStream err) throws Exception {
        try {
            LocalKafkaBroker.classpathOf(LocalKafkaBroker.libDirectory());
        } catch (IllegalStateException notBuilt) {
            throw new IllegalArgumentException(
                    notBuilt.getMessage()); // printed as a plain error, no trace
        }
        return new Demo(options, out, err).run();
    }

    private int run() throws Exception {
        KafkaRun.quietSinkMetricWarnings();
        Thread hook = new Thread(this::onSignal, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            start();
            if (options.duration.isZero()) {
                stop.await();
            } else if (!stop.await(options.duration.toMillis(), TimeUnit.MILLISECONDS)) {
                say("stopping after " + Durations.format(options.duration));
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

    private boolean stopRequested() {
        return stop.getCount() == 0;
    }

    // ------------------------------------------------------------ starting

    /** Broker, topics and indicators, job, viewer, connections, summaries: in this order. */
    private void start() throws Exception {
        say(
                "starting a single-node Kafka broker (KRaft, Apache Kafka 4.2 jars from "
                        + LocalKafkaBroker.libDirectory()
                        + ")");
        LocalKafkaBroker broker =
                LocalKafkaBroker.start(
                        new LocalKafkaBroker.Settings().port(options.brokerPort).log(out));
        started.push(
                () -> {
                    broker.close();
                    say("broker stopped, its directory deleted");
                });
        say(
                "broker up on "
                        + broker.bootstrapServers()
                        + " in "
                        + Console.secondsSince(startNanos)
                        + " s (data in "
                        + broker.directory()
                        + ", deleted on exit)");
        if (stopRequested()) {
            return;
        }

        int webUi = webUiPort();
        // Checkpoints go to files: the in-memory storage's 5 MiB per task would fail the job
        // once the buffered connections of the look-back outgrow it (after ~10 min at 100/s).
        Path checkpoints = Files.createTempDirectory("ti-demo-checkpoints-");
        started.push(() -> LocalKafkaBroker.deleteRecursively(checkpoints));
        KafkaJobConfig config =
                KafkaJobConfig.parse(
                        true,
                        options.jobArgs(
                                broker.bootstrapServers(), webUi, checkpoints.toUri().toString()));
        feed = DemoFeed.open(config.kafka, options, out, err);
        started.push(feed::close);
        List<IocList.Ioc> iocs = IocList.load();
        IndicatorMix published = feed.publishIndicators(iocs);
        if (stopRequested()) {
            return;
        }

        StreamExecutionEnvironment env = FlinkEnvironments.local(options.parallelism(), webUi);
        config.applyTo(env);
        KafkaPipeline.define(env, config.kafka, config.detection, config.alertFormat);
        JobClient submitted = env.executeAsync(KafkaPipeline.JOB_NAME);
        job = submitted;
        started.push(() -> cancel(submitted));
        console.jobSubmitted();
        say(
                "Flink job submitted (parallelism "
                        + options.parallelism()
                        + "; checkpoints in "
                        + checkpoints
                        + ", deleted on exit)"
                        + (webUi > 0 ? "; web UI: http://localhost:" + webUi : ""));
        say(options.emitting());

        startThread("demo-viewer", () -> console.view(config.kafka, this::stopRequested));
        started.push(console::wakeup); // ends its poll at once; its thread is joined next
        ConnectionGenerator generator =
                new ConnectionGenerator(
                        IocList.ips(iocs),
                        published.rangeCidrs(),
                        options.hitRate,
                        options.hosts,
                        options.seed);
        startThread("demo-connections", () -> feed.sendConnections(generator, this::stopRequested));
        startThread("demo-summary", this::summaries);
        say(
                "sending ~"
                        + Console.count((long) options.rate)
                        + " VMConnection rows/s to "
                        + config.kafka.connectionsTopic()
                        + " ("
                        + Console.percent(options.hitRate)
                        + " to or from listed IPs"
                        + (published.ranges().isEmpty()
                                ? ""
                                : ", a quarter of those inside the listed ranges")
                        + ", "
                        + Console.percent(options.badRate)
                        + " malformed); "
                        + (options.duration.isZero()
                                ? "Ctrl-C stops everything"
                                : "stopping after "
                                        + Durations.format(options.duration)
                                        + " (or Ctrl-C)"));
    }

    /** The web UI's port: the one asked for, else (taken) a free one; 0 = none. */
    private int webUiPort() throws Exception {
        int asked = options.webUiPort;
        if (asked == 0 || LocalKafkaBroker.isFree(asked)) {
            return asked;
        }
        int free = LocalKafkaBroker.freePort();
        say("web UI port " + asked + " is taken; using " + free);
        return free;
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
                console.printSummary(feed.sent(), status);
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** Starts a daemon thread; stopping joins it (the stop signal ends its loop). */
    private void startThread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        started.push(() -> t.join(5_000));
        t.start();
    }

    // ------------------------------------------------------------ stopping

    /** Stops what was started, in reverse order: threads, job, producer, broker. Idempotent. */
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
            boolean interrupted = Thread.interrupted(); // each step still gets its time
            for (Started s = started.poll(); s != null; s = started.poll()) {
                try {
                    s.stop();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (Exception e) {
                    // the cluster may already be going down with the JVM
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            DemoFeed f = feed;
            say(console.closingLine(f == null ? DemoFeed.Sent.NONE : f.sent()));
        } finally {
            stopped.countDown();
        }
    }

    /** Cancels the job and waits until it is gone: its Kafka clients close before the broker. */
    private static void cancel(JobClient j) throws Exception {
        j.cancel().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline
                && !j.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState()) {
            Thread.sleep(100);
        }
    }

    private void say(String line) {
        Console.say(out, line);
    }
}

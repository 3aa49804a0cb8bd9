package io.tiflink.vmconn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The broker dies mid-stream: SIGKILL, as a crash or a lost machine, while connections flow and the
 * job's Kafka transactions are open; it comes back on the same data and port after 30 s (in {@code
 * mvn verify}) or after 5 minutes ({@code -Preliability}). Nobody touches the job: it recovers by
 * itself, and a read_committed consumer sees exactly the reference's alerts, none lost, none twice.
 * Figures: the job's restarts and failed checkpoints during the outage, and how long after the
 * broker came back the job completed a checkpoint again (its alerts flow again).
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "deploy/local/cluster.sh reads /proc")
class BrokerOutageIT {

    @Test
    void theJobRecoversByItselfWhenTheKilledBrokerComesBackAndLosesOrRepeatsNoAlert()
            throws Exception {
        Duration outage = Reliability.LONG ? Duration.ofMinutes(5) : Duration.ofSeconds(30);
        Duration stream = Duration.ofSeconds(Reliability.LONG ? 120 : 60);
        Reliability.Figures fig =
                new Reliability.Figures("BrokerOutageIT-" + outage.toSeconds() + "s");
        Path work = Files.createTempDirectory("ti-reliability-outage-");
        BrokerProcess broker = BrokerProcess.start(work.resolve("kafka"));
        LocalFlinkCluster cluster = Reliability.cluster(work.resolve("flink"));
        String jobId = null;
        boolean passed = false;
        try (Feed feed = new Feed(broker.clientProperties(), "outage")) {
            cluster.start(1, Reliability.clusterOverrides());
            feed.createTopics(2);
            ScenarioInput in = ScenarioInput.legacy(51, Reliability.LONG ? 2400 : 1200);
            jobId = Reliability.submit(cluster, feed, in.settings());
            fig.step("job " + jobId + " runs; broker pid " + broker.pid());

            try (JobWatch watch = new JobWatch(cluster, jobId)) {
                feed.sendIndicators(in.indicators());
                ConnectionStream connections =
                        new ConnectionStream(feed, in.connections(), stream).start();
                Thread.sleep(stream.toMillis() / 3);
                long checkpointsBefore = cluster.completedCheckpoints(jobId);
                Instant killed = Instant.now();
                broker.kill();
                fig.step(
                        "broker killed (SIGKILL) after "
                                + connections.sent()
                                + " of "
                                + connections.size()
                                + " connection lines and "
                                + checkpointsBefore
                                + " completed checkpoints");
                Thread.sleep(outage.toMillis());
                long restartsDuringOutage = watch.restarts();
                long failedDuringOutage = watch.failedCheckpoints();
                Instant back = Instant.now();
                broker.start();
                Instant up = Instant.now();
                fig.step(
                        "broker started again on the same data and port, answering in "
                                + Reliability.seconds(Duration.between(back, up))
                                + " s");

                cluster.await(
                        "a checkpoint completed after the broker came back",
                        Duration.ofMinutes(5),
                        jobId,
                        () -> watch.firstCheckpointAfter(up).isPresent());
                Instant recovered = watch.firstCheckpointAfter(up).orElseThrow();
                connections.awaitDone(Duration.ofMinutes(10));
                feed.clocksPast(in);
                Reliability.awaitInputCheckpointed(cluster, feed, jobId, Duration.ofMinutes(5));

                List<ObjectNode> expected = feed.expectedAlerts(in.settings());
                assertThat(expected).as("the scenario has alerts").hasSizeGreaterThan(20);
                Reliability.Verdict v = Reliability.verdict(feed, expected);
                int dead = feed.readDeadLetters(in.deadLetterCount(), Duration.ofMinutes(1)).size();
                assertThat(dead).as("dead letters").isEqualTo(in.deadLetterCount());

                fig.put("outage", outage.toSeconds() + " s (broker SIGKILLed mid-stream)");
                fig.put("job restarts during the outage", restartsDuringOutage);
                fig.put("failed checkpoints during the outage", failedDuringOutage);
                fig.put("job restarts in all", watch.restarts());
                fig.put(
                        "first checkpoint after the broker answered again",
                        Reliability.seconds(Duration.between(up, recovered)) + " s");
                fig.put(
                        "kill to first checkpoint after it",
                        Reliability.seconds(Duration.between(killed, recovered)) + " s");
                fig.put("dead letters", dead + " (the scenario's " + in.deadLetterCount() + ")");
                fig.put("alerts expected / got", v.summary());
            }
            passed = true;
        } catch (Throwable t) {
            System.out.println(
                    Reliability.failureReport("BrokerOutageIT", cluster, jobId)
                            + "\nbroker:\n"
                            + broker.logTail(40));
            throw t;
        } finally {
            Reliability.finish(fig, cluster, broker, work, passed, "BrokerOutageIT: logs");
        }
    }
}

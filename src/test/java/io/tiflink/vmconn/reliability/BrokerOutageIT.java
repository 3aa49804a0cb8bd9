package io.tiflink.vmconn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.ScenarioLines;
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
            Scenario sc =
                    ScenarioGenerator.generate(
                            51,
                            Reliability.LONG ? 2400 : 1200,
                            false,
                            ScenarioGenerator.Shapes.LEGACY);
            List<String> ind = ScenarioLines.sortedByTime(sc.indicatorLines());
            List<String> conn = ScenarioLines.sortedByTime(sc.connectionLines());
            SpecReference.Settings s =
                    Reliability.coveringBound(sc.settings().withEmitMode("final"), ind, conn);
            jobId = cluster.submit(Reliability.jobJar(), 2, null, Reliability.jobArgs(feed, s));
            fig.step("job " + jobId + " runs; broker pid " + broker.pid());

            try (JobWatch watch = new JobWatch(cluster, jobId)) {
                feed.sendIndicators(ind);
                ConnectionStream connections = new ConnectionStream(feed, conn, stream).start();
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

                String job = jobId;
                cluster.await(
                        "a checkpoint completed after the broker came back",
                        Duration.ofMinutes(5),
                        jobId,
                        () -> watch.firstCheckpointAfter(up).isPresent());
                Instant recovered = watch.firstCheckpointAfter(up).orElseThrow();
                connections.awaitDone(Duration.ofMinutes(10));
                Instant latest =
                        Instant.ofEpochSecond(
                                0,
                                Math.max(
                                        ScenarioLines.firstTime(ind.get(ind.size() - 1)),
                                        ScenarioLines.firstTime(conn.get(conn.size() - 1))));
                feed.clocks(latest.plus(Duration.ofDays(2)));
                cluster.await(
                        "the input consumed and checkpointed",
                        Duration.ofMinutes(5),
                        jobId,
                        feed::consumedAndCheckpointed);
                long after = cluster.completedCheckpoints(jobId);
                cluster.await(
                        "two more checkpoints",
                        Duration.ofMinutes(1),
                        jobId,
                        () -> cluster.completedCheckpoints(job) >= after + 2);

                List<ObjectNode> expected =
                        SpecReference.expectedAlerts(feed.indicatorLines, feed.connectionLines, s);
                assertThat(expected).as("the scenario has alerts").hasSizeGreaterThan(20);
                Reliability.Verdict v =
                        Reliability.verdict(
                                feed.readAlerts(expected, Duration.ofMinutes(2)), expected);
                int dead =
                        feed.readAll(
                                        feed.deadLetters(),
                                        r -> r.size() >= sc.deadLetterCount(),
                                        Duration.ofSeconds(3),
                                        Duration.ofMinutes(1))
                                .size();
                assertThat(dead).as("dead letters").isEqualTo(sc.deadLetterCount());

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
                fig.put("dead letters", dead + " (the scenario's " + sc.deadLetterCount() + ")");
                fig.put("alerts expected / got", v.summary());
            }
            passed = true;
        } catch (Throwable t) {
            System.out.println(
                    "BrokerOutageIT failed; job: "
                            + (jobId == null ? "-" : cluster.lastFailure(jobId))
                            + "\n"
                            + cluster.logTails(40)
                            + "\nbroker:\n"
                            + broker.logTail(40));
            throw t;
        } finally {
            fig.write();
            cluster.close();
            broker.close();
            if (passed) {
                Reliability.deleteRecursively(work);
            } else {
                System.out.println("BrokerOutageIT: logs kept in " + work);
            }
        }
    }
}

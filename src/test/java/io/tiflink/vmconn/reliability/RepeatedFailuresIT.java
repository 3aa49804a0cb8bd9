package io.tiflink.vmconn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Repeated failures: a stream on a JobManager and two TaskManagers (each its own JVM) while, at a
 * fixed interval, a random TaskManager running the job is SIGKILLed and a new one started in its
 * place: 10 minutes with a kill every minute ({@code -Preliability}), 2 minutes with a kill every
 * 30 s ({@code mvn verify}). The job restores its last checkpoint after each; a read_committed
 * consumer sees exactly the reference's alerts. Figures: per failure, the time from the kill until
 * every task runs again and until the next checkpoint completes; the checkpoints' sizes.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "deploy/local/cluster.sh reads /proc")
class RepeatedFailuresIT {

    @Test
    void aTaskManagerKilledAtEveryIntervalLosesAndRepeatsNoAlert() throws Exception {
        Duration stream = Reliability.LONG ? Duration.ofMinutes(10) : Duration.ofMinutes(2);
        Duration every = Reliability.LONG ? Duration.ofMinutes(1) : Duration.ofSeconds(30);
        Reliability.Figures fig =
                new Reliability.Figures("RepeatedFailuresIT-" + stream.toMinutes() + "min");
        Path work = Files.createTempDirectory("ti-reliability-failures-");
        BrokerProcess broker = BrokerProcess.start(work.resolve("kafka"));
        LocalFlinkCluster cluster = Reliability.cluster(work.resolve("flink"));
        String jobId = null;
        boolean passed = false;
        Random random = new Random(20261203L);
        try (Feed feed = new Feed(broker.clientProperties(), "failures")) {
            cluster.start(2, Reliability.clusterOverrides());
            feed.createTopics(2);
            ScenarioInput in = ScenarioInput.legacy(61, Reliability.LONG ? 6000 : 1500);
            jobId = Reliability.submit(cluster, feed, in.settings());
            fig.step("job " + jobId + " runs on " + cluster.subtasksByTaskManager(jobId));

            List<String> perFailure = new ArrayList<>();
            List<Duration> running = new ArrayList<>();
            List<Duration> checkpointed = new ArrayList<>();
            try (JobWatch watch = new JobWatch(cluster, jobId)) {
                feed.sendIndicators(in.indicators());
                Instant start = Instant.now();
                ConnectionStream connections =
                        new ConnectionStream(feed, in.connections(), stream).start();
                int kills = (int) (stream.toSeconds() / every.toSeconds()) - 1;
                for (int k = 1; k <= kills; k++) {
                    Instant due = start.plus(every.multipliedBy(k));
                    Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis()));
                    String job = jobId;
                    // Only a TaskManager that runs part of the job: killing an idle one tests
                    // nothing. Wait until the job runs again after the previous kill.
                    cluster.await(
                            "every task running",
                            Duration.ofMinutes(3),
                            jobId,
                            () -> cluster.allTasksRunning(job));
                    Map<String, Integer> placement = cluster.subtasksByTaskManager(jobId);
                    List<String> candidates = new ArrayList<>(placement.keySet());
                    candidates.sort(null);
                    String victim = candidates.get(random.nextInt(candidates.size()));
                    Instant killed = Instant.now();
                    cluster.killTaskManager(victim);
                    cluster.addTaskManager();
                    cluster.await(
                            "the job running again from a checkpoint after kill " + k,
                            Duration.ofMinutes(3),
                            jobId,
                            () -> watch.runningAgainAfter(killed).isPresent());
                    Instant back = watch.runningAgainAfter(killed).orElseThrow().at();
                    cluster.await(
                            "a checkpoint after kill " + k,
                            Duration.ofMinutes(3),
                            jobId,
                            () -> watch.firstCheckpointAfter(back).isPresent());
                    Instant cp = watch.firstCheckpointAfter(back).orElseThrow();
                    running.add(Duration.between(killed, back));
                    checkpointed.add(Duration.between(killed, cp));
                    String line =
                            String.format(
                                    "kill %d: %s (ran %d of the job's subtasks) at +%s s; every"
                                            + " task running again after %s s (restored checkpoint"
                                            + " %d); next checkpoint after %s s",
                                    k,
                                    victim,
                                    placement.get(victim),
                                    Reliability.seconds(Duration.between(start, killed)),
                                    Reliability.seconds(Duration.between(killed, back)),
                                    watch.runningAgainAfter(killed).orElseThrow().restoredId(),
                                    Reliability.seconds(Duration.between(killed, cp)));
                    perFailure.add(line);
                    fig.step(line);
                }
                connections.awaitDone(Duration.ofMinutes(10));
                feed.clocksPast(in);
                Reliability.awaitInputCheckpointed(cluster, feed, jobId, Duration.ofMinutes(5));

                List<ObjectNode> expected = feed.expectedAlerts(in.settings());
                Reliability.Verdict v = Reliability.verdict(feed, expected);
                int dead = feed.readDeadLetters(in.deadLetterCount(), Duration.ofMinutes(1)).size();
                assertThat(dead).as("dead letters").isEqualTo(in.deadLetterCount());

                List<JobWatch.Checkpoint> cps = watch.checkpoints();
                fig.put(
                        "stream",
                        Reliability.seconds(stream)
                                + " s, "
                                + in.connections().size()
                                + " connection lines, "
                                + in.indicators().size()
                                + " indicator lines; a TaskManager SIGKILLed every "
                                + every.toSeconds()
                                + " s and replaced");
                for (int i = 0; i < perFailure.size(); i++) {
                    fig.put("failure " + (i + 1), perFailure.get(i));
                }
                fig.put(
                        "kill to every task running (p50 / max)",
                        Reliability.medianAndMax(running) + " s");
                fig.put(
                        "kill to next checkpoint (p50 / max)",
                        Reliability.medianAndMax(checkpointed) + " s");
                fig.put("job restarts", watch.restarts());
                fig.put("checkpoints completed (seen)", cps.size());
                fig.put("checkpoint size, full state (min / median / max)", sizes(cps, true));
                fig.put("checkpoint size, uploaded (min / median / max)", sizes(cps, false));
                fig.put("dead letters", dead);
                fig.put("alerts expected / got", v.summary());
                assertThat(watch.restarts())
                        .as("one restart per kill")
                        .isGreaterThanOrEqualTo(kills);
            }
            passed = true;
        } catch (Throwable t) {
            System.out.println(Reliability.failureReport("RepeatedFailuresIT", cluster, jobId));
            throw t;
        } finally {
            Reliability.finish(fig, cluster, broker, work, passed, "RepeatedFailuresIT: logs");
        }
    }

    private static String sizes(List<JobWatch.Checkpoint> cps, boolean full) {
        List<Long> v =
                new ArrayList<>(
                        cps.stream()
                                .map(c -> full ? c.stateSize() : c.checkpointedSize())
                                .sorted()
                                .toList());
        if (v.isEmpty()) {
            return "-";
        }
        return kib(v.get(0)) + " / " + kib(v.get(v.size() / 2)) + " / " + kib(v.get(v.size() - 1));
    }

    private static String kib(long bytes) {
        return bytes / 1024 + " KiB";
    }
}

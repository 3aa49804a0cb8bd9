package io.tiflink.vmconn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import io.tiflink.vmconn.reference.SpecReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The indicator feed's two habits. Sentinel republishes the whole indicator set every 7 days: here
 * the indicator topic is published again, whole, while connections flow, and the alerts neither
 * repeat nor stall. And a feed may say nothing for days: here it is silent for 3 days of event time
 * (run fast) while connections flow, and every final-mode alert leaves when its window has passed,
 * as if indicators kept coming. Both on a real broker and cluster, compared with the reference.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "deploy/local/cluster.sh reads /proc")
class IndicatorFloodAndSilenceIT {

    private static Path work;
    private static BrokerProcess broker;
    private static LocalFlinkCluster cluster;
    private static boolean failed;

    @BeforeAll
    static void startBrokerAndCluster() throws Exception {
        work = Files.createTempDirectory("ti-reliability-feed-");
        broker = BrokerProcess.start(work.resolve("kafka"));
        cluster = Reliability.cluster(work.resolve("flink"));
        if (Reliability.LONG) {
            cluster.environment("FLINK_TM_MEMORY", "2g"); // the larger indicator set, twice
        }
        cluster.start(1, Reliability.clusterOverrides());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (failed) {
            System.out.println("IndicatorFloodAndSilenceIT: logs kept in " + work);
        } else {
            Reliability.deleteRecursively(work);
        }
    }

    // ---------------------------------------------------------------- the flood

    @Test
    void theWholeIndicatorSetRepublishedWhileConnectionsFlowGivesNoDuplicateAndNoStall()
            throws Exception {
        int indicators = Reliability.LONG ? 100_000 : 20_000;
        Duration stream = Duration.ofSeconds(Reliability.LONG ? 300 : 90);
        int rate = 100; // connection rows per second
        int hitEvery = 50; // one connection in 50 goes to a listed IP, each to another
        Reliability.Figures fig = new Reliability.Figures("IndicatorFloodIT");
        String jobId = null;
        try (Feed feed = new Feed(broker.clientProperties(), "flood")) {
            feed.createTopics(2);
            SpecReference.Settings s =
                    SpecReference.Settings.defaults()
                            .withEmitMode("first")
                            .withOutOfOrderness(Duration.ofSeconds(2));
            jobId = Reliability.submit(cluster, feed, s, "--idleness", "3s");
            fig.step("job " + jobId + " runs (first mode, bound 2 s, idleness 3 s)");
            String expires = Instant.now().plus(Duration.ofDays(30)).toString();
            long t = System.nanoTime();
            feed.sendIndicators(publication(indicators, expires));
            fig.step(
                    "first publication of "
                            + indicators
                            + " indicators in "
                            + Reliability.seconds(t)
                            + " s");
            String job = jobId;
            long[] polls = {0};
            cluster.await(
                    "the indicators consumed",
                    Duration.ofMinutes(5),
                    jobId,
                    () -> {
                        if (polls[0]++ % 20 == 0) {
                            fig.step(
                                    "lag "
                                            + feed.lag()
                                            + ", checkpoints "
                                            + cluster.completedCheckpoints(job));
                        }
                        return feed.consumedAndCheckpointed();
                    });
            String firstRead = Reliability.seconds(t);
            fig.step("the job has read them");

            try (AlertWatch alerts = new AlertWatch(feed);
                    JobWatch watch = new JobWatch(cluster, jobId)) {
                Map<String, Instant> sentByKey = new ConcurrentHashMap<>();
                int count = (int) (stream.toSeconds() * rate);
                ConnectionStream connections =
                        new ConnectionStream(
                                        feed,
                                        i -> {
                                            String line =
                                                    connection(
                                                            Instant.now(),
                                                            "vm-" + (i % 40) + ".contoso.com",
                                                            i % hitEvery == 0
                                                                    ? ip(i / hitEvery)
                                                                    : "13.1."
                                                                            + (i / 250 % 250)
                                                                            + "."
                                                                            + (i % 250 + 1));
                                            sentByKey.put(
                                                    key(Reliability.json(line)), Instant.now());
                                            return line;
                                        },
                                        count,
                                        stream)
                                .start();
                Thread.sleep(stream.toMillis() / 3);
                Instant floodStart = Instant.now();
                CompletableFuture<Instant> floodSent =
                        CompletableFuture.supplyAsync(
                                () -> {
                                    feed.sendIndicators(publication(indicators, expires));
                                    return Instant.now();
                                });
                Instant sent = floodSent.get();
                fig.step(
                        "republished all "
                                + indicators
                                + " in "
                                + Reliability.seconds(Duration.between(floodStart, sent))
                                + " s");
                cluster.await(
                        "the republished indicators consumed",
                        Duration.ofMinutes(5),
                        jobId,
                        () ->
                                feed.lag().entrySet().stream()
                                        .filter(e -> e.getKey().startsWith(feed.indicators()))
                                        .allMatch(e -> e.getValue() <= 0));
                Instant floodConsumed = Instant.now();
                fig.step(
                        "the job had consumed and checkpointed them "
                                + Reliability.seconds(Duration.between(floodStart, floodConsumed))
                                + " s after the flood started");
                connections.awaitDone(Duration.ofMinutes(10));
                // Event time past the last connections, so that first mode judges them.
                feed.clocks(Instant.now().plus(Duration.ofMinutes(1)));
                Reliability.awaitInputCheckpointed(cluster, feed, jobId, Duration.ofMinutes(5));
                // The reference loops over every indicator for every connection: give it the
                // indicators some connection names (each indicator has one IP; the others can make
                // no alert), with the clocks.
                java.util.Set<String> named = new java.util.HashSet<>();
                for (String c : feed.connectionLines) {
                    named.add(Reliability.json(c).path("RemoteIp").asText());
                }
                List<String> relevant = new ArrayList<>();
                for (String i : feed.indicatorLines) {
                    String ip = Reliability.json(i).path("NetworkIP").asText();
                    if (named.contains(ip) || ip.startsWith("10.")) {
                        relevant.add(i);
                    }
                }
                List<ObjectNode> expected =
                        SpecReference.expectedAlerts(relevant, feed.connectionLines, s);
                Thread.sleep(3000);
                Reliability.Verdict v = Reliability.verdict(alerts.records(), expected);

                List<Duration> before = new ArrayList<>();
                List<Duration> during = new ArrayList<>();
                List<Duration> afterFlood = new ArrayList<>();
                for (AlertWatch.Seen a : alerts.seen()) {
                    Instant connectionSent = sentByKey.get(key(a.alert()));
                    if (connectionSent == null) {
                        continue;
                    }
                    Duration latency = Duration.between(connectionSent, a.at());
                    (connectionSent.isBefore(floodStart)
                                    ? before
                                    : connectionSent.isBefore(floodConsumed) ? during : afterFlood)
                            .add(latency);
                }
                assertThat(during).as("alerts while the flood was read").isNotEmpty();
                fig.put(
                        "indicators",
                        indicators
                                + ", published, then all published again (new TimeGenerated, same"
                                + " content) while connections flowed");
                fig.put(
                        "first publication (one /16, one TimeGenerated)",
                        "written and read by the job, checkpointed, in " + firstRead + " s");
                fig.put(
                        "connections",
                        count + " at " + rate + "/s, 1 in " + hitEvery + " to a listed IP");
                fig.put(
                        "republication",
                        "written in "
                                + Reliability.seconds(Duration.between(floodStart, sent))
                                + " s, consumed and checkpointed by the job "
                                + Reliability.seconds(Duration.between(floodStart, floodConsumed))
                                + " s after it started");
                fig.put("alert latency before (p50 / max)", latency(before));
                fig.put("alert latency during (p50 / max)", latency(during));
                fig.put("alert latency after (p50 / max)", latency(afterFlood));
                fig.put("job restarts", watch.restarts());
                fig.put("alerts expected / got", v.summary());
            }
        } catch (Throwable e) {
            recordFailure("flood", jobId);
            throw e;
        } finally {
            endCase(fig, jobId);
        }
    }

    // ---------------------------------------------------------------- the silence

    @Test
    void anIndicatorFeedSilentForThreeDaysOfEventTimeHoldsNoAlertBack() throws Exception {
        Duration stream = Duration.ofSeconds(Reliability.LONG ? 180 : 72);
        Reliability.Figures fig = new Reliability.Figures("IndicatorSilenceIT");
        String jobId = null;
        try (Feed feed = new Feed(broker.clientProperties(), "silence")) {
            feed.createTopics(2);
            Duration bound = Duration.ofMinutes(1);
            SpecReference.Settings s =
                    SpecReference.Settings.defaults()
                            .withEmitMode("final")
                            .withOutOfOrderness(bound);
            jobId = Reliability.submit(cluster, feed, s, "--idleness", "5s");
            fig.step("job " + jobId + " runs (final mode, bound 1 min, idleness 5 s)");
            Instant t0 = Instant.now().minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.HOURS);
            List<String> ind = new ArrayList<>();
            for (int k = 0; k < 72; k++) {
                ObjectNode i = Reliability.MAPPER.createObjectNode();
                i.put("TimeGenerated", t0.plusSeconds(k).toString());
                i.put("IndicatorId", "silence-" + k);
                i.put("NetworkIP", "12.0.0." + (k + 1));
                i.put("Active", true);
                i.put("ExpirationDateTime", t0.plus(Duration.ofDays(30)).toString());
                i.put("ThreatType", "C2");
                i.put("ConfidenceScore", 70);
                i.put("Description", "quiet feed " + k);
                ind.add(i.toString());
            }
            feed.sendIndicators(ind);

            // Three days of connections, one a minute of event time; at minute 7 of every hour one
            // to a listed IP. Not one indicator row meanwhile.
            int minutes = 3 * 24 * 60;
            Instant first = t0.plus(Duration.ofHours(1));
            List<String> lines = new ArrayList<>();
            for (int m = 0; m < minutes; m++) {
                Instant at = first.plus(Duration.ofMinutes(m));
                lines.add(
                        connection(
                                at,
                                "vm-" + (m % 20) + ".contoso.com",
                                m % 60 == 7
                                        ? "12.0.0." + (m / 60 % 72 + 1)
                                        : "13.2.0." + (m % 200 + 1)));
            }
            try (AlertWatch alerts = new AlertWatch(feed);
                    JobWatch watch = new JobWatch(cluster, jobId)) {
                ConnectionStream connections = new ConnectionStream(feed, lines, stream).start();
                connections.awaitDone(Duration.ofMinutes(10));
                feed.clocks(first.plus(Duration.ofMinutes(minutes)).plus(Duration.ofHours(2)));
                Reliability.awaitInputCheckpointed(cluster, feed, jobId, Duration.ofMinutes(5));
                List<ObjectNode> expected = feed.expectedAlerts(s);
                assertThat(expected).hasSize(72);
                Thread.sleep(3000);
                Reliability.Verdict v = Reliability.verdict(alerts.records(), expected);

                // When was each alert due? When the connection input passed its window's end by
                // the bound: the first connection written at or after that.
                List<Duration> late = new ArrayList<>();
                for (AlertWatch.Seen a : alerts.seen()) {
                    Instant windowEnd = Instant.parse(a.alert().path("WindowEnd").asText());
                    Instant due = null;
                    for (String line : feed.connectionLines) {
                        Instant t =
                                Instant.parse(
                                        Reliability.json(line).path("TimeGenerated").asText());
                        if (!t.isBefore(windowEnd.plus(bound))) {
                            due = feed.sentAt.get(line);
                            break;
                        }
                    }
                    if (due != null) {
                        late.add(Duration.between(due, a.at()));
                    }
                }
                fig.put(
                        "silence",
                        "72 indicators, then none for 3 days of event time while "
                                + minutes
                                + " connections (one a minute) were written in "
                                + stream.toSeconds()
                                + " s");
                fig.put(
                        "alert after its window closed in event time (p50 / max)",
                        latency(late) + " (idleness 5 s, checkpoint every 2 s)");
                fig.put("job restarts", watch.restarts());
                fig.put("alerts expected / got", v.summary());
            }
        } catch (Throwable e) {
            recordFailure("silence", jobId);
            throw e;
        } finally {
            endCase(fig, jobId);
        }
    }

    /** A case failed: the work directory stays (for its logs); its job's last failure. */
    private static void recordFailure(String what, String jobId) {
        failed = true;
        System.out.println(what + " failed: " + Reliability.lastFailure(cluster, jobId));
    }

    /** The end of a case: its figures written, its job cancelled (the cluster serves the next). */
    private static void endCase(Reliability.Figures fig, String jobId) throws Exception {
        fig.write();
        if (jobId != null) {
            cluster.cancel(jobId);
        }
    }

    // ---------------------------------------------------------------- rows

    /** The whole indicator set, observed now: a row per indicator, the same but for the time. */
    private static List<String> publication(int n, String expires) {
        List<String> out = new ArrayList<>(n);
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        for (int k = 0; k < n; k++) {
            ObjectNode i = Reliability.MAPPER.createObjectNode();
            i.put("TimeGenerated", now);
            i.put("IndicatorId", "flood-" + k);
            i.put("NetworkIP", ip(k));
            i.put("Active", true);
            i.put("ExpirationDateTime", expires);
            i.put("ThreatType", "C2");
            i.put("ConfidenceScore", 80);
            i.put("Description", "indicator " + k + " of the feed");
            out.add(i.toString());
        }
        return out;
    }

    /** The k-th listed address: public, in 11.0.0.0/8. */
    private static String ip(int k) {
        return "11." + (k / 62500 % 250) + "." + (k / 250 % 250) + "." + (k % 250 + 1);
    }

    private static String connection(Instant at, String computer, String remoteIp) {
        ObjectNode c = Reliability.MAPPER.createObjectNode();
        c.put("TimeGenerated", at.truncatedTo(ChronoUnit.MILLIS).toString());
        c.put("Computer", computer);
        c.put("Direction", "outbound");
        c.put("ProcessName", "curl");
        c.put("SourceIp", "10.0.0.4");
        c.put("DestinationIp", remoteIp);
        c.put("RemoteIp", remoteIp);
        c.put("Protocol", "tcp");
        c.put("DestinationPort", 443);
        return c.toString();
    }

    /** A connection row's identity as an alert shows it. */
    private static String key(com.fasterxml.jackson.databind.JsonNode row) {
        String time =
                row.has("VMConnection_TimeGenerated")
                        ? row.path("VMConnection_TimeGenerated").asText()
                        : row.path("TimeGenerated").asText();
        return Instant.parse(time)
                + " "
                + row.path("Computer").asText()
                + " "
                + row.path("RemoteIp").asText();
    }

    private static String latency(List<Duration> values) {
        return Reliability.medianAndMax(values) + " s (" + values.size() + " alerts)";
    }
}

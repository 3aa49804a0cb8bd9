package io.tiflink.vmconn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import io.tiflink.vmconn.kafka.KafkaDeadLetterSerializer;
import io.tiflink.vmconn.reference.SpecReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Poison input on a real broker and a real cluster: in the middle of a SPEC scenario, records a new
 * user may send that must not be taken as rows. Rows from 2030 (a VM's clock, a bad producer) and
 * from the ends of what ISO-8601 writes would move their partition's watermark to the end of time;
 * a row with TimeGenerated twice is ambiguous; a record just under the source topic's size limit
 * would, as a dead letter with the job's key and headers, not fit the dead-letter topic. Each is a
 * dead letter with its reason, the job never restarts, and the alerts are exactly the reference's
 * for the scenario without them: none lost, none twice, none late.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "deploy/local/cluster.sh reads /proc")
class PoisonInputIT {

    /**
     * A broker's default message.max.bytes: the source topic's limit and the dead-letter topic's.
     */
    private static final int TOPIC_LIMIT = 1_048_588;

    /** A poison record, where it goes, and the start of the reason its dead letter must give. */
    private record Poison(String what, boolean indicator, String line, String reason) {}

    @Test
    void poisonRecordsAreDeadLettersWithTheirReasonAndTheAlertsStayExactlyTheReferences()
            throws Exception {
        Reliability.Figures fig = new Reliability.Figures("PoisonInputIT");
        Path work = Files.createTempDirectory("ti-reliability-poison-");
        BrokerProcess broker = BrokerProcess.start(work.resolve("kafka"));
        LocalFlinkCluster cluster = Reliability.cluster(work.resolve("flink"));
        String jobId = null;
        boolean passed = false;
        try (Feed feed = new Feed(broker.clientProperties(), "poison");
                Feed control = new Feed(broker.clientProperties(), "poison-control")) {
            cluster.start(2, Reliability.clusterOverrides());
            feed.createTopics(2);
            control.createTopics(2);

            ScenarioInput in = ScenarioInput.legacy(41, 600);
            SpecReference.Settings s = in.settings();
            jobId = Reliability.submit(cluster, feed, s);
            fig.step("job " + jobId + " runs (max-ahead: the default, 1d of the wall clock)");
            // The control: the same input, without the bound on how far ahead a row may lie.
            String controlJob = Reliability.submit(cluster, control, s, "--max-ahead", "0");
            fig.step("control job " + controlJob + " runs with --max-ahead 0");

            String listedIp = firstListedIp(in.indicators());
            List<Poison> poison = poison(listedIp);
            Map<String, Poison> byPosition = feedWithPoison(feed, in, poison);
            feedWithPoison(control, in, poison);
            Reliability.awaitInputCheckpointed(cluster, feed, jobId, Duration.ofMinutes(4));
            Reliability.awaitInputCheckpointed(cluster, control, controlJob, Duration.ofMinutes(4));

            List<ObjectNode> expected = feed.expectedAlerts(s);
            assertThat(expected).as("the scenario has alerts").hasSizeGreaterThan(20);
            var alerts = feed.readAlerts(expected, Duration.ofMinutes(2));
            Reliability.Verdict v = Reliability.verdict(alerts, expected);
            long late =
                    alerts.stream()
                            .filter(r -> Reliability.json(r.value()).path("Late").asBoolean())
                            .count();

            int wantDead = in.deadLetterCount() + poison.size();
            List<ConsumerRecord<String, String>> dead =
                    feed.readDeadLetters(wantDead, Duration.ofMinutes(2));
            assertThat(dead).as("dead letters: the scenario's and the poison").hasSize(wantDead);
            List<String> reasons = new ArrayList<>();
            int cutTo = -1;
            for (ConsumerRecord<String, String> d : dead) {
                String where = d.key().replaceFirst("#\\d+$", ""); // a bundle's element: #row
                Poison p = byPosition.get(where);
                if (p == null) {
                    continue;
                }
                String reason = header(d, KafkaDeadLetterSerializer.REASON);
                assertThat(reason).as(p.what()).startsWith(p.reason());
                reasons.add(p.what() + ": " + reason);
                if (header(d, KafkaDeadLetterSerializer.CUT) != null) {
                    assertThat(p.what()).startsWith("a record of");
                    assertThat(Integer.parseInt(header(d, KafkaDeadLetterSerializer.CUT)))
                            .isEqualTo(p.line().getBytes(StandardCharsets.UTF_8).length);
                    cutTo = d.serializedValueSize();
                    assertThat(p.line()).startsWith(d.value());
                }
            }
            assertThat(reasons).as("every poison record's dead letter").hasSize(poison.size());
            assertThat(cutTo).as("the oversized dead letter was cut").isPositive();
            long restarts = restarts(cluster, jobId);
            assertThat(restarts).as("job restarts").isZero();

            // What the same rows do to a job without the bound: the 2030 rows move their
            // partitions' watermarks years ahead; every later row of those partitions is late.
            List<ObjectNode> controlExpected = control.expectedAlerts(s);
            var controlAlerts = control.readAlerts(List.of(), Duration.ofSeconds(20));
            Map<String, ObjectNode> got = new LinkedHashMap<>();
            controlAlerts.forEach(
                    r -> {
                        ObjectNode a = (ObjectNode) Reliability.json(r.value());
                        got.put(a.path("AlertId").asText(), a);
                    });
            long controlLate =
                    got.values().stream().filter(a -> a.path("Late").asBoolean()).count();
            long differ =
                    controlExpected.stream()
                            .filter(
                                    e -> {
                                        ObjectNode a = got.get(e.path("AlertId").asText());
                                        return a == null || differs(e, a);
                                    })
                            .count();

            fig.put("poison records", poison.size() + ", each a dead letter with its reason");
            for (int i = 0; i < reasons.size(); i++) {
                fig.put("dead letter " + (i + 1), reasons.get(i));
            }
            fig.put(
                    "the record just under the source topic's limit",
                    poison.get(poison.size() - 1).line().length()
                            + " bytes; its dead letter cut to "
                            + cutTo
                            + " bytes (topic limit "
                            + TOPIC_LIMIT
                            + ", producer max.request.size 1048576), marked dlq.cut");
            fig.put("dead letters", dead.size() + " (" + in.deadLetterCount() + " the scenario's)");
            fig.put("job restarts", restarts);
            fig.put("late alerts", late);
            fig.put("alerts expected / got", v.summary());
            fig.put(
                    "control, the same input with --max-ahead 0",
                    got.size()
                            + " alerts committed of "
                            + controlExpected.size()
                            + " expected, "
                            + differ
                            + " missing or different, "
                            + controlLate
                            + " marked late");
            passed = true;
        } catch (Throwable t) {
            System.out.println(
                    Reliability.failureReport("PoisonInputIT", cluster, jobId)
                            + "\nbroker:\n"
                            + broker.logTail(30));
            throw t;
        } finally {
            Reliability.finish(fig, cluster, broker, work, passed, "PoisonInputIT: logs");
        }
    }

    /**
     * The scenario in two halves with the poison between them, then rows that close every window;
     * returns the poison records by position.
     */
    private static Map<String, Poison> feedWithPoison(
            Feed feed, ScenarioInput in, List<Poison> poison) throws Exception {
        List<String> ind = in.indicators();
        List<String> conn = in.connections();
        feed.sendIndicators(ind.subList(0, ind.size() / 2));
        feed.sendConnections(conn.subList(0, conn.size() / 2));
        Map<String, Poison> byPosition = new LinkedHashMap<>();
        int partition = 0;
        for (Poison p : poison) {
            RecordMetadata m =
                    p.indicator()
                            ? feed.sendUnrecorded(feed.indicators(), 0, p.line())
                            : feed.sendUnrecorded(feed.connections(), partition++ % 2, p.line());
            byPosition.put(m.topic() + "-" + m.partition() + "@" + m.offset(), p);
        }
        feed.sendIndicators(ind.subList(ind.size() / 2, ind.size()));
        feed.sendConnections(conn.subList(conn.size() / 2, conn.size()));
        feed.clocksPast(in);
        return byPosition;
    }

    /** The records: what a new user may send, and what the job must say about each. */
    private static List<Poison> poison(String listedIp) {
        List<Poison> p = new ArrayList<>();
        p.add(
                new Poison(
                        "a connection from a VM whose clock says 2030",
                        false,
                        connection("2030-01-01T00:00:00Z", listedIp),
                        "TimeGenerated 2030-01-01T00:00:00Z lies "));
        p.add(
                new Poison(
                        "a connection at +999999999-12-31T23:59:59Z",
                        false,
                        connection("+999999999-12-31T23:59:59Z", listedIp),
                        "TimeGenerated '+999999999-12-31T23:59:59Z' is outside the times"));
        p.add(
                new Poison(
                        "a connection at -999999999-01-01T00:00:00Z",
                        false,
                        connection("-999999999-01-01T00:00:00Z", listedIp),
                        "TimeGenerated '-999999999-01-01T00:00:00Z' is outside the times"));
        String twice = connection("2026-11-26T10:00:00Z", listedIp);
        p.add(
                new Poison(
                        "a connection with TimeGenerated twice",
                        false,
                        twice.substring(0, twice.length() - 1)
                                + ",\"TimeGenerated\":\"2030-01-01T00:00:00Z\"}",
                        "duplicate key 'TimeGenerated'"));
        p.add(
                new Poison(
                        "an indicator row from a bad producer, dated 2030",
                        true,
                        "{\"TimeGenerated\":\"2030-06-01T00:00:00Z\",\"IndicatorId\":\"poison-1\","
                                + "\"NetworkIP\":\""
                                + listedIp
                                + "\",\"Active\":true,\"ExpirationDateTime\":\"2031-01-01T00:00:00Z\"}",
                        "TimeGenerated 2030-06-01T00:00:00Z lies "));
        p.add(
                new Poison(
                        "a STIX indicator modified at +999999999-12-31T23:59:59Z",
                        true,
                        "{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",\"id\":\"indicator--poison\","
                                + "\"modified\":\"+999999999-12-31T23:59:59Z\",\"valid_from\":\"2026-11-01T00:00:00Z\","
                                + "\"pattern_type\":\"stix\",\"pattern\":\"[ipv4-addr:value = '"
                                + listedIp
                                + "']\"}]}",
                        "modified '+999999999-12-31T23:59:59Z' is outside the times"));
        p.add(
                new Poison(
                        "a ThreatIntelIndicators row with ObservableValue twice",
                        true,
                        "{\"TimeGenerated\":\"2026-11-26T10:00:00Z\",\"Id\":\"poison-2\","
                                + "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"203.0.113.250\","
                                + "\"ObservableValue\":\""
                                + listedIp
                                + "\",\"IsActive\":true}",
                        "duplicate key 'ObservableValue'"));
        // Last: the record as large as the source topic takes (its limit less the batch's framing).
        StringBuilder big = new StringBuilder("{\"Computer\":\"");
        while (big.length() < TOPIC_LIMIT - 600) {
            big.append("x");
        }
        big.append("\"}");
        p.add(
                new Poison(
                        "a record of " + big.length() + " bytes without TimeGenerated",
                        false,
                        big.toString(),
                        "row without TimeGenerated"));
        return p;
    }

    private static String connection(String time, String ip) {
        ObjectNode c = Reliability.MAPPER.createObjectNode();
        c.put("TimeGenerated", time);
        c.put("Computer", "poison.contoso.com");
        c.put("Direction", "outbound");
        c.put("RemoteIp", ip);
        return c.toString();
    }

    /** A NetworkIP of a legacy row of the scenario: traffic to it would alert if it counted. */
    private static String firstListedIp(List<String> indicatorLines) {
        for (String line : indicatorLines) {
            var ip = Reliability.json(line).path("NetworkIP");
            if (ip.isTextual() && ip.asText().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                return ip.asText();
            }
        }
        return "203.0.113.7";
    }

    /** Whether a field of the expected alert differs in the job's (numbers by value). */
    private static boolean differs(ObjectNode expected, ObjectNode actual) {
        for (var it = expected.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            var e = expected.get(f);
            var a = actual.get(f);
            boolean same =
                    e.isNumber() && a != null && a.isNumber()
                            ? e.decimalValue().compareTo(a.decimalValue()) == 0
                            : e.isNull() ? a == null || a.isNull() : e.equals(a);
            if (!same) {
                return true;
            }
        }
        return false;
    }

    static long restarts(LocalFlinkCluster cluster, String jobId) throws Exception {
        var m = cluster.get("/jobs/" + jobId + "/metrics?get=numRestarts");
        return m.isArray() && m.size() > 0 ? m.get(0).path("value").asLong() : -1;
    }

    private static String header(ConsumerRecord<String, String> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

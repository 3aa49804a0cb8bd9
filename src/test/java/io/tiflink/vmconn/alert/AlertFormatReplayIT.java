package io.tiflink.vmconn.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.job.FileReplay;
import io.tiflink.vmconn.job.JobOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code replay --alert-format ocsf|ecs} end to end: indicators of every source on one input
 * (legacy rows with an IPv4 and an IPv6 address, a ThreatIntelIndicators row with a range, a STIX
 * 2.1 indicator) and connections to them give one alert each, written in the format and valid for
 * its schema.
 */
class AlertFormatReplayIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(
            value = AlertFormat.class,
            names = {"OCSF", "ECS"})
    void theReplayWritesValidAlertsOfEveryIndicatorSource(AlertFormat format) throws Exception {
        Path ind = dir.resolve("ind.jsonl");
        Path conn = dir.resolve("conn.jsonl");
        Path alerts = dir.resolve("alerts.jsonl");
        Files.write(
                ind,
                List.of(
                        legacy("legacy-1", "203.0.113.7", 80),
                        legacy("legacy-2", "2001:db8::7", 20),
                        TI_ROW,
                        STIX,
                        "not json"),
                StandardCharsets.UTF_8);
        List<String> connections = new ArrayList<>();
        for (String ip :
                List.of("203.0.113.7", "2001:DB8::7", "198.51.100.23", "192.0.2.77", "192.0.3.1")) {
            connections.add(
                    "{\"TimeGenerated\":\"2026-11-27T10:05:00Z\",\"Computer\":\"vm1.contoso.com\","
                            + "\"Direction\":\"outbound\",\"ProcessName\":\"curl\","
                            + "\"SourceIp\":\"10.0.0.4\",\"DestinationIp\":\""
                            + ip
                            + "\",\"RemoteIp\":\""
                            + ip
                            + "\",\"Protocol\":\"tcp\",\"DestinationPort\":443}");
        }
        Files.write(conn, connections, StandardCharsets.UTF_8);

        CommandLine line =
                CommandLine.parse(
                        JobOptions.replay(),
                        new String[] {
                            "--indicators", ind.toString(),
                            "--connections", conn.toString(),
                            "--alerts", alerts.toString(),
                            "--dead-letters", dir.resolve("dead.jsonl").toString(),
                            "--alert-format", format.name().toLowerCase(),
                            "--parallelism", "1"
                        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThat(FileReplay.run(line, new PrintStream(log, true, StandardCharsets.UTF_8)))
                .isZero();

        Set<String> indicators = new TreeSet<>();
        for (String l : Files.readAllLines(alerts, StandardCharsets.UTF_8)) {
            JsonNode a = MAPPER.readTree(l);
            assertThat(AlertSchemas.violations(AlertSchemas.of(format), a)).as(l).isEmpty();
            indicators.add(
                    format == AlertFormat.OCSF
                            ? a.at("/osint/0/uid").asText()
                            : a.at("/threat/enrichments/0/matched/id").asText());
        }
        assertThat(indicators)
                .containsExactlyInAnyOrder(
                        "legacy-1",
                        "legacy-2",
                        "indicator--5c6f4b7e-1b0c-4f7e-9f55-0d3f2a1c9e01",
                        "indicator--7d2a1c3e-5b6f-4c8d-9e0f-1a2b3c4d5e6f");
    }

    /** A ThreatIntelIndicators row whose observable is a range (198.51.100.23 lies in it). */
    private static final String TI_ROW =
            "{\"TimeGenerated\":\"2026-11-27T09:00:00Z\","
                    + "\"Id\":\"indicator--5c6f4b7e-1b0c-4f7e-9f55-0d3f2a1c9e01\","
                    + "\"ObservableKey\":\"network-traffic:dst_ref.value\","
                    + "\"ObservableValue\":\"198.51.100.0/24\",\"IsActive\":true,"
                    + "\"ValidUntil\":\"2026-12-31T00:00:00Z\",\"Confidence\":80,"
                    + "\"Data\":{\"description\":\"C2 hosting\","
                    + "\"labels\":[\"ActivityGroup:APT28\"]}}";

    /** A STIX 2.1 indicator of one address (192.0.2.77). */
    private static final String STIX =
            "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
                    + "\"id\":\"indicator--7d2a1c3e-5b6f-4c8d-9e0f-1a2b3c4d5e6f\","
                    + "\"created\":\"2026-11-27T09:00:00Z\",\"modified\":\"2026-11-27T09:00:00Z\","
                    + "\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-27T09:00:00Z\","
                    + "\"pattern\":\"[ipv4-addr:value = '192.0.2.77']\"}";

    private static String legacy(String id, String ip, int confidence) {
        return MAPPER.createObjectNode()
                .put("TimeGenerated", "2026-11-27T09:00:00Z")
                .put("IndicatorId", id)
                .put("NetworkIP", ip)
                .put("Active", true)
                .put("ExpirationDateTime", "2026-12-27T00:00:00Z")
                .put("ConfidenceScore", confidence)
                .put("ThreatType", "C2")
                .toString();
    }
}

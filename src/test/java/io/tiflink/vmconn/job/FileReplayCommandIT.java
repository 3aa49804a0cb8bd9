package io.tiflink.vmconn.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command as a user runs it: files in, alert and dead-letter files out, exit 0. */
class FileReplayCommandIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    private int replay(String... extra) throws Exception {
        Files.writeString(
                dir.resolve("ind.jsonl"),
                String.join(
                        "\n",
                        "{\"TimeGenerated\":\"2026-11-27T09:00:00.1234567Z\",\"IndicatorId\":\"ind-1\","
                                + "\"NetworkIP\":\"203.0.113.7\",\"Active\":true,\"ExpirationDateTime\":\"2026-12-27T00:00:00Z\"}",
                        "{\"records\":[{\"TimeGenerated\":\"2026-11-27T10:30:00Z\",\"IndicatorId\":\"ind-2\","
                                + "\"NetworkSourceIP\":\" 2001:DB8:0:0::1 \",\"Active\":\"true\","
                                + "\"ExpirationDateTime\":\"2026-12-27T00:00:00Z\"},{\"IndicatorId\":\"no-time\"}]}",
                        "not json",
                        ""));
        Files.writeString(
                dir.resolve("conn.jsonl"),
                String.join(
                        "\n",
                        "{\"TimeGenerated\":\"2026-11-27T10:15:00.1234567Z\",\"Computer\":\"vm1.contoso.com\","
                                + "\"RemoteIp\":\"203.0.113.7\",\"DestinationPort\":\"443\"}",
                        "{\"TimeGenerated\":\"2026-11-27T10:20:00Z\",\"Computer\":\"vm2\",\"RemoteIp\":\"2001:db8::1\"}"));
        String[] base = {
            "replay",
            "--indicators",
            dir.resolve("ind.jsonl").toString(),
            "--connections",
            dir.resolve("conn.jsonl").toString(),
            "--alerts",
            dir.resolve("alerts.jsonl").toString(),
            "--dead-letters",
            dir.resolve("dead.jsonl").toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return Cli.run(
                args,
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void replayWritesOneAlertPerGroupAndEveryUnreadableRecordAsADeadLetter() throws Exception {
        assertThat(replay()).isZero();
        List<String> alerts = Files.readAllLines(dir.resolve("alerts.jsonl"));
        assertThat(alerts).hasSize(2);
        JsonNode retro =
                alerts.stream()
                        .map(this::json)
                        .filter(a -> a.get("IndicatorId").asText().equals("ind-2"))
                        .findFirst()
                        .orElseThrow();
        assertThat(retro.get("DetectionTime").asText()).isEqualTo("2026-11-27T10:30:00Z");
        assertThat(retro.get("TI_ipEntity").asText()).isEqualTo("2001:db8::1");
        List<String> dead = Files.readAllLines(dir.resolve("dead.jsonl"));
        assertThat(dead).hasSize(2);
        assertThat(dead)
                .anySatisfy(
                        d -> assertThat(json(d).get("position").asText()).endsWith("ind.jsonl:3"));
        assertThat(dead)
                .anySatisfy(
                        d ->
                                assertThat(json(d).get("position").asText())
                                        .endsWith("ind.jsonl:2#1"));
    }

    @Test
    void firstModeIsChosenWithEmit() throws Exception {
        assertThat(replay("--emit", "first")).isZero();
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl")))
                .allSatisfy(a -> assertThat(json(a).get("EmitMode").asText()).isEqualTo("first"));
    }

    @Test
    void aBadOptionIsAClearErrorWithExitCode2() throws Exception {
        assertThat(replay("--emit", "sometimes")).isEqualTo(2);
        assertThat(replay("--no-such-option", "x")).isEqualTo(2);
    }

    private JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

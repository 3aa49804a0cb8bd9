package io.tiflink.vmconn.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console viewer's lines: alerts, dead letters, summaries. */
class AlertConsoleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CLOCK = "\\d\\d:\\d\\d:\\d\\d";

    private static ObjectNode alert() {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("VMConnection_TimeGenerated", "2026-11-27T10:15:04.1234567Z");
        a.put("Computer", "jump-05.contoso.com");
        a.put("Direction", "outbound");
        a.put("ProcessName", "python3");
        a.put("SourceIp", "10.1.4.8");
        a.put("DestinationIp", "113.253.121.199");
        a.put("DestinationPort", 443);
        a.put("Protocol", "tcp");
        a.put("TI_ipEntity", "113.253.121.199");
        a.put("ActivityGroupNames", "");
        a.put("Description", "Log4j infrastructure");
        a.put("ConfidenceScore", 80);
        a.put("AlertId", "031138d9e2b54f0c9d7a");
        return a;
    }

    @Test
    void anAlertIsOneLineWithHostConnectionIndicatorAndShortId() {
        String line = AlertConsole.alertLine(alert());
        assertThat(line).matches(CLOCK + "  ALERT  .*");
        assertThat(line.substring(8))
                .isEqualTo(
                        "  ALERT  jump-05.contoso.com        outbound python3    10.1.4.8 ->"
                                + " 113.253.121.199:443/tcp at 10:15:04  IOC 113.253.121.199"
                                + " \"Log4j infrastructure\" conf 80  id 031138d9");
    }

    @Test
    void anAlertLineNamesTheGroupCutsLongDescriptionsAndMarksLateAlerts() {
        ObjectNode a = alert();
        a.put("ActivityGroupNames", " Barium ");
        a.put("Description", "x".repeat(60));
        a.put("Late", true);
        String line = AlertConsole.alertLine(a);
        assertThat(line)
                .contains("IOC 113.253.121.199 [Barium] \"" + "x".repeat(39) + "…\" conf 80")
                .endsWith("id 031138d9  (late)");
    }

    @Test
    void alertsOfThreatIntelIndicatorsRowsAndStixObjectsShowTheirConfidenceAndRange() {
        ObjectNode a = alert();
        a.remove("ConfidenceScore");
        a.put("Confidence", 50);
        a.put("Id", "indicator--2ff41a72-011a-5baa-b935-ef1bca31be5d");
        a.put("TI_ipEntity", "149.248.18.96/28");
        a.put("DestinationIp", "149.248.18.99");
        assertThat(AlertConsole.alertLine(a))
                .contains("-> 149.248.18.99:443/tcp at 10:15:04  IOC 149.248.18.96/28 ")
                .contains("\" conf 50  id 031138d9");
    }

    @Test
    void anAlertWithMissingFieldsStillGivesALine() {
        String line = AlertConsole.alertLine(MAPPER.createObjectNode());
        assertThat(line).matches(CLOCK + "  ALERT  .* -> :/ at   IOC  \"\" conf   id ");
    }

    @Test
    void aDeadLetterSaysWhereItCameFromAndWhy() {
        assertThat(
                        AlertConsole.deadLetterLine(
                                        "vm-connections", "0", "142", "row without TimeGenerated")
                                .substring(8))
                .isEqualTo("  DEAD LETTER  vm-connections-0@142  row without TimeGenerated");
        assertThat(AlertConsole.deadLetterLine("t", "1", "2", "r".repeat(200)))
                .endsWith("r".repeat(89) + "…");
    }

    @Test
    void theSummarySaysWhatWasSentAndSeen() {
        String line =
                AlertConsole.summaryLine(92, new DemoFeed.Sent(3002, 1974, 14, 4), 7, 3, "RUNNING");
        assertThat(line.substring(8))
                .isEqualTo(
                        "  -- [+1:32] sent 3,002 connection rows in 1,974 records (14 to/from"
                                + " listed IPs, 4 malformed) | alerts 7 | dead letters 3 | job"
                                + " RUNNING");
    }

    @Test
    void theClosingLineTellsTheFirstAlertOnlyWhenThereWasOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AlertConsole c =
                new AlertConsole(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err,
                        System.nanoTime());
        assertThat(c.closingLine(new DemoFeed.Sent(4000, 2600, 20, 6)))
                .isEqualTo("sent 4,000 connection rows; 0 alerts, 0 dead letters");
    }
}

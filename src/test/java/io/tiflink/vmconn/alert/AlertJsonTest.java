package io.tiflink.vmconn.alert;

import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.connection;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.millis;
import static io.tiflink.vmconn.testing.Rows.stix;
import static io.tiflink.vmconn.testing.Rows.tiRow;
import static io.tiflink.vmconn.testing.Rows.validUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.Match;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The alert's fields and format (SPEC 3.3-3.6). */
class AlertJsonTest {

    private static JsonNode alert(Connection c, Indicator i, long detection, int digits) {
        AlertGroup g = AlertGroups.merge(null, Match.of(c, i, detection, digits));
        Alert a = AlertGroups.toAlert(g, millis("10:00"), 3_600_000L, EmitMode.FINAL);
        return AlertJson.toNode(a);
    }

    @Test
    void alertHasTheRulesOutputColumnsWithTheirExactNames() {
        JsonNode n =
                alert(
                        connection("203.0.113.7", "10:05"),
                        indicator("i1", "203.0.113.7", "10:00"),
                        at("10:05"),
                        0);
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsSubsequence(
                        "VMConnection_TimeGenerated",
                        "Description",
                        "ActivityGroupNames",
                        "IndicatorId",
                        "ThreatType",
                        "Url",
                        "ExpirationDateTime",
                        "ConfidenceScore",
                        "TI_ipEntity",
                        "Computer",
                        "Direction",
                        "ProcessName",
                        "SourceIp",
                        "DestinationIp",
                        "RemoteIp",
                        "Protocol",
                        "DestinationPort",
                        "NetworkIP",
                        "NetworkDestinationIP",
                        "NetworkSourceIP",
                        "EmailSourceIpAddress",
                        "Type",
                        "timestamp",
                        "HostName",
                        "DnsDomain");
        assertThat(n.get("Type").asText()).isEqualTo("ThreatIntelligenceIndicator");
        assertThat(n.get("timestamp").asText())
                .isEqualTo(n.get("VMConnection_TimeGenerated").asText());
    }

    @Test
    void alertCarriesRuleMetadataEntitiesWindowCountsAndAStableId() {
        Indicator i = indicator("i1", "203.0.113.7", "10:00");
        i.url = "http://evil.example/";
        JsonNode n = alert(connection("203.0.113.7", "10:05"), i, at("10:07"), 0);
        assertThat(n.get("AlertName").asText()).isEqualTo("TI Map IP Entity to VMConnection");
        assertThat(n.get("RuleId").asText()).isEqualTo("9713e3c0-1410-468d-b79e-383448434b2d");
        assertThat(n.get("RuleVersion").asText()).isEqualTo("1.4.2");
        assertThat(n.get("Severity").asText()).isEqualTo("Medium");
        assertThat(n.get("Tactics").get(0).asText()).isEqualTo("CommandAndControl");
        assertThat(n.get("Techniques").get(0).asText()).isEqualTo("T1071");
        assertThat(n.get("Entities")).hasSize(3);
        assertThat(n.get("Entities").get(0).get("HostName").asText()).isEqualTo("vm1");
        assertThat(n.get("Entities").get(1).get("Address").asText()).isEqualTo("203.0.113.7");
        assertThat(n.get("Entities").get(2).get("Url").asText()).isEqualTo("http://evil.example/");
        assertThat(n.get("WindowStart").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(n.get("WindowEnd").asText()).isEqualTo("2026-11-27T11:00:00Z");
        assertThat(n.get("MatchCount").asLong()).isEqualTo(1);
        assertThat(n.get("DetectionTime").asText()).isEqualTo("2026-11-27T10:07:00Z");
        assertThat(n.get("AlertId").asText())
                .isEqualTo(
                        AlertGroups.alertId(
                                AlertGroups.RULE_ID, "i1", "203.0.113.7", millis("10:00")));
    }

    /** SPEC 6.2e: a ThreatIntelIndicators alert has the columns of rule version 1.4.6. */
    @Test
    void threatIntelIndicatorsAlertHasTheColumnsOfRuleVersion146() {
        Indicator i = validUntil(tiRow("indicator--a1", "198.51.100.0/24", "10:00"), "12:00");
        i.networkSourceIp = "198.51.100.0/24";
        i.activityGroupNames = "APT29";
        Match m = Match.of(connection("198.51.100.7", "10:05"), i, at("10:05"), 0);
        m.target = "198.51.100.0/24";
        Alert a =
                AlertGroups.toAlert(
                        AlertGroups.merge(null, m), millis("10:00"), 3_600_000L, EmitMode.FINAL);
        JsonNode n = AlertJson.toNode(a);
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertThat(names.subList(0, 21))
                .containsExactly(
                        "VMConnection_TimeGenerated",
                        "Description",
                        "ActivityGroupNames",
                        "Id",
                        "ValidUntil",
                        "Confidence",
                        "TI_ipEntity",
                        "Computer",
                        "Direction",
                        "ProcessName",
                        "SourceIp",
                        "DestinationIp",
                        "RemoteIp",
                        "Protocol",
                        "DestinationPort",
                        "NetworkSourceIP",
                        "Type",
                        "Url",
                        "timestamp",
                        "HostName",
                        "DnsDomain");
        assertThat(n.get("Id").asText()).isEqualTo("indicator--a1");
        assertThat(n.get("ValidUntil").asText()).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(n.get("Confidence").asInt()).isEqualTo(70);
        assertThat(n.get("TI_ipEntity").asText()).isEqualTo("198.51.100.0/24");
        assertThat(n.get("NetworkSourceIP").asText()).isEqualTo("198.51.100.0/24");
        assertThat(n.get("ActivityGroupNames").asText()).isEqualTo("APT29");
        assertThat(n.get("Type").asText()).isEqualTo("ThreatIntelIndicators");
        assertThat(n.get("Url").asText()).isEmpty();
        assertThat(n.get("RuleId").asText()).isEqualTo("aed70d71-adb2-4f73-becd-02150b13950b");
        assertThat(n.get("RuleVersion").asText()).isEqualTo("1.4.6");
        assertThat(n.get("Entities")).as("no URL entity").hasSize(2);
        assertThat(n.get("AlertId").asText())
                .isEqualTo(
                        AlertGroups.alertId(
                                "aed70d71-adb2-4f73-becd-02150b13950b",
                                "indicator--a1",
                                "198.51.100.7",
                                millis("10:00")));
    }

    /** SPEC 6.3e: a STIX alert names the matched value as written, and Type "indicator". */
    @Test
    void stixAlertReportsTheMatchedValueAsWrittenAndNoValidUntilWhenThereIsNone() {
        Indicator i = stix("indicator--s1", "10:00", "203.0.113.7", "198.51.100.0/24");
        i.targetsAsWritten = new String[] {"203.0.113.7", "198.51.100.7/24"};
        Match m = Match.of(connection("198.51.100.9", "10:05"), i, at("10:05"), 0);
        m.target = "198.51.100.0/24";
        m.targetAsWritten = "198.51.100.7/24";
        Alert a =
                AlertGroups.toAlert(
                        AlertGroups.merge(null, m), millis("10:00"), 3_600_000L, EmitMode.FIRST);
        JsonNode n = AlertJson.toNode(a);
        assertThat(n.get("Type").asText()).isEqualTo("indicator");
        assertThat(n.get("Id").asText()).isEqualTo("indicator--s1");
        assertThat(n.get("NetworkSourceIP").asText()).isEqualTo("198.51.100.7/24");
        assertThat(n.get("TI_ipEntity").asText()).isEqualTo("198.51.100.0/24");
        assertThat(n.get("ValidUntil").isNull()).isTrue();
        assertThat(n.get("Confidence").asInt()).isEqualTo(60);
    }

    @Test
    void urlEntityIsLeftOutWhenUrlIsEmpty() {
        Indicator i = indicator("i1", "203.0.113.7", "10:00");
        i.url = " ";
        JsonNode n = alert(connection("203.0.113.7", "10:05"), i, at("10:05"), 0);
        assertThat(n.get("Entities")).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(
            value = {"vm1.contoso.com|vm1|contoso.com", "vm1|vm1|", "''||", "a.b.c.d|a|b.c.d"},
            delimiter = '|',
            emptyValue = "")
    void hostNameAndDnsDomainSplitComputerAtTheFirstDot(
            String computer, String host, String domain) {
        assertThat(AlertJson.hostName(computer)).isEqualTo(host == null ? "" : host);
        assertThat(AlertJson.dnsDomain(computer)).isEqualTo(domain == null ? "" : domain);
    }

    @Test
    void timesKeepTheInputPrecision() {
        Connection c = connection("203.0.113.7", "10:15:00.1234567");
        Indicator i = indicator("i1", "203.0.113.7", "10:00");
        i.expiration = at("2026-12-01T00:00:00.500Z");
        i.expirationDigits = 3;
        JsonNode n = alert(c, i, c.timeGenerated, 7);
        assertThat(n.get("VMConnection_TimeGenerated").asText())
                .isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(n.get("ExpirationDateTime").asText()).isEqualTo("2026-12-01T00:00:00.500Z");
        assertThat(n.get("DetectionTime").asText()).isEqualTo("2026-11-27T10:15:00.1234567Z");
    }

    @Test
    void remoteIpIsAsReceivedAndTiIpEntityCanonical() {
        Connection c = connection("::FFFF:203.0.113.7", "10:05");
        JsonNode n = alert(c, indicator("i1", "203.0.113.7", "10:00"), at("10:05"), 0);
        assertThat(n.get("RemoteIp").asText()).isEqualTo("::FFFF:203.0.113.7");
        assertThat(n.get("TI_ipEntity").asText()).isEqualTo("203.0.113.7");
    }

    @Test
    void numbersThatArriveAsStringsAreWrittenAsNumbers() {
        Connection c = connection("203.0.113.7", "10:05");
        c.destinationPort = "443";
        Indicator i = indicator("i1", "203.0.113.7", "10:00");
        i.confidenceScore = "75.5";
        JsonNode n = alert(c, i, at("10:05"), 0);
        assertThat(n.get("DestinationPort").isIntegralNumber()).isTrue();
        assertThat(n.get("DestinationPort").asInt()).isEqualTo(443);
        assertThat(n.get("ConfidenceScore").isNumber()).isTrue();
        assertThat(n.get("ConfidenceScore").asDouble()).isEqualTo(75.5);
    }
}

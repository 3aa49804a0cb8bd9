package io.tiflink.vmconn.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiflink.vmconn.model.Alert;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The OCSF Detection Finding: valid for OCSF 1.8.0, and each fact of the alert in its place. */
class OcsfAlertTest {

    static Stream<Arguments> samples() {
        return SampleAlerts.all().entrySet().stream()
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static JsonNode ocsf(Alert a) {
        return OcsfAlert.toNode(a);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleAlertIsAValidDetectionFinding(String name, Alert a) {
        JsonNode n = ocsf(a);
        assertThat(AlertSchemas.violations(AlertSchemas.OCSF, n)).as(n.toPrettyString()).isEmpty();
        // every attribute the class and the osint profile require
        assertThat(n.fieldNames())
                .toIterable()
                .contains(
                        "activity_id",
                        "category_uid",
                        "class_uid",
                        "type_uid",
                        "severity_id",
                        "time",
                        "metadata",
                        "finding_info",
                        "osint");
    }

    @Test
    void aNewAlertIsACreatedMediumDetectionFinding() {
        JsonNode n = ocsf(SampleAlerts.legacyAddress());
        assertThat(n.get("category_uid").asInt()).isEqualTo(2);
        assertThat(n.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(n.get("activity_id").asInt()).isEqualTo(1);
        assertThat(n.get("activity_name").asText()).isEqualTo("Create");
        assertThat(n.get("type_uid").asLong()).isEqualTo(200401);
        assertThat(n.get("severity_id").asInt()).isEqualTo(3);
        assertThat(n.get("severity").asText()).isEqualTo("Medium");
        assertThat(n.get("is_alert").asBoolean()).isTrue();
        assertThat(n.at("/metadata/version").asText()).isEqualTo("1.8.0");
        assertThat(n.at("/metadata/product/name").asText()).isEqualTo("ti-ip-vmconnection");
        assertThat(n.at("/metadata/product/version").asText()).isNotBlank();
        assertThat(n.at("/metadata/profiles").toString()).isEqualTo("[\"osint\",\"datetime\"]");
    }

    @Test
    void anAlertReEmittedAfterItsWindowClosedIsAnUpdate() {
        Alert a = SampleAlerts.all().get("odd values, late update");
        JsonNode n = ocsf(a);
        assertThat(n.get("activity_id").asInt()).isEqualTo(2);
        assertThat(n.get("activity_name").asText()).isEqualTo("Update");
        assertThat(n.get("type_uid").asLong()).isEqualTo(200402);
        assertThat(n.at("/finding_info/uid").asText()).isEqualTo(a.alertId);
    }

    @Test
    void theFindingIsTheRuleWithItsIdVersionAndAttackAndTheGroupsFirstAndLastSeen() {
        Alert a = SampleAlerts.legacyAddress();
        JsonNode f = ocsf(a).get("finding_info");
        assertThat(f.get("uid").asText()).isEqualTo(a.alertId);
        assertThat(f.get("title").asText()).isEqualTo("TI Map IP Entity to VMConnection");
        assertThat(f.at("/analytic/uid").asText()).isEqualTo(AlertGroups.Rule.LEGACY.id);
        assertThat(f.at("/analytic/version").asText()).isEqualTo("1.4.2");
        assertThat(f.at("/analytic/type_id").asInt()).isEqualTo(1);
        assertThat(f.at("/attacks/0/tactic/uid").asText()).isEqualTo("TA0011");
        assertThat(f.at("/attacks/0/technique/uid").asText()).isEqualTo("T1071");
        assertThat(f.at("/first_seen_time_dt").asText()).isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(f.at("/first_seen_time").asLong())
                .isEqualTo(a.firstConnectionTimeNanos / 1_000_000);
        JsonNode current = ocsf(SampleAlerts.all().get("STIX range")).get("finding_info");
        assertThat(current.at("/analytic/uid").asText()).isEqualTo(AlertGroups.Rule.CURRENT.id);
        assertThat(current.at("/analytic/version").asText()).isEqualTo("1.4.6");
    }

    @Test
    void theMatchedAddressIsAnIpOsintWithoutAPatternForALegacyRow() {
        JsonNode o = ocsf(SampleAlerts.legacyAddress()).at("/osint/0");
        assertThat(o.get("type_id").asInt()).isEqualTo(1);
        assertThat(o.get("type").asText()).isEqualTo("IP Address");
        assertThat(o.get("value").asText()).isEqualTo("203.0.113.7");
        assertThat(o.get("uid").asText()).isEqualTo("ind-legacy-1");
        assertThat(o.get("confidence_id").asInt()).isEqualTo(3);
        assertThat(o.get("category").asText()).isEqualTo("C2");
        assertThat(o.at("/threat_actor/name").asText()).isEqualTo("STRONTIUM");
        assertThat(o.get("expiration_time_dt").asText()).isEqualTo("2026-12-27T09:30:00Z");
        assertThat(o.has("detection_pattern")).isFalse();
    }

    @Test
    void aMatchedRangeIsASubnetOsintWithTheStixPatternOfTheRange() {
        JsonNode o = ocsf(SampleAlerts.all().get("STIX range")).at("/osint/0");
        assertThat(o.get("type_id").asInt()).isEqualTo(99);
        assertThat(o.get("type").asText()).isEqualTo("Subnet");
        assertThat(o.get("value").asText()).isEqualTo("192.0.2.0/25");
        assertThat(o.get("subnet").asText()).isEqualTo("192.0.2.0/25");
        assertThat(o.get("detection_pattern").asText())
                .isEqualTo("[ipv4-addr:value = '192.0.2.0/25']");
        assertThat(o.get("detection_pattern_type_id").asInt()).isEqualTo(1);
        JsonNode v6 = ocsf(SampleAlerts.all().get("ThreatIntelIndicators IPv6 range"));
        assertThat(v6.at("/osint/0/detection_pattern").asText())
                .isEqualTo("[ipv6-addr:value = '2001:db8:4::/48']");
    }

    @Test
    void confidenceFollowsTheStixScaleAndAnUnreadableScoreIsUnknown() {
        Map<String, Alert> s = SampleAlerts.all();
        assertThat(ocsf(s.get("legacy range, inbound")).at("/osint/0/confidence").asText())
                .isEqualTo("High");
        assertThat(ocsf(s.get("ThreatIntelIndicators address")).get("confidence_id").asInt())
                .isEqualTo(2);
        assertThat(ocsf(s.get("STIX range")).at("/osint/0/confidence").asText()).isEqualTo("None");
        JsonNode odd = ocsf(s.get("odd values, late update"));
        assertThat(odd.get("confidence_id").asInt()).isEqualTo(0);
        assertThat(odd.has("confidence_score")).isFalse();
        assertThat(odd.at("/unmapped/Confidence").asText()).isEqualTo("high");
        assertThat(ocsf(s.get("legacy address")).get("confidence_score").asInt()).isEqualTo(85);
    }

    @Test
    void observablesAreTheHostAndTheRemoteIp() {
        JsonNode obs = ocsf(SampleAlerts.all().get("legacy range, inbound")).get("observables");
        assertThat(obs.at("/0/type_id").asInt()).isEqualTo(1);
        assertThat(obs.at("/0/value").asText()).isEqualTo("vm1.contoso.com");
        assertThat(obs.at("/1/type_id").asInt()).isEqualTo(2);
        assertThat(obs.at("/1/value").asText()).isEqualTo("198.51.100.23");
        assertThat(obs.at("/1/name").asText()).isEqualTo("evidences[0].src_endpoint.ip");
    }

    @Test
    void theEvidenceIsTheConnectionWithItsEndsPortProtocolAndProcess() {
        JsonNode out = ocsf(SampleAlerts.legacyAddress()).at("/evidences/0");
        assertThat(out.at("/src_endpoint/ip").asText()).isEqualTo("10.0.0.4");
        assertThat(out.at("/src_endpoint/hostname").asText()).isEqualTo("vm1.contoso.com");
        assertThat(out.at("/dst_endpoint/ip").asText()).isEqualTo("203.0.113.7");
        assertThat(out.at("/dst_endpoint/port").asInt()).isEqualTo(443);
        assertThat(out.at("/connection_info/direction_id").asInt()).isEqualTo(2);
        assertThat(out.at("/connection_info/protocol_name").asText()).isEqualTo("tcp");
        assertThat(out.at("/connection_info/protocol_num").asInt()).isEqualTo(6);
        assertThat(out.at("/process/name").asText()).isEqualTo("curl");
        JsonNode in = ocsf(SampleAlerts.all().get("legacy range, inbound")).at("/evidences/0");
        assertThat(in.at("/connection_info/direction_id").asInt()).isEqualTo(1);
        assertThat(in.at("/dst_endpoint/hostname").asText()).isEqualTo("vm1.contoso.com");
        assertThat(in.at("/dst_endpoint/port").asInt()).isEqualTo(3389);
        JsonNode odd = ocsf(SampleAlerts.all().get("odd values, late update")).at("/evidences/0");
        assertThat(odd.has("process")).isFalse();
        assertThat(odd.at("/dst_endpoint/port").isMissingNode()).isTrue();
        assertThat(odd.at("/connection_info/protocol_num").asInt()).isEqualTo(17);
        assertThat(odd.at("/connection_info/direction_id").asInt()).isEqualTo(0);
    }

    @Test
    void whatOcsfHasNoPlaceForIsUnmappedUnderTheRulesColumnNames() {
        JsonNode u = ocsf(SampleAlerts.legacyAddress()).get("unmapped");
        assertThat(u.get("Url").asText()).isEqualTo("http://203.0.113.7/gate.php");
        assertThat(u.get("NetworkIP").asText()).isEqualTo("203.0.113.7");
        assertThat(u.get("Type").asText()).isEqualTo("ThreatIntelligenceIndicator");
        assertThat(u.get("WindowStart").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(u.get("EmitMode").asText()).isEqualTo("final");
        assertThat(u.get("Late").asBoolean()).isFalse();
        JsonNode st = ocsf(SampleAlerts.all().get("STIX range")).get("unmapped");
        assertThat(st.get("ValidFrom").asText()).isEqualTo("2026-11-27T07:00:00.5Z");
        assertThat(st.get("Type").asText()).isEqualTo("indicator");
    }

    @Test
    void timeIsTheDetectionTimeWithItsTextKeepingThePrecision() {
        Alert a = SampleAlerts.legacyAddress();
        JsonNode n = ocsf(a);
        assertThat(n.get("time").asLong()).isEqualTo(a.match.detectionTime / 1_000_000);
        assertThat(n.get("time_dt").asText()).isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(n.at("/metadata/original_time").asText())
                .isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(n.get("count").asLong()).isEqualTo(1);
    }
}

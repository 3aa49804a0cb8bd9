package io.tiflink.vmconn.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiflink.vmconn.model.Alert;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ECS document: valid for ECS 9.4.0, and each fact of the alert in its field. */
class EcsAlertTest {

    static Stream<Arguments> samples() {
        return SampleAlerts.all().entrySet().stream()
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static JsonNode ecs(Alert a) {
        return EcsAlert.toNode(a);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleAlertIsAValidEcsDocument(String name, Alert a) {
        JsonNode n = ecs(a);
        assertThat(AlertSchemas.violations(AlertSchemas.ECS, n)).as(n.toPrettyString()).isEmpty();
        // ECS: each event.type value is one that an event.category given expects
        // (threat: indicator; network: access, allowed, connection, denied, end, info, ...)
        assertThat(n.at("/event/category").toString()).isEqualTo("[\"threat\",\"network\"]");
        assertThat(n.at("/event/type").toString()).isEqualTo("[\"indicator\",\"connection\"]");
        assertThat(n.at("/threat/enrichments/0/matched/type").asText())
                .isEqualTo("indicator_match_rule");
    }

    @Test
    void anAlertIsAnEcsAlertEventOfTheRule() {
        Alert a = SampleAlerts.legacyAddress();
        JsonNode n = ecs(a);
        assertThat(n.get("@timestamp").asText()).isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(n.at("/ecs/version").asText()).isEqualTo("9.4.0");
        assertThat(n.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(n.at("/event/id").asText()).isEqualTo(a.alertId);
        assertThat(n.at("/event/severity").asInt()).isEqualTo(3);
        assertThat(n.at("/rule/id").asText()).isEqualTo(AlertGroups.Rule.LEGACY.id);
        assertThat(n.at("/rule/name").asText()).isEqualTo("TI Map IP Entity to VMConnection");
        assertThat(n.at("/rule/version").asText()).isEqualTo("1.4.2");
        assertThat(n.at("/threat/framework").asText()).isEqualTo("MITRE ATT&CK");
        assertThat(n.at("/threat/tactic/id/0").asText()).isEqualTo("TA0011");
        assertThat(n.at("/threat/technique/id/0").asText()).isEqualTo("T1071");
        assertThat(n.at("/threat/group/name").asText()).isEqualTo("STRONTIUM");
    }

    @Test
    void theConnectionIsHostSourceDestinationNetworkAndProcess() {
        JsonNode n = ecs(SampleAlerts.legacyAddress());
        assertThat(n.at("/host/name").asText()).isEqualTo("vm1.contoso.com");
        assertThat(n.at("/host/hostname").asText()).isEqualTo("vm1");
        assertThat(n.at("/host/domain").asText()).isEqualTo("contoso.com");
        assertThat(n.at("/host/ip/0").asText()).isEqualTo("10.0.0.4");
        assertThat(n.at("/source/ip").asText()).isEqualTo("10.0.0.4");
        assertThat(n.at("/destination/ip").asText()).isEqualTo("203.0.113.7");
        assertThat(n.at("/destination/port").asInt()).isEqualTo(443);
        assertThat(n.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(n.at("/network/iana_number").asText()).isEqualTo("6");
        assertThat(n.at("/network/direction").asText()).isEqualTo("egress");
        assertThat(n.at("/network/type").asText()).isEqualTo("ipv4");
        assertThat(n.at("/process/name").asText()).isEqualTo("curl");
        assertThat(n.at("/related/ip").toString()).isEqualTo("[\"10.0.0.4\",\"203.0.113.7\"]");
        JsonNode in = ecs(SampleAlerts.all().get("legacy range, inbound"));
        assertThat(in.at("/network/direction").asText()).isEqualTo("ingress");
        assertThat(in.at("/threat/enrichments/0/matched/field").asText()).isEqualTo("source.ip");
        JsonNode odd = ecs(SampleAlerts.all().get("odd values, late update"));
        assertThat(odd.at("/source/address").asText()).isEqualTo("not an address");
        assertThat(odd.at("/source/ip").isMissingNode()).isTrue();
        assertThat(odd.at("/network/transport").asText()).isEqualTo("udp");
        assertThat(odd.at("/network/direction").asText()).isEqualTo("unknown");
        assertThat(odd.has("process")).isFalse();
    }

    @Test
    void theMatchedAddressIsAnEnrichmentWithIndicatorAndMatch() {
        Alert a = SampleAlerts.legacyAddress();
        JsonNode e = ecs(a).at("/threat/enrichments/0");
        assertThat(e.at("/indicator/ip").asText()).isEqualTo("203.0.113.7");
        assertThat(e.at("/indicator/type").asText()).isEqualTo("ipv4-addr");
        assertThat(e.at("/indicator/confidence").asText()).isEqualTo("High");
        assertThat(e.at("/indicator/description").asText()).isEqualTo("C2 server of a botnet");
        assertThat(e.at("/indicator/modified_at").asText()).isEqualTo("2026-11-27T09:30:00Z");
        assertThat(e.at("/indicator/provider").isMissingNode()).isTrue(); // not in the rows read
        assertThat(e.at("/matched/atomic").asText()).isEqualTo("203.0.113.7");
        assertThat(e.at("/matched/field").asText()).isEqualTo("destination.ip");
        assertThat(e.at("/matched/id").asText()).isEqualTo("ind-legacy-1");
        assertThat(e.at("/matched/occurred").asText()).isEqualTo("2026-11-27T10:15:00.1234567Z");
    }

    @Test
    void aMatchedRangeIsNamedButIsNoIndicatorIpForEcsIpTypeHoldsAddressesOnly() {
        JsonNode e = ecs(SampleAlerts.all().get("ThreatIntelIndicators IPv6 range"));
        assertThat(e.at("/threat/enrichments/0/indicator/ip").isMissingNode()).isTrue();
        assertThat(e.at("/threat/enrichments/0/indicator/name").asText())
                .isEqualTo("2001:db8:4::/48");
        assertThat(e.at("/threat/enrichments/0/indicator/type").asText()).isEqualTo("ipv6-addr");
        assertThat(e.at("/threat/enrichments/0/matched/atomic").asText())
                .isEqualTo("2001:db8:4::/48");
        assertThat(e.at("/threat/enrichments/0/indicator/confidence").asText())
                .isEqualTo("Not Specified");
        assertThat(e.at("/network/type").asText()).isEqualTo("ipv6");
    }

    @Test
    void whatEcsHasNoFieldForIsInLabels() {
        Map<String, Alert> s = SampleAlerts.all();
        JsonNode l = ecs(s.get("odd values, late update")).get("labels");
        assertThat(l.get("late").asText()).isEqualTo("true");
        assertThat(l.get("after_window_closed").asText()).isEqualTo("true");
        assertThat(l.get("emit_mode").asText()).isEqualTo("first");
        assertThat(l.get("indicator_confidence_score").asText()).isEqualTo("high");
        assertThat(l.get("window_start").asText()).isEqualTo("2026-11-27T10:00:00Z");
        JsonNode row = ecs(s.get("ThreatIntelIndicators address")).get("labels");
        assertThat(row.get("indicator_expiration").asText()).isEqualTo("2026-12-27T00:00:00Z");
        assertThat(row.get("indicator_source").asText()).isEqualTo("ThreatIntelIndicators");
        for (JsonNode v : List.of(l, row)) {
            v.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).isTrue());
        }
    }
}

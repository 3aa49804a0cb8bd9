package io.tiflink.vmconn.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.SpecReference.Result;
import io.tiflink.vmconn.reference.SpecReference.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the oracle against values worked out by hand from SPEC.md. */
class SpecReferenceTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final Settings FINAL = Settings.defaults();
    private static final Settings FIRST = Settings.defaults().withEmitMode("first");
    private static final String DAY = "2026-11-27T";

    // ------------------------------------------------------------------ tiny DSL

    /**
     * An indicator row: active, on ip, expiring 2026-12-27, with optional overrides (null value =
     * remove).
     */
    private static String ind(String id, String tg, String ip, Object... overrides) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("TimeGenerated", tg);
        r.put("IndicatorId", id);
        r.put("Description", "desc " + id);
        r.put("ActivityGroupNames", "");
        r.put("ThreatType", "C2");
        r.put("Url", "");
        r.put("ConfidenceScore", 80);
        r.put("ExpirationDateTime", "2026-12-27T00:00:00Z");
        r.put("Active", true);
        r.put("NetworkIP", ip);
        r.put("Type", "ThreatIntelligenceIndicator");
        return json(apply(r, overrides));
    }

    /** A connection row to remoteIp, with optional overrides (null value = remove). */
    private static String conn(String tg, String remoteIp, Object... overrides) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("TimeGenerated", tg);
        r.put("Computer", "vm1.contoso.com");
        r.put("Direction", "outbound");
        r.put("ProcessName", "curl");
        r.put("SourceIp", "10.0.0.4");
        r.put("DestinationIp", remoteIp);
        r.put("RemoteIp", remoteIp);
        r.put("Protocol", "tcp");
        r.put("DestinationPort", 443);
        r.put("BytesSent", 100);
        r.put("Type", "VMConnection");
        return json(apply(r, overrides));
    }

    private static Map<String, Object> apply(Map<String, Object> r, Object... overrides) {
        for (int i = 0; i < overrides.length; i += 2) {
            String k = (String) overrides[i];
            Object v = overrides[i + 1];
            if (v == null) {
                r.remove(k);
            } else if (v == NULL) {
                r.put(k, null);
            } else {
                r.put(k, v);
            }
        }
        return r;
    }

    /** An explicit JSON null in overrides. */
    private static final Object NULL = new Object();

    private static String json(Object o) {
        try {
            return M.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ObjectNode> run(List<String> inds, List<String> conns, Settings s) {
        return SpecReference.expectedAlerts(inds, conns, s);
    }

    private static String t(String hms) {
        return DAY + hms;
    }

    /**
     * A ThreatIntelIndicators row: active, key and value as given, ValidUntil 2026-12-27, Data with
     * a description and an ActivityGroup label, with optional overrides (null value = remove).
     */
    private static String ti(String id, String tg, String key, String value, Object... overrides) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("TimeGenerated", tg);
        r.put("Id", id);
        r.put("IsActive", true);
        r.put("IsDeleted", false);
        r.put("Revoked", false);
        r.put("Confidence", 80);
        r.put("ValidUntil", "2026-12-27T00:00:00Z");
        r.put("ObservableKey", key);
        r.put("ObservableValue", value);
        r.put("Pattern", "");
        r.put(
                "Data",
                Map.of(
                        "description",
                        "desc " + id,
                        "labels",
                        List.of("malicious-activity", "ActivityGroup:APT28")));
        r.put("Type", "ThreatIntelIndicators");
        return json(apply(r, overrides));
    }

    /**
     * A STIX 2.1 indicator: created = modified = the given time, valid from 2026-11-01 until
     * 2026-12-27, with optional overrides (null value = remove).
     */
    private static String stix(String id, String modified, String pattern, Object... overrides) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "indicator");
        r.put("spec_version", "2.1");
        r.put("id", id);
        r.put("created", modified);
        r.put("modified", modified);
        r.put("name", "name " + id);
        r.put("description", "desc " + id);
        r.put("labels", List.of("ActivityGroup:FIN7"));
        r.put("confidence", 75);
        r.put("pattern", pattern);
        r.put("pattern_type", "stix");
        r.put("valid_from", "2026-11-01T00:00:00Z");
        r.put("valid_until", "2026-12-27T00:00:00Z");
        return json(apply(r, overrides));
    }

    private static String alertIdOf(String ruleId, String id, String ip, String windowStart) {
        return SpecReference.alertId(ruleId, id, ip, Instant.parse(windowStart).toEpochMilli());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ------------------------------------------------------------------ alert shape

    @Test
    void plainMatchProducesOneAlertWithAllColumns() throws Exception {
        List<String> inds =
                List.of(
                        ind(
                                "i1",
                                t("09:00:00Z"),
                                "45.1.1.1",
                                "ExpirationDateTime",
                                "2026-12-27T00:00:00.000Z",
                                "ConfidenceScore",
                                "80",
                                "ActivityGroupNames",
                                "[\"APT28\"]",
                                "Url",
                                "http://bad.example/x"));
        List<String> conns =
                List.of(conn(t("10:15:00.1234567Z"), " 45.1.1.1 ", "DestinationPort", "443"));

        List<ObjectNode> alerts = run(inds, conns, FINAL);

        long ws = Instant.parse(t("10:00:00Z")).toEpochMilli();
        String alertId =
                UUID.nameUUIDFromBytes(
                                ("9713e3c0-1410-468d-b79e-383448434b2d|i1|45.1.1.1|" + ws)
                                        .getBytes(StandardCharsets.UTF_8))
                        .toString();
        JsonNode expected =
                M.readTree(
                        """
                {"VMConnection_TimeGenerated":"2026-11-27T10:15:00.1234567Z","Description":"desc i1",
                 "ActivityGroupNames":"[\\"APT28\\"]","IndicatorId":"i1","ThreatType":"C2","Url":"http://bad.example/x",
                 "ExpirationDateTime":"2026-12-27T00:00:00.000Z","ConfidenceScore":80,"TI_ipEntity":"45.1.1.1",
                 "Computer":"vm1.contoso.com","Direction":"outbound","ProcessName":"curl","SourceIp":"10.0.0.4",
                 "DestinationIp":" 45.1.1.1 ","RemoteIp":" 45.1.1.1 ","Protocol":"tcp","DestinationPort":443,
                 "NetworkIP":"45.1.1.1","NetworkDestinationIP":null,"NetworkSourceIP":null,"EmailSourceIpAddress":null,
                 "Type":"ThreatIntelligenceIndicator","timestamp":"2026-11-27T10:15:00.1234567Z",
                 "HostName":"vm1","DnsDomain":"contoso.com","AlertId":"%s",
                 "WindowStart":"2026-11-27T10:00:00Z","WindowEnd":"2026-11-27T11:00:00Z","MatchCount":1,
                 "FirstConnectionTime":"2026-11-27T10:15:00.1234567Z","LastConnectionTime":"2026-11-27T10:15:00.1234567Z",
                 "DetectionTime":"2026-11-27T10:15:00.1234567Z","Late":false}
                """
                                .formatted(alertId));
        assertThat(alerts).hasSize(1);
        assertThat((JsonNode) alerts.get(0)).isEqualTo(expected);
        // field order as listed in the brief
        List<String> names = new ArrayList<>();
        alerts.get(0).fieldNames().forEachRemaining(names::add);
        List<String> expectedNames = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedNames::add);
        assertThat(names).isEqualTo(expectedNames);
        // what is written and read back is equal (int nodes, not long nodes)
        assertThat(M.readTree(alerts.get(0).toString())).isEqualTo(alerts.get(0));
    }

    @Test
    void hostNameAndDnsDomainSplitAtTheFirstDot() {
        List<String> inds = List.of(ind("i1", t("09:00:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.1.1.1", "Computer", "vm1"),
                        conn(t("11:00:00Z"), "45.1.1.1", "Computer", ""),
                        conn(t("12:00:00Z"), "45.1.1.1", "Computer", "a.b.c"),
                        conn(t("13:00:00Z"), "45.1.1.1", "Computer", "vm2."));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(
                        a -> a.get("HostName").textValue() + "|" + a.get("DnsDomain").textValue())
                .containsExactly("vm1|", "|", "a|b.c", "vm2|");
    }

    @Test
    void timesKeepTheirDigitsAndBecomeUtc() {
        List<String> inds =
                List.of(
                        ind(
                                "i1",
                                "2026-11-27T09:00:00.5-05:00",
                                "45.1.1.1",
                                "ExpirationDateTime",
                                "2026-12-01T00:00:00.100-05:00"));
        List<String> conns = List.of(conn("2026-11-27T15:15:00.5+01:00", "45.1.1.1"));
        ObjectNode a = run(inds, conns, FINAL).get(0);
        assertThat(a.get("VMConnection_TimeGenerated").textValue())
                .isEqualTo("2026-11-27T14:15:00.5Z");
        assertThat(a.get("ExpirationDateTime").textValue()).isEqualTo("2026-12-01T05:00:00.100Z");
        assertThat(a.get("WindowStart").textValue()).isEqualTo("2026-11-27T14:00:00Z");
    }

    @Test
    void numbersAndBooleansMayBeStrings() {
        List<String> inds =
                List.of(
                        ind(
                                "a",
                                t("09:00:00Z"),
                                "45.1.1.1",
                                "Active",
                                "True",
                                "ConfidenceScore",
                                " 90 "),
                        ind(
                                "b",
                                t("09:00:00Z"),
                                "45.1.1.2",
                                "Active",
                                "TRUE",
                                "ConfidenceScore",
                                "72.5"),
                        ind(
                                "c",
                                t("09:00:00Z"),
                                "45.1.1.3",
                                "Active",
                                "true",
                                "ConfidenceScore",
                                "high"),
                        ind("d", t("09:00:00Z"), "45.1.1.4", "Active", " true"),
                        ind("e", t("09:00:00Z"), "45.1.1.5", "Active", 1),
                        ind("f", t("09:00:00Z"), "45.1.1.6", "Active", null),
                        ind("g", t("09:00:00Z"), "45.1.1.7", "Active", "yes"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.1.1.1", "DestinationPort", "8080"),
                        conn(t("10:00:00Z"), "45.1.1.2", "DestinationPort", NULL),
                        conn(t("10:00:00Z"), "45.1.1.3", "DestinationPort", "http"),
                        conn(t("10:00:00Z"), "45.1.1.4"),
                        conn(t("10:00:00Z"), "45.1.1.5"),
                        conn(t("10:00:00Z"), "45.1.1.6"),
                        conn(t("10:00:00Z"), "45.1.1.7"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(a -> a.get("IndicatorId").textValue())
                .containsExactly("a", "b", "c", "d");
        assertThat(alerts.get(0).get("ConfidenceScore").isInt()).isTrue();
        assertThat(alerts.get(0).get("ConfidenceScore").intValue()).isEqualTo(90);
        assertThat(alerts.get(0).get("DestinationPort").intValue()).isEqualTo(8080);
        assertThat(alerts.get(1).get("ConfidenceScore").doubleValue()).isEqualTo(72.5);
        assertThat(alerts.get(1).get("DestinationPort").isNull()).isTrue();
        assertThat(alerts.get(2).get("ConfidenceScore").textValue()).isEqualTo("high");
        assertThat(alerts.get(2).get("DestinationPort").textValue()).isEqualTo("http");
    }

    // ------------------------------------------------------------------ indicators (SPEC 1)

    @Test
    void ipColumnPrecedence() {
        List<String> inds =
                List.of(
                        ind(
                                "a",
                                t("09:00:00Z"),
                                "  ",
                                "NetworkDestinationIP",
                                NULL,
                                "NetworkSourceIP",
                                "45.3.3.3",
                                "EmailSourceIpAddress",
                                "45.4.4.4"),
                        // the first non-empty column is garbage: unusable, no fall-through
                        ind("b", t("09:00:00Z"), "not-an-ip", "NetworkDestinationIP", "45.5.5.5"),
                        ind("c", t("09:00:00Z"), null, "EmailSourceIpAddress", " 45.6.6.6"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.3.3.3"),
                        conn(t("10:00:00Z"), "45.4.4.4"),
                        conn(t("10:00:00Z"), "45.5.5.5"),
                        conn(t("10:00:00Z"), "45.6.6.6"));
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts())
                .extracting(
                        a ->
                                a.get("IndicatorId").textValue()
                                        + "@"
                                        + a.get("TI_ipEntity").textValue())
                .containsExactly("a@45.3.3.3", "c@45.6.6.6");
        assertThat(r.alerts().get(1).get("EmailSourceIpAddress").textValue())
                .isEqualTo(" 45.6.6.6");
        assertThat(r.counter("indicator.invalidIp")).isEqualTo(1);
    }

    @Test
    void excludedAndInvalidIpsNeverAlert() {
        String[] ips = {
            "10.1.1.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "127.0.0.1",
            "fe80::1",
            "FEBF::1",
            "::1",
            "::",
            "::1.2.3.4",
            "fc00::1",
            "fdff:ffff::1",
            "::ffff:192.168.0.1",
            "::ffff:10.0.0.1",
            "100.64.0.1",
            "1.2.3.0/33", // CIDR text is a range since SPEC 6.4, but not with a prefix over 32
            "1.2.3",
            "999.1.1.1",
            "2001:db8::g",
            "1::2::3"
        };
        List<String> inds = new ArrayList<>();
        List<String> conns = new ArrayList<>();
        for (int i = 0; i < ips.length; i++) {
            inds.add(ind("x" + i, t("09:00:00Z"), ips[i]));
            conns.add(conn(t("10:00:00Z"), ips[i]));
        }
        // just outside: these alert
        String[] near = {
            "172.15.255.255",
            "172.32.0.0",
            "192.169.0.1",
            "128.0.0.1",
            "fec0::1",
            "fe00::1",
            "::1:0:0:1",
            "::ffff:8.8.8.8",
            "0.0.0.0"
        };
        for (int i = 0; i < near.length; i++) {
            inds.add(ind("y" + i, t("09:00:00Z"), near[i]));
            conns.add(conn(t("10:00:00Z"), near[i]));
        }
        Settings s = FINAL.withExtraExcludedCidrs(List.of("100.64.0.0/10"));
        Result r = SpecReference.analyse(inds, conns, s);
        assertThat(r.alerts())
                .extracting(a -> a.get("TI_ipEntity").textValue())
                .containsExactlyInAnyOrder(
                        "172.15.255.255",
                        "172.32.0.0",
                        "192.169.0.1",
                        "128.0.0.1",
                        "fec0::1",
                        "fe00::1",
                        "::1:0:0:1",
                        "8.8.8.8",
                        "0.0.0.0");
        assertThat(r.counter("indicator.excludedIp")).isEqualTo(15);
        assertThat(r.counter("indicator.invalidIp")).isEqualTo(5);
        assertThat(r.counter("connection.invalidRemoteIp")).isEqualTo(5);
        // without the extra range 100.64.0.1 alerts
        assertThat(run(inds, conns, FINAL))
                .extracting(a -> a.get("TI_ipEntity").textValue())
                .contains("100.64.0.1");
    }

    @Test
    void ipTextIsCanonicalised() {
        assertThat(RefIp.canonical("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(RefIp.canonical("2001:0db8:0000:0000:0000:0000:0002:0001"))
                .isEqualTo("2001:db8::2:1");
        assertThat(RefIp.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(RefIp.canonical("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
        assertThat(RefIp.canonical("1:2:3:4:5:6:7::")).isEqualTo("1:2:3:4:5:6:7:0");
        assertThat(RefIp.canonical("::0:1")).isEqualTo("::1");
        assertThat(RefIp.canonical("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(RefIp.canonical("1::")).isEqualTo("1::");
        assertThat(RefIp.canonical("::ffff:1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(RefIp.canonical("::FFFF:0102:0304")).isEqualTo("1.2.3.4");
        assertThat(RefIp.canonical("0000:0000:0000:0000:0000:ffff:1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(RefIp.canonical("64:ff9b::1.2.3.4")).isEqualTo("64:ff9b::102:304");
        assertThat(RefIp.canonical(" \t1.2.3.4  ")).isEqualTo("1.2.3.4");
        for (String bad :
                new String[] {
                    "1.2.3.0/24",
                    "1.2.3",
                    "256.1.1.1",
                    "01.2.3.4",
                    "1.2.3.4.5",
                    "",
                    "  ",
                    ":::",
                    "1::2::3",
                    "12345::",
                    "1:2:3:4:5:6:7:8:9",
                    "1:2:3:4:5:6:7::8",
                    "[::1]",
                    "fe80::1%eth0",
                    "::ffff:1.2.3",
                    "g::1",
                    ":1::",
                    "1::2:"
                }) {
            assertThat(RefIp.canonical(bad)).as(bad).isNull();
        }
        assertThat(RefIp.isExcluded(RefIp.parse("::ffff:127.0.0.1"), List.of())).isTrue();
        assertThat(RefIp.isExcluded(RefIp.parse("::0.0.0.1"), List.of())).isTrue();
        assertThat(RefIp.isExcluded(RefIp.parse("::1:0:0:0"), List.of())).isFalse();
        assertThat(RefIp.isExcluded(RefIp.parse("fe7f::1"), List.of())).isFalse();
        assertThat(RefIp.isExcluded(RefIp.parse("fbff::1"), List.of())).isFalse();
        assertThat(
                        RefIp.isExcluded(
                                RefIp.parse("169.254.1.1"),
                                List.of(RefIp.Cidr.parse("169.254.0.0/16"))))
                .isTrue();
        assertThat(RefIp.isExcluded(RefIp.parse("169.254.1.1"), List.of())).isFalse();
    }

    @Test
    void revokedIndicatorDoesNotMatchAndReactivationBringsItBack() {
        List<String> inds =
                List.of(
                        ind("i", t("08:00:00Z"), "45.1.1.1"),
                        ind("i", t("09:00:00Z"), "45.1.1.1", "Active", "false"),
                        ind("i", t("12:00:00Z"), "45.1.1.1", "Active", "TRUE"));
        List<String> conns =
                List.of(
                        conn(t("08:30:00Z"), "45.1.1.1"), // live: window 08
                        conn(
                                t("09:30:00Z"),
                                "45.1.1.1"), // revoked, re-activation more than L later: none
                        conn(t("10:59:59Z"), "45.1.1.1"), // 1h00m01s before re-activation: none
                        conn(t("11:30:00Z"), "45.1.1.1"), // retro-match at 12:00
                        conn(t("12:30:00Z"), "45.1.1.1")); // live: window 12
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).get("WindowStart").textValue()).isEqualTo(t("08:00:00Z"));
        assertThat(alerts.get(0).get("MatchCount").intValue()).isEqualTo(1);
        ObjectNode w12 = alerts.get(1);
        assertThat(w12.get("WindowStart").textValue()).isEqualTo(t("12:00:00Z"));
        assertThat(w12.get("MatchCount").intValue()).isEqualTo(2);
        assertThat(w12.get("FirstConnectionTime").textValue()).isEqualTo(t("11:30:00Z"));
        assertThat(w12.get("LastConnectionTime").textValue()).isEqualTo(t("12:30:00Z"));
        assertThat(w12.get("DetectionTime").textValue()).isEqualTo(t("12:30:00Z"));
    }

    @Test
    void olderRowArrivingLateDoesNotReplaceNewer() {
        // revocation arrives first, the older active row after it
        List<String> inds =
                List.of(
                        ind("i", t("10:00:00Z"), "45.1.1.1", "Active", false),
                        ind("i", t("08:00:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(conn(t("08:30:00Z"), "45.1.1.1"), conn(t("10:30:00Z"), "45.1.1.1"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("VMConnection_TimeGenerated").textValue())
                .isEqualTo(t("08:30:00Z"));

        // IP change arrives first, the older row on the old IP after it
        List<String> moved =
                List.of(
                        ind("j", t("10:00:00Z"), "45.2.2.2", "Description", "v2"),
                        ind("j", t("08:00:00Z"), "45.1.1.1", "Description", "v1"));
        List<String> conns2 =
                List.of(conn(t("10:30:00Z"), "45.1.1.1"), conn(t("10:30:00Z"), "45.2.2.2"));
        List<ObjectNode> alerts2 = run(moved, conns2, FINAL);
        assertThat(alerts2).hasSize(1);
        assertThat(alerts2.get(0).get("TI_ipEntity").textValue()).isEqualTo("45.2.2.2");
        assertThat(alerts2.get(0).get("Description").textValue()).isEqualTo("v2");
    }

    @Test
    void tieOnTimeGeneratedGoesToLaterArrival() {
        String x = ind("i", t("10:00:00Z"), "45.1.1.1", "Description", "first");
        String y = ind("i", t("10:00:00.0000000Z"), "45.2.2.2", "Description", "second");
        List<String> conns =
                List.of(
                        conn(t("09:30:00Z"), "45.2.2.2"), // retro at the tie instant
                        conn(t("10:30:00Z"), "45.1.1.1"),
                        conn(t("10:30:00Z"), "45.2.2.2"));

        List<ObjectNode> alerts = run(List.of(x, y), conns, FINAL);
        assertThat(alerts).hasSize(1);
        ObjectNode a = alerts.get(0);
        assertThat(a.get("TI_ipEntity").textValue()).isEqualTo("45.2.2.2");
        assertThat(a.get("Description").textValue()).isEqualTo("second");
        assertThat(a.get("MatchCount").intValue()).isEqualTo(2);
        assertThat(a.get("DetectionTime").textValue()).isEqualTo(t("10:30:00Z"));

        List<ObjectNode> first = run(List.of(x, y), conns, FIRST);
        assertThat(first.get(0).get("DetectionTime").textValue()).isEqualTo(t("10:00:00.0000000Z"));
        assertThat(first.get(0).get("VMConnection_TimeGenerated").textValue())
                .isEqualTo(t("09:30:00Z"));

        List<ObjectNode> reversed = run(List.of(y, x), conns, FINAL);
        assertThat(reversed).hasSize(1);
        assertThat(reversed.get(0).get("TI_ipEntity").textValue()).isEqualTo("45.1.1.1");
        assertThat(reversed.get(0).get("Description").textValue()).isEqualTo("first");
    }

    @Test
    void connectionExactlyAtExpiryDoesNotMatch() {
        List<String> inds =
                List.of(ind("i", t("09:00:00Z"), "45.1.1.1", "ExpirationDateTime", t("12:00:00Z")));
        List<String> conns =
                List.of(
                        conn(t("12:00:00.0000000Z"), "45.1.1.1"),
                        conn(t("12:00:00.0000001Z"), "45.1.1.1"),
                        conn(t("11:59:59.9999999Z"), "45.1.1.1"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("VMConnection_TimeGenerated").textValue())
                .isEqualTo(t("11:59:59.9999999Z"));
        assertThat(alerts.get(0).get("MatchCount").intValue()).isEqualTo(1);
    }

    @Test
    void unreadableOrMissingExpiryIsAVersionThatIsNeverLive() {
        List<String> inds =
                List.of(
                        ind("i", t("08:00:00Z"), "45.1.1.1"),
                        ind("i", t("09:00:00Z"), "45.1.1.1", "ExpirationDateTime", "never"),
                        ind("j", t("08:00:00Z"), "45.2.2.2", "ExpirationDateTime", null));
        List<String> conns =
                List.of(
                        conn(t("08:30:00Z"), "45.1.1.1"), // v1 live
                        conn(t("09:30:00Z"), "45.1.1.1"), // v2 in force, not live
                        conn(t("08:30:00Z"), "45.2.2.2"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("VMConnection_TimeGenerated").textValue())
                .isEqualTo(t("08:30:00Z"));
        assertThat(alerts.get(0).get("IndicatorId").textValue()).isEqualTo("i");
    }

    @Test
    void renewalWithinLookbackRetroMatchesTrafficAfterExpiry() {
        List<String> inds =
                List.of(
                        ind("i", t("08:00:00Z"), "45.1.1.1", "ExpirationDateTime", t("09:00:00Z")),
                        ind("i", t("11:00:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(
                        conn(t("09:30:00Z"), "45.1.1.1"), // expired, renewal 1h30 later: none
                        conn(
                                t("10:15:00Z"),
                                "45.1.1.1")); // expired, renewal 45 min later: retro-match at 11:00
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("DetectionTime").textValue()).isEqualTo(t("11:00:00Z"));
        assertThat(alerts.get(0).get("VMConnection_TimeGenerated").textValue())
                .isEqualTo(t("10:15:00Z"));
        assertThat(alerts.get(0).get("ExpirationDateTime").textValue())
                .isEqualTo("2026-12-27T00:00:00Z");
    }

    @Test
    void indicatorOlderThanLookbackDoesNotMatch() {
        List<String> inds =
                List.of(
                        ind("exact", "2026-11-13T10:00:00Z", "45.1.1.1"),
                        ind("old", "2026-11-13T09:59:59.999Z", "45.2.2.2"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.1.1.1"), // exactly P after: live
                        conn(t("10:00:00.0000001Z"), "45.1.1.1"), // 100 ns more: not live
                        conn(t("10:00:00Z"), "45.2.2.2"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("IndicatorId").textValue()).isEqualTo("exact");
        assertThat(alerts.get(0).get("MatchCount").intValue()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ matching (SPEC 2)

    @Test
    void retroMatchWithinLookback() {
        List<String> inds = List.of(ind("i", t("11:10:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(
                        conn(t("10:50:00Z"), "45.1.1.1"),
                        conn(t("10:10:00Z"), "45.1.1.1"), // exactly L before: matches
                        conn(t("10:09:59.9999999Z"), "45.1.1.1")); // just over L: does not
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        ObjectNode a = alerts.get(0);
        assertThat(a.get("WindowStart").textValue()).isEqualTo(t("11:00:00Z"));
        assertThat(a.get("WindowEnd").textValue()).isEqualTo(t("12:00:00Z"));
        assertThat(a.get("DetectionTime").textValue()).isEqualTo(t("11:10:00Z"));
        assertThat(a.get("VMConnection_TimeGenerated").textValue()).isEqualTo(t("10:50:00Z"));
        assertThat(a.get("MatchCount").intValue()).isEqualTo(2);
        assertThat(a.get("FirstConnectionTime").textValue()).isEqualTo(t("10:10:00Z"));
        assertThat(a.get("LastConnectionTime").textValue()).isEqualTo(t("10:50:00Z"));
    }

    @Test
    void twoIndicatorsForOneIpGiveTwoAlerts() {
        List<String> inds =
                List.of(
                        ind("b", t("09:00:00Z"), "2A01:0DB8:0000:0000:0000:0000:0000:0001"),
                        ind("a", t("09:00:00Z"), null, "NetworkDestinationIP", "2a01:db8::1"));
        List<String> conns = List.of(conn(t("10:00:00Z"), "2a01:db8:0:0::1"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(a -> a.get("IndicatorId").textValue())
                .containsExactly("a", "b");
        assertThat(alerts)
                .allSatisfy(
                        a -> {
                            assertThat(a.get("TI_ipEntity").textValue()).isEqualTo("2a01:db8::1");
                            assertThat(a.get("RemoteIp").textValue()).isEqualTo("2a01:db8:0:0::1");
                        });
        assertThat(alerts.get(0).get("AlertId")).isNotEqualTo(alerts.get(1).get("AlertId"));
    }

    @Test
    void ipv4MappedOnEitherSideMatchesIpv4() {
        List<String> inds =
                List.of(
                        ind("i", t("09:00:00Z"), "::ffff:45.1.1.1"),
                        ind("j", t("09:00:00Z"), "45.2.2.2"));
        List<String> conns =
                List.of(conn(t("10:00:00Z"), "45.1.1.1"), conn(t("10:00:00Z"), "::FFFF:2d02:0202"));
        assertThat(run(inds, conns, FINAL))
                .extracting(a -> a.get("TI_ipEntity").textValue())
                .containsExactly("45.1.1.1", "45.2.2.2");
    }

    // ------------------------------------------------------------------ alerts (SPEC 3, 4)

    @Test
    void windowsAreEpochAligned() {
        List<String> inds = List.of(ind("i", t("09:00:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(conn(t("10:59:59.9999999Z"), "45.1.1.1"), conn(t("11:00:00Z"), "45.1.1.1"));
        assertThat(run(inds, conns, FINAL))
                .extracting(a -> a.get("WindowStart").textValue())
                .containsExactly(t("10:00:00Z"), t("11:00:00Z"));
    }

    @Test
    void finalModeReportsTheLatestConnectionAndCountsAll() {
        List<String> inds = List.of(ind("i", t("09:00:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(
                        conn(t("10:05:00Z"), "45.1.1.1", "Computer", "a"),
                        conn(t("10:40:00Z"), "45.1.1.1", "Computer", "b"),
                        conn(t("10:40:00Z"), "45.1.1.1", "Computer", "c", "ProcessName", null),
                        conn(t("10:40:00Z"), "45.1.1.1", "Computer", "c", "ProcessName", "x"),
                        conn(t("10:20:00Z"), "45.1.1.1", "Computer", "z"),
                        conn(t("10:20:00Z"), "45.1.1.1", "Computer", "z"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        ObjectNode a = alerts.get(0);
        assertThat(a.get("MatchCount").intValue()).isEqualTo(6);
        assertThat(a.get("Computer").textValue()).isEqualTo("c");
        assertThat(a.get("ProcessName").textValue()).isEqualTo("x");
        assertThat(a.get("FirstConnectionTime").textValue()).isEqualTo(t("10:05:00Z"));
        assertThat(a.get("LastConnectionTime").textValue()).isEqualTo(t("10:40:00Z"));

        ObjectNode f = run(inds, conns, FIRST).get(0);
        assertThat(f.get("MatchCount").intValue()).isEqualTo(1);
        assertThat(f.get("Computer").textValue()).isEqualTo("a");
        assertThat(f.get("FirstConnectionTime").textValue()).isEqualTo(t("10:05:00Z"));
        assertThat(f.get("LastConnectionTime").textValue()).isEqualTo(t("10:05:00Z"));
    }

    @Test
    void firstModeReportsTheEarliestDetection() {
        List<String> inds = List.of(ind("i", t("10:30:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(
                        conn(t("10:35:00Z"), "45.1.1.1"), // detection 10:35
                        conn(t("09:45:00Z"), "45.1.1.1"), // detection 10:30
                        conn(
                                t("10:10:00Z"),
                                "45.1.1.1")); // detection 10:30, later connection: reported
        ObjectNode f = run(inds, conns, FIRST).get(0);
        assertThat(f.get("VMConnection_TimeGenerated").textValue()).isEqualTo(t("10:10:00Z"));
        assertThat(f.get("DetectionTime").textValue()).isEqualTo(t("10:30:00Z"));
        ObjectNode fin = run(inds, conns, FINAL).get(0);
        assertThat(fin.get("VMConnection_TimeGenerated").textValue()).isEqualTo(t("10:35:00Z"));
        assertThat(fin.get("DetectionTime").textValue()).isEqualTo(t("10:35:00Z"));
        assertThat(fin.get("MatchCount").intValue()).isEqualTo(3);
    }

    @Test
    void lateConnectionIsMatchedAndMarksItsAlertLate() {
        List<String> inds =
                List.of(
                        ind("i", t("09:00:00Z"), "45.1.1.1"),
                        ind("j", t("09:00:00Z"), "45.2.2.2"),
                        ind("k", t("09:00:00Z"), "45.3.3.3"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.9.9.9"),
                        conn(t("10:20:00Z"), "45.9.9.9"),
                        conn(t("10:14:59.999Z"), "45.1.1.1"), // < 10:20 - 5 min: late
                        conn(t("10:15:00Z"), "45.2.2.2"), // exactly the bound: on time
                        conn(t("10:30:00Z"), "45.1.1.1"),
                        conn(t("10:16:00Z"), "45.3.3.3")); // behind 10:30 by 14 min: late
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.lateConnectionRows()).isEqualTo(2);
        assertThat(r.alerts())
                .extracting(
                        a -> a.get("IndicatorId").textValue() + "=" + a.get("Late").booleanValue())
                .containsExactly("i=true", "j=false", "k=true");
        // FIRST: the reported match of i is the late one (earliest detection), of k too
        assertThat(run(inds, conns, FIRST))
                .extracting(
                        a -> a.get("IndicatorId").textValue() + "=" + a.get("Late").booleanValue())
                .containsExactly("i=true", "j=false", "k=true");
    }

    @Test
    void firstModeLateOnlyWhenTheReportedMatchIsLate() {
        List<String> inds = List.of(ind("i", t("09:00:00Z"), "45.1.1.1"));
        List<String> conns =
                List.of(
                        conn(t("10:10:00Z"), "45.1.1.1"),
                        conn(t("10:30:00Z"), "45.9.9.9"),
                        conn(t("10:20:00Z"), "45.1.1.1")); // late, but not the earliest detection
        assertThat(run(inds, conns, FIRST).get(0).get("Late").booleanValue()).isFalse();
        assertThat(run(inds, conns, FINAL).get(0).get("Late").booleanValue()).isTrue();
    }

    // ------------------------------------------------------------------ input formats (SPEC 5)

    @Test
    void envelopesAndDeadLetters() {
        String envelope =
                "{\"records\":["
                        + ind("i", t("09:00:00Z"), "45.1.1.1")
                        + ",17,"
                        + "{\"IndicatorId\":\"no-time\",\"NetworkIP\":\"45.2.2.2\"},"
                        + ind("j", t("09:00:00Z"), "45.2.2.2")
                        + "]}";
        List<String> inds =
                List.of(
                        envelope,
                        "not json",
                        "[1,2]",
                        "",
                        "{\"TimeGenerated\":\"2026-11-27T09:00:00Z\",\"NetworkIP\":\"45.3.3.3\",\"Active\":true,"
                                + "\"ExpirationDateTime\":\"2026-12-27T00:00:00Z\"}",
                        ind(" ", t("09:00:00Z"), "45.4.4.4"),
                        ind("bad-time", "2026-11-27 09:00:00", "45.5.5.5"));
        List<String> conns =
                List.of(
                        "{\"records\":["
                                + conn(t("10:00:00Z"), "45.1.1.1")
                                + ","
                                + conn(t("10:00:00Z"), "45.2.2.2")
                                + ",\"x\"]}",
                        conn(t("10:00:00Z"), "45.3.3.3"),
                        conn(t("10:00:00Z"), "45.4.4.4"),
                        conn(t("10:00:00Z"), "45.5.5.5"),
                        conn("10:00", "45.1.1.1"),
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\"} trailing",
                        "null");
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.indicatorDeadLetters()).isEqualTo(7);
        assertThat(r.connectionDeadLetters()).isEqualTo(4);
        assertThat(r.alerts())
                .extracting(a -> a.get("IndicatorId").textValue())
                .containsExactly("i", "j");
    }

    // ------------------------------------------------------------------ shapes (SPEC 6.1)

    @Test
    void bundlesAndTaxiiEnvelopesHoldObjectsAndOtherStixTypesAreCountedNotDeadLettered() {
        String a = stix("indicator--a", t("09:00:00Z"), "[ipv4-addr:value = '45.1.1.1']");
        String b = stix("indicator--b", t("09:00:00Z"), "[ipv4-addr:value = '45.2.2.2']");
        String hidden = stix("indicator--h", t("09:00:00Z"), "[ipv4-addr:value = '45.9.9.9']");
        String identity = "{\"type\":\"identity\",\"id\":\"identity--1\",\"name\":\"ACME\"}";
        String relationship =
                "{\"type\":\"relationship\",\"id\":\"relationship--1\","
                        + "\"source_ref\":\"indicator--a\",\"target_ref\":\"malware--1\"}";
        String marking = "{\"type\":\"marking-definition\",\"id\":\"marking-definition--1\"}";
        List<String> inds =
                List.of(
                        "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
                                + String.join(",", a, identity, relationship)
                                + ",17,{\"type\":\"bundle\",\"id\":\"bundle--2\",\"objects\":["
                                + hidden
                                + "]}]}",
                        "{\"more\":true,\"next\":\"page-2\",\"objects\":["
                                + b
                                + ","
                                + marking
                                + "]}",
                        "{\"more\":false}",
                        "{\"next\":\"page-3\"}",
                        "{\"objects\":[]}",
                        "{\"type\":\"malware\",\"id\":\"malware--1\",\"is_family\":false}",
                        // an Id and no IndicatorId: a ThreatIntelIndicators row (no IP: noIp)
                        "{\"TimeGenerated\":\"2026-11-27T09:00:00Z\",\"Id\":\"ti-bare\",\"IsActive\":true}",
                        // Id and IndicatorId: a legacy row
                        ind("legacy-with-id", t("09:00:00Z"), "45.3.3.3", "Id", "x"),
                        "{\"records\":["
                                + ti("ti-in-records", t("09:00:00Z"), "ipv4-addr:value", "45.4.4.4")
                                + ","
                                + ind("legacy-in-records", t("09:00:00Z"), "45.5.5.5")
                                + "]}");
        List<String> conns = new ArrayList<>();
        for (String ip :
                List.of("45.1.1.1", "45.2.2.2", "45.3.3.3", "45.4.4.4", "45.5.5.5", "45.9.9.9")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts())
                .extracting(x -> SpecReference.indicatorIdOf(x) + " " + x.get("Type").textValue())
                .containsExactly(
                        "indicator--a indicator",
                        "indicator--b indicator",
                        "legacy-in-records ThreatIntelligenceIndicator",
                        "legacy-with-id ThreatIntelligenceIndicator",
                        "ti-in-records ThreatIntelIndicators");
        assertThat(r.counter("indicator.otherStixType")).isEqualTo(4);
        assertThat(r.counter("indicator.noIp")).isEqualTo(1);
        assertThat(r.indicatorDeadLetters()).isEqualTo(2); // 17 and the nested bundle
    }

    // ------------------------------------------------------------------ ThreatIntelIndicators
    // (6.2)

    @Test
    void tiRowAlertHasTheColumnsOfRule146() throws Exception {
        List<String> inds =
                List.of(
                        ti(
                                "indicator--aa",
                                t("09:00:00Z"),
                                "network-traffic:dst_ref.value",
                                " 2A01:DB8::0:7 ",
                                "Confidence",
                                "85",
                                "ValidUntil",
                                "2026-12-27T00:00:00.000Z",
                                "Data",
                                Map.of(
                                        "description",
                                        "C2 server",
                                        "labels",
                                        List.of(
                                                5,
                                                "other",
                                                "ActivityGroup:Storm-0558",
                                                "ActivityGroup:X"))));
        List<String> conns = List.of(conn(t("10:15:00.1234567Z"), "2a01:db8::7"));

        List<ObjectNode> alerts = run(inds, conns, FINAL);

        JsonNode expected =
                M.readTree(
                        """
                {"VMConnection_TimeGenerated":"2026-11-27T10:15:00.1234567Z","Description":"C2 server",
                 "ActivityGroupNames":"Storm-0558","Id":"indicator--aa","ValidUntil":"2026-12-27T00:00:00.000Z",
                 "Confidence":85,"TI_ipEntity":"2a01:db8::7","Computer":"vm1.contoso.com","Direction":"outbound",
                 "ProcessName":"curl","SourceIp":"10.0.0.4","DestinationIp":"2a01:db8::7","RemoteIp":"2a01:db8::7",
                 "Protocol":"tcp","DestinationPort":443,"NetworkSourceIP":" 2A01:DB8::0:7 ",
                 "Type":"ThreatIntelIndicators","Url":"","timestamp":"2026-11-27T10:15:00.1234567Z",
                 "HostName":"vm1","DnsDomain":"contoso.com","AlertId":"%s",
                 "WindowStart":"2026-11-27T10:00:00Z","WindowEnd":"2026-11-27T11:00:00Z","MatchCount":1,
                 "FirstConnectionTime":"2026-11-27T10:15:00.1234567Z","LastConnectionTime":"2026-11-27T10:15:00.1234567Z",
                 "DetectionTime":"2026-11-27T10:15:00.1234567Z","Late":false}
                """
                                .formatted(
                                        alertIdOf(
                                                "aed70d71-adb2-4f73-becd-02150b13950b",
                                                "indicator--aa",
                                                "2a01:db8::7",
                                                t("10:00:00Z"))));
        assertThat(alerts).hasSize(1);
        assertThat((JsonNode) alerts.get(0)).isEqualTo(expected);
        assertThat(fieldNames(alerts.get(0))).isEqualTo(fieldNames(expected));
        assertThat(M.readTree(alerts.get(0).toString())).isEqualTo(alerts.get(0));
    }

    @Test
    void tiObservableKeyObjectTypeDecidesWhichRowsAreIpRows() {
        List<String> inds =
                List.of(
                        ti("a", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.1"),
                        ti("b", t("09:00:00Z"), "[network-traffic:dst_ref.value]", "45.1.1.2"),
                        ti("c", t("09:00:00Z"), "\"ipv6-addr\":value", "2a01:db8::2"),
                        ti("d", t("09:00:00Z"), " network-traffic:src_ref.value", "45.1.1.3"),
                        ti("e", t("09:00:00Z"), "domain-name:value", "evil.example"),
                        ti("f", t("09:00:00Z"), "url:value", "http://45.1.1.4/x"),
                        ti("g", t("09:00:00Z"), "domain-name:value", "45.1.1.5"),
                        ti("h", t("09:00:00Z"), "", "45.1.1.6"),
                        ti("i", t("09:00:00Z"), "ipv4-addr:value", "  "),
                        ti("j", t("09:00:00Z"), "ipv4-addr:value", null),
                        ti("k", t("09:00:00Z"), null, null, "Pattern", null));
        List<String> conns = new ArrayList<>();
        for (String ip :
                List.of(
                        "45.1.1.1",
                        "45.1.1.2",
                        "2a01:db8::2",
                        "45.1.1.3",
                        "45.1.1.4",
                        "45.1.1.5",
                        "45.1.1.6")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts())
                .extracting(a -> a.get("Id").textValue() + "@" + a.get("TI_ipEntity").textValue())
                .containsExactly("a@45.1.1.1", "b@45.1.1.2", "c@2a01:db8::2", "d@45.1.1.3");
        assertThat(r.counter("indicator.notIpType")).isEqualTo(4);
        assertThat(r.counter("indicator.noIp")).isEqualTo(3);
    }

    @Test
    void tiRowsKeepVersionsPerIdAndIp() {
        List<String> inds =
                List.of(
                        ti("X", t("08:00:00Z"), "ipv4-addr:value", "45.1.1.1"),
                        ti("X", t("08:00:00Z"), "ipv4-addr:value", "45.2.2.2"),
                        ti("X", t("10:00:00Z"), "ipv4-addr:value", "45.1.1.1", "IsActive", false),
                        // the same timeline as 45.2.2.2: /32 is the address
                        ti(
                                "X",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.2.2.2/32",
                                "Data",
                                Map.of("description", "B again")));
        List<String> conns =
                List.of(
                        conn(t("09:30:00Z"), "45.1.1.1"), // A live
                        conn(t("10:30:00Z"), "45.1.1.1"), // A revoked at 10:00, B untouched
                        conn(t("10:30:00Z"), "45.2.2.2"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(
                        a ->
                                a.get("WindowStart").textValue()
                                        + " "
                                        + a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("NetworkSourceIP").textValue()
                                        + " "
                                        + a.get("Description").textValue())
                .containsExactly(
                        t("09:00:00Z") + " 45.1.1.1 45.1.1.1 desc X",
                        t("10:00:00Z") + " 45.2.2.2 45.2.2.2/32 B again");
    }

    @Test
    void tiLivenessHonoursIsActiveIsDeletedRevokedAndValidity() {
        List<String> inds =
                List.of(
                        ti("a", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.1", "IsActive", "TRUE"),
                        ti("b", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.2", "IsActive", null),
                        ti("c", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.3", "IsDeleted", "true"),
                        ti("d", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.4", "Revoked", true),
                        ti(
                                "e",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.5",
                                "ValidUntil",
                                t("10:00:00Z")),
                        // no ValidUntil: never expires, but TimeGenerated >= t - P still applies
                        ti(
                                "f",
                                "2026-11-13T10:00:00Z",
                                "ipv4-addr:value",
                                "45.1.1.6",
                                "ValidUntil",
                                null),
                        ti(
                                "g",
                                "2026-11-13T09:59:59Z",
                                "ipv4-addr:value",
                                "45.1.1.7",
                                "ValidUntil",
                                null),
                        ti(
                                "h",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.8",
                                "ValidUntil",
                                "never"),
                        ti("i", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.9", "ValidFrom", "soon"),
                        // an unreadable ValidUntil is still a version: it replaces the live one
                        ti("j", t("08:00:00Z"), "ipv4-addr:value", "45.1.2.1"),
                        ti("j", t("09:00:00Z"), "ipv4-addr:value", "45.1.2.1", "ValidUntil", ""));
        List<String> conns = new ArrayList<>();
        for (String ip :
                List.of(
                        "45.1.1.1",
                        "45.1.1.2",
                        "45.1.1.3",
                        "45.1.1.4",
                        "45.1.1.6",
                        "45.1.1.7",
                        "45.1.1.8",
                        "45.1.1.9",
                        "45.1.2.1")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        conns.add(conn(t("08:30:00Z"), "45.1.2.1"));
        conns.add(conn(t("09:59:59.9999999Z"), "45.1.1.5"));
        conns.add(conn(t("10:00:00.0000000Z"), "45.1.1.5"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(
                        a ->
                                a.get("Id").textValue()
                                        + " "
                                        + a.get("VMConnection_TimeGenerated").textValue()
                                        + " "
                                        + a.get("ValidUntil"))
                .containsExactly(
                        "j " + t("08:30:00Z") + " \"2026-12-27T00:00:00Z\"",
                        "e " + t("09:59:59.9999999Z") + " \"" + t("10:00:00Z") + "\"",
                        "a " + t("10:00:00Z") + " \"2026-12-27T00:00:00Z\"",
                        "f " + t("10:00:00Z") + " null");
    }

    @Test
    void tiValidFromLaterThanConnectionIsTheDetectionTime() {
        List<String> inds =
                List.of(
                        ti(
                                "v",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.1",
                                "ValidFrom",
                                t("11:00:00.000Z")),
                        ti(
                                "w",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.2.2.2",
                                "ValidFrom",
                                t("11:00:00.000Z")));
        List<String> conns =
                List.of(
                        conn(t("09:59:59.999Z"), "45.1.1.1"), // more than L before ValidFrom
                        conn(t("10:00:00Z"), "45.1.1.1"), // exactly L before
                        conn(t("10:30:00Z"), "45.1.1.1"),
                        conn(t("11:00:00Z"), "45.1.1.1"), // live at its own time
                        conn(t("11:30:00Z"), "45.1.1.1"),
                        conn(t("10:30:00Z"), "45.2.2.2"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(2);
        ObjectNode v = alerts.get(0);
        assertThat(v.get("Id").textValue()).isEqualTo("v");
        assertThat(v.get("WindowStart").textValue()).isEqualTo(t("11:00:00Z"));
        assertThat(v.get("MatchCount").intValue()).isEqualTo(4);
        assertThat(v.get("FirstConnectionTime").textValue()).isEqualTo(t("10:00:00Z"));
        assertThat(v.get("DetectionTime").textValue()).isEqualTo(t("11:30:00Z"));
        ObjectNode w = alerts.get(1);
        assertThat(w.get("VMConnection_TimeGenerated").textValue()).isEqualTo(t("10:30:00Z"));
        assertThat(w.get("DetectionTime").textValue()).isEqualTo(t("11:00:00.000Z"));
        assertThat(w.get("WindowStart").textValue()).isEqualTo(t("11:00:00Z"));

        ObjectNode first = run(inds, conns, FIRST).get(0);
        assertThat(first.get("VMConnection_TimeGenerated").textValue()).isEqualTo(t("11:00:00Z"));
        assertThat(first.get("DetectionTime").textValue()).isEqualTo(t("11:00:00Z"));
    }

    @Test
    void tiPatternOnlyRowTakesItsIpsFromThePattern() {
        List<String> inds =
                List.of(
                        ti(
                                "p",
                                t("09:00:00Z"),
                                "",
                                "",
                                "Pattern",
                                "[network-traffic:dst_ref.type = 'ipv4-addr' AND"
                                        + " network-traffic:dst_ref.value = '45.1.1.1'] OR"
                                        + " [ipv6-addr:value = '2A01:DB8::1']"),
                        ti(
                                "u",
                                t("09:00:00Z"),
                                null,
                                null,
                                "Pattern",
                                "[ipv4-addr:value = '45.2.2.2'] AND [ipv4-addr:value = '45.2.2.3']"),
                        ti(
                                "n",
                                t("09:00:00Z"),
                                "",
                                "",
                                "Pattern",
                                "[domain-name:value = 'evil.example']"),
                        // key and value filled: the pattern is not read
                        ti(
                                "k",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.3.3.3",
                                "Pattern",
                                "[ipv4-addr:value = '45.4.4.4']"));
        List<String> conns = new ArrayList<>();
        for (String ip :
                List.of(
                        "45.1.1.1",
                        "2a01:db8::1",
                        "45.2.2.2",
                        "45.2.2.3",
                        "45.3.3.3",
                        "45.4.4.4")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts())
                .extracting(
                        a ->
                                a.get("Id").textValue()
                                        + " "
                                        + a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("NetworkSourceIP").textValue())
                .containsExactly(
                        "k 45.3.3.3 45.3.3.3", "p 2a01:db8::1 2A01:DB8::1", "p 45.1.1.1 45.1.1.1");
        assertThat(r.counter("indicator.unsupportedPattern")).isEqualTo(1);
        assertThat(r.counter("indicator.notIpType")).isEqualTo(1);
    }

    @Test
    void tiDataMayBeAStringAndActivityGroupIsTheFirstLabelStartingWithIt() {
        List<String> inds =
                List.of(
                        ti(
                                "a",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.1",
                                "Data",
                                "{\"description\":\"as string\",\"labels\":[\"x\",\"ActivityGroup:BARIUM\"]}"),
                        ti(
                                "b",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.2",
                                "Data",
                                Map.of("labels", List.of("APT28"))),
                        ti(
                                "c",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.3",
                                "Data",
                                null,
                                "Confidence",
                                "high"),
                        ti(
                                "d",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.4",
                                "Data",
                                "not json",
                                "Confidence",
                                null),
                        ti(
                                "e",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.1.1.5",
                                "Data",
                                Map.of("description", "d", "labels", List.of("ActivityGroup:")),
                                "Confidence",
                                "72.5"));
        List<String> conns = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            conns.add(conn(t("10:00:00Z"), "45.1.1." + i));
        }
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(
                        a ->
                                a.get("Id").textValue()
                                        + "|"
                                        + a.get("Description")
                                        + "|"
                                        + a.get("ActivityGroupNames").textValue()
                                        + "|"
                                        + a.get("Confidence"))
                .containsExactly(
                        "a|\"as string\"|BARIUM|80",
                        "b|null||80",
                        "c|null||\"high\"",
                        "d|null||null",
                        "e|\"d\"||72.5");
    }

    // ------------------------------------------------------------------ STIX (SPEC 6.3)

    @Test
    void stixIndicatorAlertHasTheColumnsOfRule146() throws Exception {
        List<String> inds =
                List.of(
                        stix(
                                "indicator--bb",
                                "2026-11-27T09:00:00.000Z",
                                "[ipv4-addr:value = '198.51.100.7/24']",
                                "valid_until",
                                "2026-12-27T00:00:00.000Z",
                                "labels",
                                List.of("ActivityGroup:FIN7 x", "ActivityGroup:other"),
                                "confidence",
                                "60"));
        List<String> conns = List.of(conn(t("10:20:00Z"), "::ffff:198.51.100.200"));

        List<ObjectNode> alerts = run(inds, conns, FINAL);

        JsonNode expected =
                M.readTree(
                        """
                {"VMConnection_TimeGenerated":"2026-11-27T10:20:00Z","Description":"desc indicator--bb",
                 "ActivityGroupNames":"FIN7 x","Id":"indicator--bb","ValidUntil":"2026-12-27T00:00:00.000Z",
                 "Confidence":60,"TI_ipEntity":"198.51.100.0/24","Computer":"vm1.contoso.com","Direction":"outbound",
                 "ProcessName":"curl","SourceIp":"10.0.0.4","DestinationIp":"::ffff:198.51.100.200",
                 "RemoteIp":"::ffff:198.51.100.200","Protocol":"tcp","DestinationPort":443,
                 "NetworkSourceIP":"198.51.100.7/24","Type":"indicator","Url":"","timestamp":"2026-11-27T10:20:00Z",
                 "HostName":"vm1","DnsDomain":"contoso.com","AlertId":"%s",
                 "WindowStart":"2026-11-27T10:00:00Z","WindowEnd":"2026-11-27T11:00:00Z","MatchCount":1,
                 "FirstConnectionTime":"2026-11-27T10:20:00Z","LastConnectionTime":"2026-11-27T10:20:00Z",
                 "DetectionTime":"2026-11-27T10:20:00Z","Late":false}
                """
                                .formatted(
                                        alertIdOf(
                                                SpecReference.TI_RULE_ID,
                                                "indicator--bb",
                                                "198.51.100.200",
                                                t("10:00:00Z"))));
        assertThat(alerts).hasSize(1);
        assertThat((JsonNode) alerts.get(0)).isEqualTo(expected);
        assertThat(fieldNames(alerts.get(0))).isEqualTo(fieldNames(expected));
    }

    @Test
    void stixPatternReaderSupportsOrAndTypeTestsAndRejectsTheRest() {
        Map<String, List<String>> supported = new LinkedHashMap<>();
        supported.put("[ipv4-addr:value = '198.51.100.1']", List.of("198.51.100.1"));
        supported.put(
                "[ipv4-addr:value = '198.51.100.1' OR ipv6-addr:value = '2001:db8::1']",
                List.of("198.51.100.1", "2001:db8::1"));
        supported.put(
                "[ipv4-addr:value = '45.1.1.1'] OR [domain-name:value = 'evil.example']",
                List.of("45.1.1.1"));
        supported.put(
                "([network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value"
                        + " ISSUBSET '198.51.100.0/24'] OR ([ipv6-addr:value = '2001:db8::/32']))",
                List.of("198.51.100.0/24", "2001:db8::/32"));
        supported.put(
                "[(network-traffic:src_ref.value = '45.1.1.1' OR network-traffic:src_ref.value ="
                        + " '45.2.2.2') AND network-traffic:src_ref.type = 'ipv4-addr']",
                List.of("45.1.1.1", "45.2.2.2"));
        supported.put(
                "[domain-name:value = 'x' AND file:size = 10] OR [ipv4-addr:value == ' 45.3.3.3 ']",
                List.of(" 45.3.3.3 "));
        supported.put("[ipv4-addr:value = '45.4.4.4\\\\x\\'']", List.of("45.4.4.4\\x'"));
        supported.forEach(
                (p, values) -> {
                    RefPattern.Reading r = RefPattern.read(p);
                    assertThat(r.outcome()).as(p).isEqualTo(RefPattern.Outcome.IPS);
                    assertThat(r.values()).as(p).isEqualTo(values);
                });
        for (String p :
                List.of(
                        "[domain-name:value = 'evil.example']",
                        "[url:value = 'http://45.1.1.1/'] OR [file:hashes.'SHA-256' = 'ab']",
                        "[domain-name:value = 'x' AND file:name = 'y']")) {
            assertThat(RefPattern.read(p).outcome()).as(p).isEqualTo(RefPattern.Outcome.NO_IP);
        }
        for (String p :
                List.of(
                        "[ipv4-addr:value != '45.1.1.1']",
                        "[ipv4-addr:value NOT = '45.1.1.1']",
                        "[ipv4-addr:value > '45.1.1.1']",
                        "[ipv4-addr:value <= '45.1.1.1']",
                        "[ipv4-addr:value IN ('45.1.1.1', '45.2.2.2')]",
                        "[ipv4-addr:value LIKE '45.1.%']",
                        "[ipv4-addr:value MATCHES '^45']",
                        "[ipv4-addr:value ISSUPERSET '45.1.1.0/24']",
                        "[EXISTS ipv4-addr:value]",
                        "[ipv4-addr:value = '45.1.1.1'] AND [ipv4-addr:value = '45.2.2.2']",
                        "[ipv4-addr:value = '45.1.1.1'] FOLLOWEDBY [ipv4-addr:value = '45.2.2.2']",
                        "[ipv4-addr:value = '45.1.1.1'] WITHIN 300 SECONDS",
                        "[ipv4-addr:value = '45.1.1.1'] REPEATS 5 TIMES",
                        "[ipv4-addr:value = '45.1.1.1'] START t'2026-11-01T00:00:00Z'"
                                + " STOP t'2026-12-01T00:00:00Z'",
                        "[network-traffic:dst_ref.value = '45.1.1.1' AND network-traffic:dst_port"
                                + " = 443]",
                        "[ipv4-addr:value = '45.1.1.1' AND ipv4-addr:value = '45.2.2.2']",
                        "[ipv4-addr:value = 17]",
                        "[network-traffic:dst_ref.type ISSUBSET 'ipv4-addr' AND"
                                + " network-traffic:dst_ref.value = '45.1.1.1']",
                        "[domain-name:value LIKE '%.example'] OR [ipv4-addr:value = '45.1.1.1']",
                        "[ipv4-addr:value = '45.1.1.1'",
                        "ipv4-addr:value = '45.1.1.1'",
                        "[ipv4-addr:value = '45.1.1.1'] or [ipv4-addr:value = '45.2.2.2']",
                        "[]",
                        "")) {
            assertThat(RefPattern.read(p).outcome())
                    .as(p)
                    .isEqualTo(RefPattern.Outcome.UNSUPPORTED);
        }
    }

    @Test
    void stixPatternTypeAndUnsupportedPatternsAreCountedAndSkipped() {
        List<String> inds =
                List.of(
                        stix(
                                "sigma",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.1.1.1']",
                                "pattern_type",
                                "sigma"),
                        stix(
                                "no-type",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.2.2.2']",
                                "pattern_type",
                                null),
                        stix(
                                "followed",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.3.3.3'] FOLLOWEDBY [ipv4-addr:value ="
                                        + " '45.3.3.4']"),
                        stix("domain", t("09:00:00Z"), "[domain-name:value = 'evil.example']"),
                        stix(
                                "and-port",
                                t("09:00:00Z"),
                                "[network-traffic:dst_ref.value = '45.5.5.5' AND"
                                        + " network-traffic:dst_port = 443]"));
        List<String> conns = new ArrayList<>();
        for (String ip : List.of("45.1.1.1", "45.2.2.2", "45.3.3.3", "45.3.3.4", "45.5.5.5")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts()).extracting(a -> a.get("Id").textValue()).containsExactly("no-type");
        assertThat(r.counter("indicator.patternType")).isEqualTo(1);
        assertThat(r.counter("indicator.unsupportedPattern")).isEqualTo(2);
        assertThat(r.counter("indicator.notIpType")).isEqualTo(1);
    }

    @Test
    void stixNewerVersionThatDropsAnAddressStopsItMatching() {
        List<String> inds =
                List.of(
                        // v2 arrives before v1
                        stix(
                                "d",
                                t("10:00:00Z"),
                                "[ipv4-addr:value = '45.2.2.2']",
                                "description",
                                "v2"),
                        stix(
                                "d",
                                t("08:00:00Z"),
                                "[ipv4-addr:value = '45.1.1.1'] OR [ipv4-addr:value = '45.2.2.2']",
                                "description",
                                "v1"),
                        stix(
                                "d",
                                t("11:00:00Z"),
                                "[ipv4-addr:value = '45.2.2.2']",
                                "revoked",
                                "true"));
        List<String> conns =
                List.of(
                        conn(t("09:00:00Z"), "45.1.1.1"),
                        conn(t("09:30:00Z"), "45.1.1.1"),
                        conn(t("10:30:00Z"), "45.1.1.1"), // dropped by v2
                        conn(t("10:30:00Z"), "45.2.2.2"),
                        conn(t("11:30:00Z"), "45.2.2.2")); // v3 revokes
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(
                        a ->
                                a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("Description").textValue()
                                        + " "
                                        + a.get("MatchCount").intValue())
                .containsExactly("45.1.1.1 v1 2", "45.2.2.2 v2 1");
    }

    @Test
    void stixTieOnModifiedGoesToLaterArrival() {
        String x = stix("t", t("10:00:00Z"), "[ipv4-addr:value = '45.1.1.1']", "description", "x");
        String y =
                stix("t", t("10:00:00.000Z"), "[ipv4-addr:value = '45.2.2.2']", "description", "y");
        List<String> conns =
                List.of(conn(t("10:30:00Z"), "45.1.1.1"), conn(t("10:30:00Z"), "45.2.2.2"));
        assertThat(run(List.of(x, y), conns, FINAL))
                .extracting(a -> a.get("TI_ipEntity").textValue())
                .containsExactly("45.2.2.2");
        assertThat(run(List.of(y, x), conns, FINAL))
                .extracting(a -> a.get("TI_ipEntity").textValue())
                .containsExactly("45.1.1.1");
    }

    @Test
    void stixValidFromLaterThanConnectionIsTheDetectionTime() {
        List<String> inds =
                List.of(
                        stix(
                                "s",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.3.3.3']",
                                "valid_from",
                                t("10:45:00.5Z")),
                        stix(
                                "m",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.4.4.4']",
                                "valid_from",
                                null));
        List<String> conns =
                List.of(
                        conn(t("09:45:00Z"), "45.3.3.3"), // 1h00m00.5s before valid_from: none
                        conn(t("09:50:00Z"), "45.3.3.3"),
                        conn(t("10:00:00Z"), "45.4.4.4"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("Id").textValue()).isEqualTo("s");
        assertThat(alerts.get(0).get("VMConnection_TimeGenerated").textValue())
                .isEqualTo(t("09:50:00Z"));
        assertThat(alerts.get(0).get("DetectionTime").textValue()).isEqualTo(t("10:45:00.5Z"));
        assertThat(alerts.get(0).get("WindowStart").textValue()).isEqualTo(t("10:00:00Z"));
    }

    @Test
    void stixWithoutValidUntilExpiresPAfterItsVersionTime() {
        List<String> inds =
                List.of(
                        stix(
                                "p",
                                "2026-11-13T10:00:00Z",
                                "[ipv4-addr:value = '45.1.1.1']",
                                "valid_until",
                                null),
                        // valid_until set: no P bound
                        stix("q", "2026-11-01T00:00:00Z", "[ipv4-addr:value = '45.2.2.2']"),
                        // created only: the version time is created
                        stix(
                                "r",
                                null,
                                "[ipv4-addr:value = '45.3.3.3']",
                                "created",
                                "2026-11-13T10:00:00Z",
                                "valid_until",
                                null));
        List<String> conns =
                List.of(
                        conn(t("09:59:59.9999999Z"), "45.1.1.1"),
                        conn(t("10:00:00Z"), "45.1.1.1"), // exactly P after: not live (strict)
                        conn(t("10:00:00Z"), "45.2.2.2"),
                        conn(t("10:00:00Z"), "45.3.3.3"),
                        conn(t("09:00:00Z"), "45.3.3.3"));
        List<ObjectNode> alerts = run(inds, conns, FINAL);
        assertThat(alerts)
                .extracting(
                        a ->
                                a.get("Id").textValue()
                                        + " "
                                        + a.get("VMConnection_TimeGenerated").textValue()
                                        + " "
                                        + a.get("ValidUntil"))
                .containsExactly(
                        "p " + t("09:59:59.9999999Z") + " null",
                        "r " + t("09:00:00Z") + " null",
                        "q " + t("10:00:00Z") + " \"2026-12-27T00:00:00Z\"");
    }

    @Test
    void stixMultiValueObjectDropsExcludedValuesOneByOneAndOneInvalidValueSpoilsIt() {
        List<String> inds =
                List.of(
                        stix(
                                "a",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '10.1.1.1' OR ipv4-addr:value = '45.1.1.1' OR"
                                        + " ipv4-addr:value = '5.0.0.0/7']"),
                        stix(
                                "b",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.2.2.2' OR ipv4-addr:value = 'not-an-ip']"),
                        stix(
                                "c",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '5.0.0.0/7'] OR [ipv4-addr:value ="
                                        + " '192.168.1.1']"),
                        stix(
                                "d",
                                t("09:00:00Z"),
                                "[ipv6-addr:value = 'fe80::1'] OR [ipv4-addr:value = '0.0.0.0/0']"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.1.1.1"),
                        conn(t("10:00:00Z"), "10.1.1.1"),
                        conn(t("10:00:00Z"), "5.1.1.1"),
                        conn(t("10:00:00Z"), "45.2.2.2"),
                        conn(t("10:00:00Z"), "192.168.1.1"),
                        conn(t("10:00:00Z"), "fe80::1"));
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts())
                .extracting(a -> a.get("Id").textValue() + "@" + a.get("TI_ipEntity").textValue())
                .containsExactly("a@45.1.1.1");
        assertThat(r.counter("indicator.invalidIp")).isEqualTo(1);
        assertThat(r.counter("indicator.rangeTooBroad")).isEqualTo(1);
        assertThat(r.counter("indicator.excludedIp")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ ranges (SPEC 6.4, 1.1)

    @Test
    void rangeCanonicalFormClearsHostBitsAndMapsIpv4MappedRanges() {
        Map<String, String> canonical = new LinkedHashMap<>();
        canonical.put("51.67.89.10/24", "51.67.89.0/24");
        canonical.put(" 51.67.89.10/31 ", "51.67.89.10/31");
        canonical.put("::ffff:51.68.1.1/112", "51.68.0.0/16");
        canonical.put("::FFFF:51.70.1.1/128", "51.70.1.1");
        canonical.put("::ffff:51.70.1.1/96", "0.0.0.0/0");
        canonical.put("::ffff:1.2.3.4/95", "::fffe:0:0/95");
        canonical.put("51.71.1.1/32", "51.71.1.1");
        canonical.put("2A10:1:2:3::7/64", "2a10:1:2:3::/64");
        canonical.put("2a10:5::1/128", "2a10:5::1");
        canonical.put("1.2.3.4/0", "0.0.0.0/0");
        canonical.put("::ffff:45.1.1.1", "45.1.1.1");
        canonical.forEach(
                (in, out) -> assertThat(RefIp.parseValue(in).canonical()).as(in).isEqualTo(out));
        for (String bad :
                List.of(
                        "1.2.3.4/33",
                        "1.2.3.4/",
                        "/24",
                        "1.2.3.4 /24",
                        "1.2.3.4/ 24",
                        "1.2.3.4/-1",
                        "1.2.3.4/24/1",
                        "2001:db8::/129",
                        "1.2.3/24",
                        "1.2.3.4/1024")) {
            assertThat(RefIp.parseValue(bad)).as(bad).isNull();
        }
        List<String> inds =
                List.of(
                        ti("t", t("09:00:00Z"), "ipv4-addr:value", "51.67.89.10/24"),
                        ind("l", t("09:00:00Z"), "::ffff:51.68.1.1/112"));
        List<String> conns =
                List.of(conn(t("10:00:00Z"), "51.67.89.200"), conn(t("10:00:00Z"), "51.68.7.7"));
        assertThat(run(inds, conns, FINAL))
                .extracting(
                        a ->
                                SpecReference.indicatorIdOf(a)
                                        + " "
                                        + a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("RemoteIp").textValue())
                .containsExactly("l 51.68.0.0/16 51.68.7.7", "t 51.67.89.0/24 51.67.89.200");
    }

    @Test
    void rangeMatchesEveryAddressInsideButTheExcludedOnes() {
        List<String> inds =
                List.of(
                        ind("r4", t("09:00:00Z"), "172.0.0.0/8"),
                        ti("r6", t("09:00:00Z"), "ipv6-addr:value", "::/95"),
                        stix("rx", t("09:00:00Z"), "[ipv4-addr:value ISSUBSET '100.0.0.0/8']"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "172.5.5.5"),
                        conn(t("10:01:00Z"), "::ffff:172.5.5.5"),
                        conn(t("10:00:00Z"), "172.16.1.1"), // excluded part
                        conn(t("10:00:00Z"), "173.0.0.1"), // outside
                        conn(t("10:00:00Z"), "::1:0:7"),
                        conn(t("10:00:00Z"), "::5"), // excluded part (::/96)
                        conn(t("10:00:00Z"), "::2:0:1"), // outside
                        conn(t("10:00:00Z"), "100.1.1.1"),
                        conn(t("10:00:00Z"), "100.64.1.1")); // excluded by setting only
        Settings extra = FINAL.withExtraExcludedCidrs(List.of("100.64.0.0/10"));
        assertThat(run(inds, conns, extra))
                .extracting(
                        a ->
                                SpecReference.indicatorIdOf(a)
                                        + " "
                                        + a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("RemoteIp").textValue()
                                        + " "
                                        + a.get("MatchCount").intValue())
                .containsExactly(
                        "r4 172.0.0.0/8 ::ffff:172.5.5.5 2",
                        "r6 ::/95 ::1:0:7 1",
                        "rx 100.0.0.0/8 100.1.1.1 1");
        assertThat(run(inds, conns, FINAL))
                .extracting(a -> a.get("RemoteIp").textValue())
                .contains("100.64.1.1");
    }

    @Test
    void tooBroadAndWhollyExcludedRangesAreCountedAndSkipped() {
        List<String> values =
                List.of(
                        "10.0.0.0/7", // too broad before excluded
                        "0.0.0.0/0",
                        "2a10::/31",
                        "10.20.0.0/16",
                        "fd00:1::/48",
                        "::ffff:192.168.0.0/112",
                        "::/100",
                        "100.64.0.0/10"); // covered by two extra ranges together
        List<String> inds = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            inds.add(ind("x" + i, t("09:00:00Z"), values.get(i)));
        }
        List<String> conns = new ArrayList<>();
        for (String ip :
                List.of(
                        "11.1.1.1",
                        "10.1.1.1",
                        "45.1.1.1",
                        "2a10:1::1",
                        "10.20.1.1",
                        "fd00:1::1",
                        "100.65.0.1",
                        "100.100.0.1")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        Settings s = FINAL.withExtraExcludedCidrs(List.of("100.64.0.0/11", "100.96.0.0/11"));
        Result r = SpecReference.analyse(inds, conns, s);
        assertThat(r.alerts()).isEmpty();
        assertThat(r.counter("indicator.rangeTooBroad")).isEqualTo(3);
        assertThat(r.counter("indicator.excludedIp")).isEqualTo(5);

        // with shorter minimum prefixes 10.0.0.0/7 is a partly excluded range
        Result shorter = SpecReference.analyse(inds, conns, s.withMinRangePrefix(7, 31));
        assertThat(shorter.alerts())
                .extracting(a -> a.get("IndicatorId").textValue() + " " + a.get("RemoteIp"))
                .containsExactly("x0 \"11.1.1.1\"", "x2 \"2a10:1::1\"");
        assertThat(shorter.counter("indicator.rangeTooBroad")).isEqualTo(1);
    }

    @Test
    void longestPrefixTargetIsReportedAndAConnectionMatchesAnIndicatorOnce() {
        List<String> inds =
                List.of(
                        ti("o", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.1"),
                        ti("o", t("09:00:00Z"), "ipv4-addr:value", "45.1.1.0/24"),
                        ti("o", t("09:00:00Z"), "network-traffic:dst_ref.value", "45.1.0.0/16"),
                        stix(
                                "q",
                                t("09:00:00Z"),
                                "[ipv4-addr:value = '45.2.0.0/16'] OR [ipv4-addr:value ="
                                        + " '45.2.2.7/24'] OR [ipv4-addr:value = '45.2.2.0/24']"),
                        // the least detection time wins over the longest prefix
                        ti(
                                "l",
                                t("09:00:00Z"),
                                "ipv4-addr:value",
                                "45.3.3.3",
                                "ValidFrom",
                                t("10:50:00Z")),
                        ti("l", t("10:40:00Z"), "ipv4-addr:value", "45.3.3.0/24"));
        List<String> conns =
                List.of(
                        conn(t("10:00:00Z"), "45.1.1.1"),
                        conn(t("10:05:00Z"), "45.1.1.9"),
                        conn(t("10:10:00Z"), "45.1.7.7"),
                        conn(t("10:00:00Z"), "45.2.2.9"),
                        conn(t("10:30:00Z"), "45.3.3.3"));
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.matches()).isEqualTo(5);
        assertThat(r.alerts())
                .extracting(
                        a ->
                                a.get("Id").textValue()
                                        + " "
                                        + a.get("RemoteIp").textValue()
                                        + " "
                                        + a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("NetworkSourceIP").textValue()
                                        + " "
                                        + a.get("DetectionTime").textValue())
                .containsExactly(
                        "l 45.3.3.3 45.3.3.0/24 45.3.3.0/24 " + t("10:40:00Z"),
                        "o 45.1.7.7 45.1.0.0/16 45.1.0.0/16 " + t("10:10:00Z"),
                        "o 45.1.1.9 45.1.1.0/24 45.1.1.0/24 " + t("10:05:00Z"),
                        "o 45.1.1.1 45.1.1.1 45.1.1.1 " + t("10:00:00Z"),
                        "q 45.2.2.9 45.2.2.0/24 45.2.2.7/24 " + t("10:00:00Z"));
    }

    @Test
    void legacyRowFallsBackToNetworkCidrBlock() {
        List<String> inds =
                List.of(
                        ind("c1", t("09:00:00Z"), null, "NetworkCidrBlock", "192.168.0.0/15"),
                        ind("c2", t("09:00:00Z"), "45.1.1.1", "NetworkCidrBlock", "45.2.0.0/16"),
                        ind(
                                "c3",
                                t("09:00:00Z"),
                                "",
                                "NetworkDestinationIP",
                                " ",
                                "NetworkCidrBlock",
                                " 45.3.0.0/16 "),
                        ind("c4", t("09:00:00Z"), null, "NetworkCidrBlock", "not-a-range"),
                        ind("c5", t("09:00:00Z"), "45.4.0.0/16"),
                        ind("c6", t("09:00:00Z"), null, "NetworkCidrBlock", ""));
        List<String> conns = new ArrayList<>();
        for (String ip :
                List.of(
                        "192.169.0.1",
                        "192.168.0.1",
                        "45.1.1.1",
                        "45.2.3.4",
                        "45.3.9.9",
                        "45.4.1.1")) {
            conns.add(conn(t("10:00:00Z"), ip));
        }
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.alerts())
                .extracting(
                        a ->
                                a.get("IndicatorId").textValue()
                                        + " "
                                        + a.get("TI_ipEntity").textValue()
                                        + " "
                                        + a.get("RemoteIp").textValue()
                                        + " "
                                        + a.get("NetworkIP"))
                .containsExactly(
                        "c1 192.168.0.0/15 192.169.0.1 null",
                        "c2 45.1.1.1 45.1.1.1 \"45.1.1.1\"",
                        "c3 45.3.0.0/16 45.3.9.9 \"\"",
                        "c5 45.4.0.0/16 45.4.1.1 \"45.4.0.0/16\"");
        assertThat(r.counter("indicator.invalidIp")).isEqualTo(1);
        assertThat(r.counter("indicator.noIp")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ dead letters (SPEC 5.3)

    @Test
    void tiRowsAndStixObjectsWithoutIdentityOrTimeAreDeadLetters() {
        String v = "[ipv4-addr:value = '45.9.9.9']";
        List<String> inds =
                List.of(
                        "{\"Id\":\"ti-1\",\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"45.9.9.9\"}",
                        ti("  ", t("09:00:00Z"), "ipv4-addr:value", "45.9.9.9"),
                        ti("ti-2", "2026-11-27 09:00", "ipv4-addr:value", "45.9.9.9"),
                        // ObservableKey makes it a ThreatIntelIndicators row, which has no Id
                        ind(
                                "looks-legacy",
                                t("09:00:00Z"),
                                null,
                                "ObservableKey",
                                "ipv4-addr:value",
                                "ObservableValue",
                                "45.9.9.9"),
                        stix("x", t("09:00:00Z"), v, "id", null),
                        stix(" ", t("09:00:00Z"), v),
                        stix("x", t("09:00:00Z"), v, "id", 42),
                        stix("s1", "yesterday", v, "created", null),
                        stix("s2", null, v, "created", "2026-11-27"),
                        // a present but unreadable modified: no fall-back to created
                        stix("s4", "soon", v, "created", t("09:00:00Z")),
                        "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[17,\"x\","
                                + "{\"type\":\"bundle\",\"id\":\"bundle--2\",\"objects\":[]}]}",
                        "{\"records\":[{\"type\":\"bundle\",\"id\":\"bundle--3\",\"objects\":["
                                + stix("s5", t("09:00:00Z"), v)
                                + "]}]}",
                        // created only: readable
                        stix(
                                "s3",
                                null,
                                "[ipv4-addr:value = '45.8.8.8']",
                                "created",
                                t("09:00:00Z")));
        List<String> conns =
                List.of(conn(t("10:00:00Z"), "45.9.9.9"), conn(t("10:00:00Z"), "45.8.8.8"));
        Result r = SpecReference.analyse(inds, conns, FINAL);
        assertThat(r.indicatorDeadLetters()).isEqualTo(14);
        assertThat(r.alerts()).extracting(a -> a.get("Id").textValue()).containsExactly("s3");
    }

    // ------------------------------------------------------------------ the generator

    @Test
    void generatorProducesScenariosWithAlertsOfSeveralKinds(@TempDir Path dir) throws Exception {
        int alerts = 0;
        int retro = 0;
        int late = 0;
        int ipv6 = 0;
        int multi = 0;
        for (long seed = 1; seed <= 4; seed++) {
            Scenario sc = ScenarioGenerator.generate(seed, 1500);
            assertThat(ScenarioGenerator.generate(seed, 1500).connectionLines())
                    .isEqualTo(sc.connectionLines());
            assertThat(ScenarioGenerator.generate(seed, 1500).indicatorLines())
                    .isEqualTo(sc.indicatorLines());
            for (String mode : List.of("final", "first")) {
                Scenario s = sc.withSettings(sc.settings().withEmitMode(mode));
                Result r = s.analyse();
                assertThat(r.deadLetters()).isEqualTo(s.deadLetterCount());
                assertThat(r.alerts()).isNotEmpty();
                List<RefIp.Cidr> extra =
                        s.settings().extraExcludedCidrs().stream().map(RefIp.Cidr::parse).toList();
                for (ObjectNode a : r.alerts()) {
                    alerts++;
                    String ip = a.get("TI_ipEntity").textValue();
                    assertThat(RefIp.isExcluded(RefIp.parse(ip), extra)).as(ip).isFalse();
                    assertThat(RefIp.canonical(ip)).isEqualTo(ip);
                    Instant det = Instant.parse(a.get("DetectionTime").textValue());
                    Instant conn = Instant.parse(a.get("VMConnection_TimeGenerated").textValue());
                    assertThat(det).isAfterOrEqualTo(conn);
                    assertThat(det)
                            .isBefore(Instant.parse(a.get("ExpirationDateTime").textValue()));
                    retro += det.isAfter(conn) ? 1 : 0;
                    late += a.get("Late").booleanValue() ? 1 : 0;
                    ipv6 += ip.contains(":") ? 1 : 0;
                    multi += a.get("MatchCount").intValue() > 1 ? 1 : 0;
                    assertThat(M.readTree(a.toString())).isEqualTo(a);
                }
            }
        }
        assertThat(alerts).isGreaterThan(100);
        assertThat(retro).isGreaterThan(5);
        assertThat(late).isGreaterThan(3);
        assertThat(ipv6).isGreaterThan(10);
        assertThat(multi).isGreaterThan(10);

        Scenario onTime = ScenarioGenerator.generate(5, 800, false);
        assertThat(onTime.analyse().lateConnectionRows()).isZero();
        assertThat(onTime.analyse().alerts()).isNotEmpty();

        Scenario sc = ScenarioGenerator.generate(7, 300);
        sc.writeTo(dir);
        assertThat(Files.readAllLines(dir.resolve(Scenario.INDICATORS_FILE)))
                .isEqualTo(sc.indicatorLines());
        assertThat(Files.readAllLines(dir.resolve(Scenario.CONNECTIONS_FILE)))
                .isEqualTo(sc.connectionLines());
    }

    @Test
    void generatorWithAllShapesIsDeterministicAndLegacyShapesAreTheOldScenario() {
        Scenario a = ScenarioGenerator.generate(21, 400, ScenarioGenerator.Shapes.ALL);
        Scenario b = ScenarioGenerator.generate(21, 400, ScenarioGenerator.Shapes.ALL);
        assertThat(b.indicatorLines()).isEqualTo(a.indicatorLines());
        assertThat(b.connectionLines()).isEqualTo(a.connectionLines());
        assertThat(b.settings()).isEqualTo(a.settings());
        assertThat(
                        ScenarioGenerator.generate(22, 400, ScenarioGenerator.Shapes.ALL)
                                .indicatorLines())
                .isNotEqualTo(a.indicatorLines());
        Scenario legacy =
                ScenarioGenerator.generate(21, 400, false, ScenarioGenerator.Shapes.LEGACY);
        Scenario old = ScenarioGenerator.generate(21, 400, false);
        assertThat(legacy.indicatorLines()).isEqualTo(old.indicatorLines());
        assertThat(legacy.connectionLines()).isEqualTo(old.connectionLines());
        assertThat(old.indicatorLines()).noneMatch(l -> l.contains("ThreatIntelIndicators"));
    }

    @Test
    void generatorWithAllShapesHoldsEveryCaseFamilyAndConsistentAlerts() throws Exception {
        for (long seed : List.of(23L, 24L)) {
            Scenario sc = ScenarioGenerator.generate(seed, 600, ScenarioGenerator.Shapes.ALL);
            Families f = new Families();
            f.scanIndicatorLines(sc.indicatorLines());
            for (String mode : List.of("final", "first")) {
                Scenario s = sc.withSettings(sc.settings().withEmitMode(mode));
                Result r = s.analyse();
                assertThat(r.deadLetters()).as("dead letters").isEqualTo(s.deadLetterCount());
                f.scanResult(r, s.settings());
            }
            f.scanConnections(sc.connectionLines(), sc.settings());
            assertThat(f.missing()).as("seed " + seed + ": families missing").isEmpty();
        }
    }

    /** What a scenario holds, as read back from its lines and its oracle result. */
    private static final class Families {
        private final Map<String, Boolean> seen = new LinkedHashMap<>();
        private final List<RefIp.Cidr> usableRanges = new ArrayList<>();
        private final Set<Instant> validFroms = new HashSet<>();
        private final Set<Instant> versionTimes = new HashSet<>();

        Families() {
            for (String name :
                    List.of(
                            "bundle of several objects",
                            "TAXII envelope with objects and more/next",
                            "empty TAXII page",
                            "nested bundle",
                            "records envelope holding a ThreatIntelIndicators row",
                            "TI key ipv4-addr",
                            "TI key ipv6-addr",
                            "TI key network-traffic",
                            "TI range value",
                            "TI Pattern-only row",
                            "TI Data as string",
                            "TI Data as object",
                            "TI IsDeleted true",
                            "TI Revoked true",
                            "TI ValidFrom",
                            "TI without ValidUntil",
                            "TI Id with several IPs",
                            "legacy NetworkCidrBlock with the four columns empty",
                            "legacy range in an IP column",
                            "STIX OR inside an observation",
                            "STIX OR between observations",
                            "STIX AND type test",
                            "STIX ISSUBSET",
                            "STIX revoked",
                            "STIX without valid_until",
                            "STIX newer version arriving first",
                            "STIX tie on modified",
                            "TI tie on TimeGenerated",
                            "other STIX type",
                            "range with host bits set",
                            "IPv4-mapped range",
                            "IPv6 range",
                            "connection exactly L before a version time",
                            "connection in the excluded part of a range",
                            "alert ThreatIntelligenceIndicator",
                            "alert ThreatIntelIndicators",
                            "alert indicator",
                            "range alert of each kind",
                            "TI alert retro-matched",
                            "STIX alert retro-matched",
                            "alert detected at a ValidFrom / valid_from",
                            "STIX value as written differs from canonical",
                            "counter indicator.noIp",
                            "counter indicator.invalidIp",
                            "counter indicator.excludedIp",
                            "counter indicator.notIpType",
                            "counter indicator.unsupportedPattern",
                            "counter indicator.patternType",
                            "counter indicator.rangeTooBroad",
                            "counter indicator.otherStixType")) {
                seen.put(name, false);
            }
        }

        private void saw(String name) {
            assertThat(seen).containsKey(name);
            seen.put(name, true);
        }

        List<String> missing() {
            return seen.entrySet().stream()
                    .filter(e -> !e.getValue())
                    .map(Map.Entry::getKey)
                    .toList();
        }

        void scanIndicatorLines(List<String> lines) throws Exception {
            Map<String, Instant> stixLatestArrived = new LinkedHashMap<>();
            Map<String, Instant> stixTimes = new LinkedHashMap<>();
            Set<String> tiVersions = new HashSet<>();
            Map<String, Set<String>> tiIps = new LinkedHashMap<>();
            for (String line : lines) {
                JsonNode n;
                try {
                    n = M.readTree(line);
                } catch (JsonProcessingException e) {
                    continue;
                }
                if (n == null || !n.isObject()) {
                    continue;
                }
                List<JsonNode> elements = new ArrayList<>();
                if (n.has("records") && n.get("records").isArray()) {
                    n.get("records").forEach(elements::add);
                    if (elements.stream().anyMatch(e -> e.has("ObservableKey"))) {
                        saw("records envelope holding a ThreatIntelIndicators row");
                    }
                } else if (n.path("type").asText().equals("bundle")) {
                    n.path("objects").forEach(elements::add);
                    if (elements.size() > 1) {
                        saw("bundle of several objects");
                    }
                } else if (!n.has("type") && n.has("objects")) {
                    n.get("objects").forEach(elements::add);
                    if (elements.size() > 0 && (n.has("more") || n.has("next"))) {
                        saw("TAXII envelope with objects and more/next");
                    }
                } else if (!n.has("type") && (n.has("more") || n.has("next"))) {
                    saw("empty TAXII page");
                } else {
                    elements.add(n);
                }
                for (JsonNode e : elements) {
                    String type = e.path("type").asText();
                    if (type.equals("bundle")) {
                        saw("nested bundle");
                    } else if (type.equals("indicator")) {
                        stix(e, stixLatestArrived, stixTimes);
                    } else if (!type.isEmpty()) {
                        saw("other STIX type");
                    } else if (e.has("ObservableKey") || e.has("Pattern")) {
                        ti(e, tiVersions, tiIps);
                    } else if (e.has("IndicatorId")) {
                        legacy(e);
                    }
                }
            }
            if (tiIps.values().stream().anyMatch(s -> s.size() > 1)) {
                saw("TI Id with several IPs");
            }
        }

        private void legacy(JsonNode e) {
            boolean fourEmpty = true;
            for (String c : SpecReference.IP_COLUMNS) {
                fourEmpty &= SpecReference.isEmpty(e.get(c));
            }
            if (fourEmpty && !SpecReference.isEmpty(e.get("NetworkCidrBlock"))) {
                saw("legacy NetworkCidrBlock with the four columns empty");
                range(e.get("NetworkCidrBlock").asText());
            }
            for (String c : SpecReference.IP_COLUMNS) {
                if (e.path(c).asText().contains("/")) {
                    saw("legacy range in an IP column");
                    range(e.path(c).asText());
                }
            }
        }

        private void ti(JsonNode e, Set<String> versions, Map<String, Set<String>> ips) {
            String key = e.path("ObservableKey").asText();
            String value = e.path("ObservableValue").asText();
            if (key.contains("ipv4-addr")) {
                saw("TI key ipv4-addr");
            } else if (key.contains("ipv6-addr")) {
                saw("TI key ipv6-addr");
            } else if (key.startsWith("network-traffic")) {
                saw("TI key network-traffic");
            }
            if (value.contains("/") && key.matches(".*(addr|network-traffic).*")) {
                saw("TI range value");
                range(value);
            }
            if (key.isBlank() && value.isBlank() && !e.path("Pattern").asText().isBlank()) {
                saw("TI Pattern-only row");
            }
            saw(e.path("Data").isTextual() ? "TI Data as string" : "TI Data as object");
            if (SpecReference.isTrue(e.get("IsDeleted"))) {
                saw("TI IsDeleted true");
            }
            if (SpecReference.isTrue(e.get("Revoked"))) {
                saw("TI Revoked true");
            }
            RefTime.Stamp vf = RefTime.read(e.get("ValidFrom"));
            if (vf != null) {
                saw("TI ValidFrom");
                validFroms.add(vf.instant());
            }
            if (!e.has("ValidUntil")) {
                saw("TI without ValidUntil");
            }
            RefTime.Stamp tg = RefTime.read(e.get("TimeGenerated"));
            RefIp.Cidr ip = RefIp.parseValue(value);
            if (tg != null && ip != null) {
                versionTimes.add(tg.instant());
                String id = e.path("Id").asText();
                if (!versions.add(id + " " + ip.canonical() + " " + tg.instant())) {
                    saw("TI tie on TimeGenerated");
                }
                ips.computeIfAbsent(id, k -> new HashSet<>()).add(ip.canonical());
            }
        }

        private void stix(
                JsonNode e, Map<String, Instant> latestArrived, Map<String, Instant> times) {
            String p = e.path("pattern").asText();
            RefPattern.Reading reading = RefPattern.read(p);
            if (reading.outcome() == RefPattern.Outcome.IPS) {
                if (p.matches("^\\(?\\[[^\\]]* OR .*\\]\\)?$") && !p.contains("] OR [")) {
                    saw("STIX OR inside an observation");
                }
                if (p.contains("] OR [")) {
                    saw("STIX OR between observations");
                }
                if (p.contains(".type = '")) {
                    saw("STIX AND type test");
                }
                if (p.contains(" ISSUBSET ")) {
                    saw("STIX ISSUBSET");
                }
                reading.values().forEach(this::range);
            }
            if (SpecReference.isTrue(e.get("revoked"))) {
                saw("STIX revoked");
            }
            if (!e.has("valid_until")) {
                saw("STIX without valid_until");
            }
            RefTime.Stamp vf = RefTime.read(e.get("valid_from"));
            if (vf != null) {
                validFroms.add(vf.instant());
            }
            RefTime.Stamp m =
                    RefTime.read(e.has("modified") ? e.get("modified") : e.get("created"));
            String id = e.path("id").asText();
            if (m != null) {
                versionTimes.add(m.instant());
                Instant before = latestArrived.get(id);
                if (before != null && before.isAfter(m.instant())) {
                    saw("STIX newer version arriving first");
                }
                if (before != null && before.equals(m.instant())) {
                    saw("STIX tie on modified");
                }
                latestArrived.merge(id, m.instant(), (x, y) -> x.isAfter(y) ? x : y);
                times.put(id, m.instant());
            }
        }

        /** Notes a value that may be a range: its forms, and it when usable. */
        private void range(String written) {
            RefIp.Cidr c = RefIp.parseValue(written);
            if (c == null || c.isAddress()) {
                return;
            }
            String w = written.strip();
            if (w.toLowerCase().startsWith("::ffff:")) {
                saw("IPv4-mapped range");
            } else if (c.network().length == 16) {
                saw("IPv6 range");
            }
            RefIp.Cidr asWritten = RefIp.parseValue(w.substring(0, w.indexOf('/')));
            if (asWritten != null
                    && !Arrays.equals(asWritten.network(), c.network())
                    && c.network().length == asWritten.network().length) {
                saw("range with host bits set");
            }
            usableRanges.add(c);
        }

        void scanConnections(List<String> lines, Settings s) throws Exception {
            List<RefIp.Cidr> extra =
                    s.extraExcludedCidrs().stream().map(RefIp.Cidr::parse).toList();
            for (String line : lines) {
                JsonNode n;
                try {
                    n = M.readTree(line);
                } catch (JsonProcessingException e) {
                    continue;
                }
                if (n == null || !n.isObject()) {
                    continue;
                }
                List<JsonNode> rows = new ArrayList<>();
                if (n.has("records") && n.get("records").isArray()) {
                    n.get("records").forEach(rows::add);
                } else {
                    rows.add(n);
                }
                for (JsonNode row : rows) {
                    connection(row, extra);
                }
            }
        }

        private void connection(JsonNode n, List<RefIp.Cidr> extra) {
            {
                byte[] ip = RefIp.parse(n.path("RemoteIp").asText(null));
                RefTime.Stamp t = RefTime.read(n.get("TimeGenerated"));
                if (ip != null
                        && RefIp.isExcluded(ip, extra)
                        && usableRanges.stream()
                                .anyMatch(
                                        r ->
                                                r.contains(ip)
                                                        && r.prefix() >= 8
                                                        && !RefIp.isWhollyExcluded(r, extra))) {
                    saw("connection in the excluded part of a range");
                }
                if (t != null && versionTimes.contains(t.instant().plus(Duration.ofHours(1)))) {
                    saw("connection exactly L before a version time");
                }
            }
        }

        void scanResult(Result r, Settings s) {
            for (String c :
                    List.of(
                            "noIp",
                            "invalidIp",
                            "excludedIp",
                            "notIpType",
                            "unsupportedPattern",
                            "patternType",
                            "rangeTooBroad",
                            "otherStixType")) {
                if (r.counter("indicator." + c) > 0) {
                    saw("counter indicator." + c);
                }
            }
            List<RefIp.Cidr> extra =
                    s.extraExcludedCidrs().stream().map(RefIp.Cidr::parse).toList();
            Set<String> rangeKinds = new HashSet<>();
            for (ObjectNode a : r.alerts()) {
                String type = a.get("Type").textValue();
                saw("alert " + type);
                String target = a.get("TI_ipEntity").textValue();
                RefIp.Cidr c = RefIp.parseValue(target);
                byte[] remote = RefIp.parse(a.get("RemoteIp").textValue());
                // consistency: canonical target, the connection's IP in it and not excluded
                assertThat(c.canonical()).isEqualTo(target);
                assertThat(c.contains(remote)).as(a.toString()).isTrue();
                assertThat(RefIp.isExcluded(remote, extra)).as(a.toString()).isFalse();
                assertThat(RefIp.isWhollyExcluded(c, extra)).as(a.toString()).isFalse();
                Instant conn = Instant.parse(a.get("VMConnection_TimeGenerated").textValue());
                Instant det = Instant.parse(a.get("DetectionTime").textValue());
                assertThat(det).isBetween(conn, conn.plus(s.lookback()));
                JsonNode until =
                        type.equals("ThreatIntelligenceIndicator")
                                ? a.get("ExpirationDateTime")
                                : a.get("ValidUntil");
                if (!until.isNull()) {
                    assertThat(det).isBefore(Instant.parse(until.textValue()));
                    assertThat(conn).isBefore(Instant.parse(until.textValue()));
                }
                if (!c.isAddress()) {
                    rangeKinds.add(type);
                }
                if (det.isAfter(conn) && type.equals("ThreatIntelIndicators")) {
                    saw("TI alert retro-matched");
                }
                if (det.isAfter(conn) && type.equals("indicator")) {
                    saw("STIX alert retro-matched");
                }
                if (det.isAfter(conn)
                        && !type.equals("ThreatIntelligenceIndicator")
                        && validFroms.contains(det)
                        && !versionTimes.contains(det)) {
                    saw("alert detected at a ValidFrom / valid_from");
                }
                if (type.equals("indicator")
                        && !a.get("NetworkSourceIP").textValue().equals(target)) {
                    saw("STIX value as written differs from canonical");
                }
            }
            if (rangeKinds.size() == 3) {
                saw("range alert of each kind");
            }
        }
    }
}

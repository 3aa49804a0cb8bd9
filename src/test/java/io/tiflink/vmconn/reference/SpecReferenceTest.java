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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            "1.2.3.0/24",
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
}

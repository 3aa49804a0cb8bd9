package io.tiflink.vmconn.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 1.1-1.4, 6.2b-c, 6.3b-c: the versions each kind of indicator gives, or why it gives none.
 * Records are read by RowParser, as the job reads them.
 */
class IndicatorChecksTest {

    private static final String T = "\"TimeGenerated\":\"2026-11-27T10:00:00Z\"";

    private final RowParser parser = new RowParser(RowParser.Table.INDICATORS, 0);
    private final IndicatorChecks checks =
            new IndicatorChecks(new TargetRules(IpExclusions.defaults(), 8, 32));

    /** The versions of one record, or its skip reason. */
    private record Outcome(List<Indicator> versions, String reason) {}

    private Outcome check(String json) {
        List<InputRecord> in = new ArrayList<>();
        parser.parse(json.getBytes(StandardCharsets.UTF_8), "t", 0, 1, in::add);
        assertThat(in).singleElement().satisfies(r -> assertThat(r.indicator).isNotNull());
        List<Indicator> out = new ArrayList<>();
        String reason = checks.check(in.get(0).indicator, out::add);
        if (reason != null) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).isNotEmpty();
            for (Indicator v : out) {
                assertThat(v.ip).isNotNull();
                assertThat(v.observableKey).isNull();
                assertThat(v.pattern).isNull();
                assertThat(v.patternType).isNull();
            }
        }
        return new Outcome(out, reason);
    }

    private Indicator one(String json) {
        Outcome o = check(json);
        assertThat(o.reason).isNull();
        assertThat(o.versions).hasSize(1);
        return o.versions.get(0);
    }

    private String reason(String json) {
        Outcome o = check(json);
        assertThat(o.versions).isEmpty();
        return o.reason;
    }

    private static String legacy(String columns) {
        return "{" + T + ",\"IndicatorId\":\"i1\"" + (columns.isEmpty() ? "" : "," + columns) + "}";
    }

    private static String tiRow(String columns) {
        return "{" + T + ",\"Id\":\"indicator--t\",\"IsActive\":true," + columns + "}";
    }

    private static String stix(String pattern, String more) {
        return "{\"type\":\"indicator\",\"id\":\"indicator--s\","
                + "\"modified\":\"2026-11-27T10:00:00Z\",\"valid_from\":\"2026-11-27T09:00:00Z\","
                + "\"pattern\":\""
                + pattern
                + "\""
                + more
                + "}";
    }

    // ------------------------------------------------------------------ legacy rows (SPEC 1)

    @Test
    void legacyRowGetsItsCanonicalIp() {
        Indicator v = one(legacy("\"NetworkIP\":\" 2001:DB8::1 \",\"Active\":true"));
        assertThat(v.ip).isEqualTo("2001:db8::1");
        assertThat(v.shape).isEqualTo(Indicator.LEGACY);
        assertThat(v.networkIp).isEqualTo(" 2001:DB8::1 ");
        assertThat(v.targets).isNull();
    }

    @Test
    void legacyRowWithACidrValueIsARange() {
        assertThat(one(legacy("\"NetworkSourceIP\":\"198.51.100.7/24\"")).ip)
                .isEqualTo("198.51.100.0/24");
        assertThat(one(legacy("\"NetworkIP\":\"203.0.113.5/32\"")).ip).isEqualTo("203.0.113.5");
    }

    @Test
    void networkCidrBlockIsTheLastColumn() {
        Indicator v = one(legacy("\"NetworkIP\":\"\",\"NetworkCidrBlock\":\"198.51.100.0/24\""));
        assertThat(v.ip).isEqualTo("198.51.100.0/24");
        assertThat(
                        one(legacy(
                                        "\"EmailSourceIpAddress\":\"203.0.113.9\",\"NetworkCidrBlock\":\"198.51.100.0/24\""))
                                .ip)
                .isEqualTo("203.0.113.9");
        assertThat(one(legacy("\"NetworkCidrBlock\":\"203.0.113.9\"")).ip).isEqualTo("203.0.113.9");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'' | no_ip",
                "\"NetworkIP\":\" \",\"NetworkCidrBlock\":null | no_ip",
                "\"NetworkIP\":\"x\" | not_an_ip",
                "\"NetworkCidrBlock\":\"198.51.100.0/33\" | not_an_ip",
                "\"NetworkIP\":\"10.0.0.1\" | excluded_ip",
                "\"NetworkCidrBlock\":\"10.1.0.0/16\" | excluded_ip",
                "\"NetworkCidrBlock\":\"4.0.0.0/6\" | range_too_broad",
            })
    void legacyRowWithoutAUsableIpIsSkipped(String columns, String expected) {
        assertThat(reason(legacy(columns))).isEqualTo(expected);
    }

    // ------------------------------------------------------- ThreatIntelIndicators rows (6.2)

    @Test
    void tiRowGivesOneVersionForItsObservableValue() {
        Indicator v =
                one(
                        tiRow(
                                "\"ObservableKey\":\"network-traffic:dst_ref.value\","
                                        + "\"ObservableValue\":\"2001:DB8::7\""));
        assertThat(v.shape).isEqualTo(Indicator.TI_ROW);
        assertThat(v.ip).isEqualTo("2001:db8::7");
        assertThat(v.networkSourceIp).isEqualTo("2001:DB8::7");
        assertThat(v.timelineKey()).isEqualTo("indicator--t\u00012001:db8::7");
        assertThat(v.targets).isNull();
    }

    @Test
    void tiRowWithARangeValueIsARange() {
        assertThat(
                        one(tiRow(
                                        "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"198.51.100.9/24\""))
                                .ip)
                .isEqualTo("198.51.100.0/24");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"ObservableKey\":\"url:value\",\"ObservableValue\":\"http://x\" | not_ip_type",
                "\"ObservableKey\":\"domain-name:value\",\"ObservableValue\":\"1.2.3.4\" | not_ip_type",
                "\"ObservableKey\":\"\",\"ObservableValue\":\"203.0.113.5\" | not_ip_type",
                "\"ObservableValue\":\"203.0.113.5\" | not_ip_type",
                "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\" \" | no_ip",
                "\"ObservableKey\":\"ipv4-addr:value\" | no_ip",
                "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"evil\" | not_an_ip",
                "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"192.168.1.1\" | excluded_ip",
                "\"ObservableKey\":\"ipv6-addr:value\",\"ObservableValue\":\"2001::/16\" | range_too_broad",
                "\"ObservableKey\":null,\"ObservableValue\":\"\",\"Pattern\":\" \" | no_ip",
                "\"Confidence\":5 | no_ip",
            })
    void tiRowWithoutAUsableIpIsSkipped(String columns, String expected) {
        assertThat(reason(tiRow(columns))).isEqualTo(expected);
    }

    @Test
    void tiRowWithAKeyIgnoresItsPattern() {
        Indicator v =
                one(
                        tiRow(
                                "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"203.0.113.5\","
                                        + "\"Pattern\":\"[ipv4-addr:value = '198.51.100.1']\""));
        assertThat(v.ip).isEqualTo("203.0.113.5");
    }

    @Test
    void tiRowWithPatternOnlyGivesOneVersionPerTarget() {
        Outcome o =
                check(
                        tiRow(
                                "\"ObservableKey\":\"\",\"ObservableValue\":null,\"Confidence\":70,"
                                        + "\"Pattern\":\"[ipv4-addr:value = '203.0.113.5'"
                                        + " OR ipv4-addr:value = '198.51.100.7/24']"
                                        + " OR [ipv4-addr:value = '203.0.113.5/32']"
                                        + " OR [ipv6-addr:value = '2001:DB8::1']\""));
        assertThat(o.reason).isNull();
        assertThat(o.versions)
                .extracting(v -> v.ip)
                .containsExactly("203.0.113.5", "198.51.100.0/24", "2001:db8::1");
        assertThat(o.versions)
                .extracting(v -> v.networkSourceIp)
                .containsExactly("203.0.113.5", "198.51.100.7/24", "2001:DB8::1");
        assertThat(o.versions).extracting(Indicator::timelineKey).doesNotHaveDuplicates();
        assertThat(o.versions)
                .allSatisfy(
                        v -> {
                            assertThat(v.indicatorId).isEqualTo("indicator--t");
                            assertThat(v.shape).isEqualTo(Indicator.TI_ROW);
                            assertThat(v.confidenceScore).isEqualTo("70");
                            assertThat(v.active).isTrue();
                            assertThat(v.targets).isNull();
                        });
        // each version is its own object
        assertThat(o.versions.get(0)).isNotSameAs(o.versions.get(1));
    }

    @Test
    void tiRowWithPatternDropsExcludedAndTooBroadValuesOneByOne() {
        Outcome o =
                check(
                        tiRow(
                                "\"Pattern\":\"[ipv4-addr:value = '10.0.0.1' OR ipv4-addr:value = '1.0.0.0/4'"
                                        + " OR ipv4-addr:value = '203.0.113.5']\""));
        assertThat(o.versions).extracting(v -> v.ip).containsExactly("203.0.113.5");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[ipv4-addr:value = '10.0.0.1' OR ipv4-addr:value = '1.0.0.0/4'] | excluded_ip",
                "[ipv4-addr:value = '1.0.0.0/4' OR ipv4-addr:value = '10.0.0.1'] | range_too_broad",
                "[ipv4-addr:value = '203.0.113.5' OR ipv4-addr:value = 'evil'] | not_an_ip",
                "[domain-name:value = 'evil.example'] | not_ip_type",
                "[ipv4-addr:value = '203.0.113.5'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.6'] | unsupported_pattern",
                "[ipv4-addr:value = '203.0.113.5' | unsupported_pattern",
            })
    void tiRowWithPatternOnlyAndNoUsableValueIsSkipped(String pattern, String expected) {
        assertThat(reason(tiRow("\"Pattern\":\"" + pattern + "\""))).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ STIX objects (6.3)

    @Test
    void stixObjectGivesOneVersionWithEveryTarget() {
        Indicator v =
                one(
                        stix(
                                "[ipv4-addr:value = '198.51.100.7/24' OR ipv4-addr:value = '203.0.113.5']"
                                        + " OR [ipv4-addr:value = '198.51.100.0/24']"
                                        + " OR [network-traffic:dst_ref.value = '2001:DB8::1']",
                                ",\"pattern_type\":\"stix\""));
        assertThat(v.shape).isEqualTo(Indicator.STIX);
        assertThat(v.targets).containsExactly("198.51.100.0/24", "203.0.113.5", "2001:db8::1");
        assertThat(v.targetsAsWritten)
                .containsExactly("198.51.100.7/24", "203.0.113.5", "2001:DB8::1");
        assertThat(v.ip).isEqualTo("198.51.100.0/24");
        assertThat(v.networkSourceIp).isEqualTo("198.51.100.7/24");
        assertThat(v.targetList()).containsExactly(v.targets);
        assertThat(v.timelineKey()).isEqualTo("indicator--s");
    }

    @Test
    void singleTargetStixObjectHasItsTargetsSet() {
        Indicator v = one(stix("[ipv4-addr:value = '203.0.113.5']", ""));
        assertThat(v.targets).containsExactly("203.0.113.5");
        assertThat(v.targetsAsWritten).containsExactly("203.0.113.5");
        assertThat(v.ip).isEqualTo("203.0.113.5");
    }

    @Test
    void stixObjectDropsExcludedAndTooBroadValuesOneByOne() {
        Indicator v =
                one(
                        stix(
                                "[ipv4-addr:value = '192.168.0.1'] OR [ipv6-addr:value = '2001::/16']"
                                        + " OR [ipv4-addr:value = '203.0.113.5']",
                                ""));
        assertThat(v.targets).containsExactly("203.0.113.5");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[ipv4-addr:value = '192.168.0.1'] OR [ipv6-addr:value = '2001::/16'] | excluded_ip",
                "[ipv6-addr:value = '2001::/16'] OR [ipv4-addr:value = '192.168.0.1'] | range_too_broad",
                "[ipv4-addr:value = '203.0.113.5'] OR [ipv4-addr:value = '203.0.113.500'] | not_an_ip",
                "[file:hashes.MD5 = 'abc'] | not_ip_type",
                "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = '1.2.3.4'] | not_ip_type",
                "[ipv4-addr:value != '203.0.113.5'] | unsupported_pattern",
                "[ipv4-addr:value = '203.0.113.5'] WITHIN 5 SECONDS | unsupported_pattern",
                "not a pattern | unsupported_pattern",
            })
    void stixObjectWithoutAUsableValueIsSkipped(String pattern, String expected) {
        assertThat(reason(stix(pattern, ""))).isEqualTo(expected);
    }

    @Test
    void stixObjectWithoutAPatternIsUnsupported() {
        assertThat(
                        reason(
                                "{\"type\":\"indicator\",\"id\":\"x\","
                                        + "\"created\":\"2026-11-27T10:00:00Z\"}"))
                .isEqualTo("unsupported_pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"sigma\"", "\"STIX\"", "\"\"", "7"})
    void stixObjectWithAnotherPatternTypeIsSkipped(String type) {
        assertThat(reason(stix("[ipv4-addr:value = '203.0.113.5']", ",\"pattern_type\":" + type)))
                .isEqualTo("pattern_type");
    }

    @Test
    void stixObjectWithoutPatternTypeIsStix() {
        assertThat(one(stix("[ipv4-addr:value = '203.0.113.5']", ",\"pattern_type\":null")).ip)
                .isEqualTo("203.0.113.5");
    }

    // ------------------------------------------------------------------ the copy

    @Test
    void copyOfCopiesEveryField() throws Exception {
        Indicator i = new Indicator();
        int n = 0;
        for (Field f : Indicator.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            n++;
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(i, "v" + n);
            } else if (t == long.class) {
                f.setLong(i, 1000L + n);
            } else if (t == int.class) {
                f.setInt(i, n);
            } else if (t == boolean.class) {
                f.setBoolean(i, true);
            } else if (t == String[].class) {
                f.set(i, new String[] {"a" + n, "b" + n});
            } else {
                throw new AssertionError("a field copyOf does not know: " + f);
            }
        }
        Indicator c = IndicatorChecks.copyOf(i);
        for (Field f : Indicator.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertThat(f.get(c)).as(f.getName()).isEqualTo(f.get(i));
            }
        }
        assertThat(c.targets).isNotSameAs(i.targets);
    }
}

package io.tiflink.vmconn.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.rows.TargetRules.Targets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 1.2, 1.3 and 6.4a-b: values to canonical targets, or the reason none is usable. */
class TargetRulesTest {

    private static final TargetRules DEFAULTS = new TargetRules(IpExclusions.defaults(), 8, 32);

    private static String one(TargetRules rules, String value) {
        Targets t = rules.resolve(List.of(value));
        if (t.reason != null) {
            assertThat(t.canonical).isNull();
            return t.reason;
        }
        assertThat(t.canonical).hasSize(1);
        assertThat(t.asWritten).containsExactly(value);
        return t.canonical[0];
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.5, 203.0.113.5",
        "' 2001:DB8::5 ', 2001:db8::5",
        "::ffff:203.0.113.5, 203.0.113.5",
        "198.51.100.7/24, 198.51.100.0/24",
        "2001:db8:1::/48, 2001:db8:1::/48",
    })
    void valueIsCanonicalised(String value, String target) {
        assertThat(one(DEFAULTS, value)).isEqualTo(target);
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.5/32, 203.0.113.5", "2001:db8::5/128, 2001:db8::5"})
    void slash32IsAnAddress(String value, String target) {
        assertThat(one(DEFAULTS, value)).isEqualTo(target);
        // an address is excluded as an address: 10.0.0.1/32 is in 10.0.0.0/8
        assertThat(one(DEFAULTS, "10.0.0.1/32")).isEqualTo("excluded_ip");
    }

    @ParameterizedTest
    @CsvSource({
        "::ffff:198.51.100.0/120, 198.51.100.0/24",
        "::ffff:198.51.100.77/127, 198.51.100.76/31",
        "::ffff:198.51.100.77/128, 198.51.100.77",
    })
    void ipv4MappedRangeIsAnIpv4Range(String value, String target) {
        assertThat(one(DEFAULTS, value)).isEqualTo(target);
        // and is judged as IPv4: ::ffff:0.0.0.0/100 is 0.0.0.0/4, broader than /8
        assertThat(one(DEFAULTS, "::ffff:0.0.0.0/100")).isEqualTo("range_too_broad");
    }

    @ParameterizedTest
    @CsvSource({
        "1.0.0.0/7, 8, 32, range_too_broad",
        "1.0.0.0/8, 8, 32, 1.0.0.0/8",
        "198.51.0.0/15, 16, 32, range_too_broad",
        "198.51.0.0/16, 16, 32, 198.51.0.0/16",
        "2001:db8::/31, 8, 32, range_too_broad",
        "2001:db8::/32, 8, 32, 2001:db8::/32",
        "2001:db8::/47, 8, 48, range_too_broad",
        "2001:db8::/0, 8, 24, range_too_broad",
        "203.0.113.5, 32, 128, 203.0.113.5",
        "2001:db8::5, 32, 128, 2001:db8::5",
    })
    void rangeShorterThanTheSettingIsTooBroad(String value, int v4, int v6, String expected) {
        assertThat(one(new TargetRules(IpExclusions.defaults(), v4, v6), value))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.0.0/16, excluded_ip",
        "172.16.0.0/12, excluded_ip",
        "192.168.7.0/24, excluded_ip",
        "fe80::/64, excluded_ip",
        "fd12:3456::/32, excluded_ip",
        "::/100, excluded_ip",
        "10.0.0.1, excluded_ip",
        "fe80::1, excluded_ip",
    })
    void rangeWhollyInsideExcludedRangesIsExcluded(String value, String expected) {
        assertThat(one(DEFAULTS, value)).isEqualTo(expected);
    }

    @Test
    void rangePartlyExcludedIsKept() {
        // 172.0.0.0/8 holds 172.16.0.0/12; the matcher leaves its excluded addresses out
        assertThat(one(DEFAULTS, "172.0.0.0/8")).isEqualTo("172.0.0.0/8");
        assertThat(one(DEFAULTS, "192.168.0.0/15")).isEqualTo("192.168.0.0/15");
    }

    @Test
    void rangeWhollyInsideExtraExcludedRangesTakenTogetherIsExcluded() {
        TargetRules extra =
                new TargetRules(
                        IpExclusions.defaults()
                                .withExtra(List.of("100.64.0.0/11", "100.96.0.0/11")),
                        8,
                        32);
        assertThat(one(extra, "100.64.0.0/10")).isEqualTo("excluded_ip");
        assertThat(one(extra, "100.100.1.1")).isEqualTo("excluded_ip");
        assertThat(one(DEFAULTS, "100.64.0.0/10")).isEqualTo("100.64.0.0/10");
    }

    @Test
    void tooBroadIsJudgedBeforeExcluded() {
        // 10.0.0.0/7 is broader than /8; 10.0.0.0/8 wholly excluded
        assertThat(
                        one(
                                new TargetRules(
                                        IpExclusions.defaults().withExtra(List.of("11.0.0.0/8")),
                                        8,
                                        32),
                                "10.0.0.0/7"))
                .isEqualTo("range_too_broad");
        assertThat(one(new TargetRules(IpExclusions.defaults(), 16, 32), "10.0.0.0/8"))
                .isEqualTo("range_too_broad");
    }

    @ParameterizedTest
    @CsvSource({"evil.example", "1.2.3.0/33", "1.2.3.0 /24", "''", "1.2.3.4.5"})
    void valueThatIsNeitherAnAddressNorARangeIsNotAnIp(String value) {
        assertThat(one(DEFAULTS, value)).isEqualTo("not_an_ip");
    }

    @Test
    void severalValuesGiveDistinctTargetsInOrderWithTheirFirstSpelling() {
        Targets t =
                DEFAULTS.resolve(
                        List.of(
                                "203.0.113.5",
                                "198.51.100.7/24",
                                " 203.0.113.5",
                                "10.0.0.1",
                                "198.51.100.0/24",
                                "2001:DB8::1"));
        assertThat(t.reason).isNull();
        assertThat(t.canonical).containsExactly("203.0.113.5", "198.51.100.0/24", "2001:db8::1");
        assertThat(t.asWritten).containsExactly("203.0.113.5", "198.51.100.7/24", "2001:DB8::1");
    }

    @Test
    void oneUnreadableValueMakesAllUnusable() {
        assertThat(DEFAULTS.resolve(List.of("203.0.113.5", "evil.example")).reason)
                .isEqualTo("not_an_ip");
        assertThat(DEFAULTS.resolve(List.of("1.0.0.0/4", "10.0.0.1", "nope")).reason)
                .isEqualTo("not_an_ip");
    }

    @Test
    void whenEveryValueIsDroppedTheReasonIsThatOfTheFirst() {
        assertThat(DEFAULTS.resolve(List.of("10.0.0.1", "1.0.0.0/4")).reason)
                .isEqualTo("excluded_ip");
        assertThat(DEFAULTS.resolve(List.of("1.0.0.0/4", "10.0.0.1")).reason)
                .isEqualTo("range_too_broad");
        Targets some = DEFAULTS.resolve(List.of("1.0.0.0/4", "10.0.0.1", "203.0.113.5"));
        assertThat(some.reason).isNull();
        assertThat(some.canonical).containsExactly("203.0.113.5");
    }
}

package io.tiflink.vmconn.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 6.4b: a range wholly inside the excluded ranges, taken together. */
class IpExclusionsCoverageTest {

    private static final IpExclusions DEFAULTS = IpExclusions.defaults();

    private static boolean covered(IpExclusions e, String range) {
        return e.coversWholly(IpRange.parse(range));
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, true",
        "10.1.0.0/16, true",
        "10.1.2.3/32, true",
        "172.16.0.0/12, true",
        "172.20.0.0/14, true",
        "172.16.0.0/11, false",
        "192.168.1.0/24, true",
        "192.168.0.0/15, false",
        "127.0.0.0/8, true",
        "8.0.0.0/6, false",
        "198.51.100.0/24, false",
        "fe80::/10, true",
        "fe80::/16, true",
        "fe80::/9, false",
        "fc00::/7, true",
        "fd00::/8, true",
        "::/96, true",
        "::/95, false",
        "2001:db8::/32, false",
    })
    void rangeWhollyInsideOneExcludedRangeIsCovered(String range, boolean expected) {
        assertThat(covered(DEFAULTS, range)).as(range).isEqualTo(expected);
    }

    @Test
    void rangeCoveredBySeveralExcludedRangesTogetherIsCovered() {
        IpExclusions e = DEFAULTS.withExtra(List.of("100.64.0.0/11", "100.96.0.0/11"));
        assertThat(covered(e, "100.64.0.0/10")).isTrue();
        assertThat(covered(e, "100.64.0.0/9")).isFalse();
        IpExclusions quarters =
                DEFAULTS.withExtra(
                        List.of(
                                "203.0.113.0/26",
                                "203.0.113.64/26",
                                "203.0.113.128/25",
                                "2001:db8::/33",
                                "2001:db8:8000::/33"));
        assertThat(covered(quarters, "203.0.113.0/24")).isTrue();
        assertThat(covered(quarters, "2001:db8::/32")).isTrue();
        IpExclusions gap = DEFAULTS.withExtra(List.of("203.0.113.0/26", "203.0.113.128/25"));
        assertThat(covered(gap, "203.0.113.0/24")).isFalse();
        assertThat(covered(gap, "203.0.113.0/25")).isFalse();
        assertThat(covered(gap, "203.0.113.128/26")).isTrue();
    }

    @Test
    void adjacentDefaultsDoNotCoverTheGapBetweenThem() {
        // 172.16.0.0/12 and 192.168.0.0/16 are far apart; 10/8 and 11/8 would be adjacent
        assertThat(covered(DEFAULTS, "10.0.0.0/7")).isFalse();
        assertThat(covered(DEFAULTS.withExtra(List.of("11.0.0.0/8")), "10.0.0.0/7")).isTrue();
    }

    @Test
    void anIpv4RangeIsJudgedAgainstIpv4ExclusionsAndAnIpv6RangeAgainstIpv6Ones() {
        // ::/64 holds ::ffff:0:0/96, the IPv4-mapped space, but an IPv4 range is not in it
        IpExclusions v6Wide = DEFAULTS.withExtra(List.of("::/64"));
        assertThat(covered(v6Wide, "198.51.100.0/24")).isFalse();
        assertThat(covered(v6Wide, "::/80")).isTrue();
        // the IPv4-mapped half of ::fffe:0:0/95 is never covered by IPv4 exclusions
        IpExclusions all4 = DEFAULTS.withExtra(List.of("0.0.0.0/0", "::fffe:0:0/96"));
        assertThat(covered(all4, "198.51.100.0/24")).isTrue();
        assertThat(covered(all4, "::fffe:0:0/95")).isFalse();
    }

    @Test
    void singleAddressesAreCoveredAsTheyAreExcluded() {
        for (String ip : List.of("10.0.0.1", "198.51.100.1", "fe80::1", "2001:db8::1", "::1")) {
            assertThat(DEFAULTS.coversWholly(IpRange.parse(ip)))
                    .as(ip)
                    .isEqualTo(DEFAULTS.isExcluded(IpAddress.parse(ip)));
        }
        assertThat(DEFAULTS.coversWholly(null)).isFalse();
    }

    @Test
    void everyDepthIsSplitCorrectly() {
        // a range covered by its 2^k pieces, for pieces down to /128 and up from /1
        for (int prefix : new int[] {1, 31, 32, 33, 63, 64, 65, 95, 96, 127}) {
            String left = "8000::/" + (prefix + 1);
            IpRange whole = IpRange.parse("8000::/" + prefix);
            IpRange l = IpRange.parse(left);
            // the right half: network with bit `prefix` set
            IpAddress n = whole.network();
            long high = n.high();
            long low = n.low();
            if (prefix < 64) {
                high |= 1L << (63 - prefix);
            } else {
                low |= 1L << (127 - prefix);
            }
            String right = IpAddress.of(high, low).canonical() + "/" + (prefix + 1);
            IpExclusions e = IpExclusions.defaults().withExtra(List.of(l.toString(), right));
            assertThat(e.coversWholly(whole)).as(whole + " = " + l + " + " + right).isTrue();
            IpExclusions half = IpExclusions.defaults().withExtra(List.of(right));
            assertThat(half.coversWholly(whole)).as(whole + " without " + l).isFalse();
        }
    }
}

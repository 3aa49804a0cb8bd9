package io.tiflink.vmconn.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpExclusionsTest {

    private static final IpExclusions DEFAULTS = IpExclusions.defaults();

    private static boolean excluded(IpExclusions exclusions, String ip) {
        IpAddress address = IpAddress.parse(ip);
        assertThat(address).as(ip).isNotNull();
        return exclusions.isExcluded(address);
    }

    @ParameterizedTest
    @CsvSource({
        "9.255.255.255, false",
        "10.0.0.0, true",
        "10.1.2.3, true",
        "10.255.255.255, true",
        "11.0.0.0, false",
        "172.15.255.255, false",
        "172.16.0.0, true",
        "172.20.1.1, true",
        "172.31.255.255, true",
        "172.32.0.0, false",
        "192.167.255.255, false",
        "192.168.0.0, true",
        "192.168.255.255, true",
        "192.169.0.0, false",
    })
    void privateRangesAreExcludedExactlyAsKqlIpv4IsPrivate(String ip, boolean expected) {
        assertThat(excluded(DEFAULTS, ip)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "126.255.255.255, false",
        "127.0.0.0, true",
        "127.0.0.1, true",
        "127.255.255.255, true",
        "128.0.0.0, false",
    })
    void ipv4LoopbackIsExcluded(String ip, boolean expected) {
        assertThat(excluded(DEFAULTS, ip)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "0.0.0.0",
                "255.255.255.255",
                "100.64.0.1",
                "169.254.1.1",
                "224.0.0.1"
            })
    void publicAndNonDefaultIpv4IsNotExcluded(String ip) {
        assertThat(excluded(DEFAULTS, ip)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "fe80::1, true",
        "fe80::abcd:1234, true",
        "febf:ffff::1, true",
        "febf::1, true",
        "fe7f::1, false",
        "fec0::1, false",
        "::1, true",
        "::, true",
        "::1.2.3.4, true",
        "::ffff:ffff, true",
        "::1:0:0, false",
        "fd00::1, true",
        "fc00::1, true",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "fbff::1, false",
        "fe00::1, false",
        "2001:db8::1, false",
        "2606:4700:4700::1111, false",
        "64:ff9b::a00:1, false",
    })
    void ipv6DefaultExclusions(String ip, boolean expected) {
        assertThat(excluded(DEFAULTS, ip)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "::ffff:10.1.2.3, true",
        "::ffff:127.0.0.1, true",
        "0:0:0:0:0:FFFF:AC10:0001, true",
        "::ffff:172.32.0.0, false",
        "::ffff:8.8.8.8, false",
    })
    void ipv4MappedAddressIsJudgedAsTheIpv4Address(String ip, boolean expected) {
        assertThat(excluded(DEFAULTS, ip)).isEqualTo(expected);
    }

    @Test
    void nullIsNotExcluded() {
        assertThat(DEFAULTS.isExcluded(null)).isFalse();
    }

    @Test
    void defaultRangesAreListedInCanonicalCidrText() {
        assertThat(DEFAULTS.ranges())
                .containsExactly(
                        "10.0.0.0/8",
                        "172.16.0.0/12",
                        "192.168.0.0/16",
                        "127.0.0.0/8",
                        "fe80::/10",
                        "::/96",
                        "fc00::/7");
    }

    @Test
    void extraRangesAddToDefaults() {
        IpExclusions withExtra =
                DEFAULTS.withExtra(List.of("100.64.0.0/10", "169.254.0.0/16", "2001:DB8::/32"));

        assertThat(excluded(withExtra, "100.64.0.0")).isTrue();
        assertThat(excluded(withExtra, "100.127.255.255")).isTrue();
        assertThat(excluded(withExtra, "100.128.0.0")).isFalse();
        assertThat(excluded(withExtra, "169.254.169.254")).isTrue();
        assertThat(excluded(withExtra, "2001:db8::1")).isTrue();
        assertThat(excluded(withExtra, "2001:db9::1")).isFalse();
        // The defaults still apply.
        assertThat(excluded(withExtra, "10.1.2.3")).isTrue();
        assertThat(excluded(withExtra, "fe80::1")).isTrue();
        assertThat(excluded(withExtra, "8.8.8.8")).isFalse();

        List<String> expected = new ArrayList<>(DEFAULTS.ranges());
        expected.addAll(List.of("100.64.0.0/10", "169.254.0.0/16", "2001:db8::/32"));
        assertThat(withExtra.ranges()).containsExactlyElementsOf(expected);
    }

    @Test
    void extraRangesDoNotChangeTheDefaults() {
        DEFAULTS.withExtra(List.of("100.64.0.0/10"));

        assertThat(IpExclusions.defaults().ranges()).hasSize(7);
        assertThat(excluded(IpExclusions.defaults(), "100.64.0.1")).isFalse();
    }

    @Test
    void defaultsAreNeverNarrowed() {
        // A narrower extra range (already covered) cannot take anything away.
        IpExclusions withExtra = DEFAULTS.withExtra(List.of("10.1.0.0/16", "fe80::/64"));

        assertThat(excluded(withExtra, "10.2.0.1")).isTrue();
        assertThat(excluded(withExtra, "fe80:0:0:1::1")).isTrue();
    }

    @Test
    void repeatedRangesAreListedOnce() {
        IpExclusions withExtra =
                DEFAULTS.withExtra(
                        List.of("10.0.0.0/8", " 10.9.9.9/8 ", "169.254.0.0/16", "169.254.0.0/16"));

        assertThat(withExtra.ranges())
                .containsExactlyElementsOf(concat(DEFAULTS.ranges(), List.of("169.254.0.0/16")));
    }

    @Test
    void emptyOrNullExtraChangesNothing() {
        assertThat(DEFAULTS.withExtra(List.of())).isSameAs(DEFAULTS);
        assertThat(DEFAULTS.withExtra(null)).isSameAs(DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0/33",
                "nonsense",
                "1.2.3.4/",
                "/8",
                "2001:db8::/129",
                "1.2.3.0/-1",
                "1.2.3.0/+8",
                "1.2.3.0/8/8",
                "1.2.3/24",
                "",
                " ",
                "1.2.3.0 /24",
                "1.2.3.0/ 24",
                "fe80::1%eth0/64",
                "example.com/24",
                "1.2.3.0/1000",
                "1.2.3.0/x"
            })
    void badExtraCidrIsRejectedNamingTheText(String cidr) {
        assertThatThrownBy(() -> DEFAULTS.withExtra(List.of("100.64.0.0/10", cidr)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + cidr + "'");
    }

    @Test
    void nullExtraCidrIsRejected() {
        assertThatThrownBy(() -> DEFAULTS.withExtra(Arrays.asList("100.64.0.0/10", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.1.2.3/8, 10.0.0.0/8",
        "1.2.3.4, 1.2.3.4/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "' 192.168.0.0/16 ', 192.168.0.0/16",
        "2001:DB8::1, 2001:db8::1/128",
        "2001:db8:0:0:0:0:0:0/32, 2001:db8::/32",
        "fe80::1/10, fe80::/10",
        "::/0, ::/0",
        "::ffff:10.0.0.0/104, 10.0.0.0/8",
        "::ffff:1.2.3.4, 1.2.3.4/32",
    })
    void rangeTextIsCanonicalCidr(String cidr, String canonical) {
        assertThat(IpRange.parse(cidr)).hasToString(canonical);
    }

    @Test
    void ipv4RangeContainsOnlyIpv4Addresses() {
        IpRange everyIpv4 = IpRange.parse("0.0.0.0/0");

        assertThat(everyIpv4.isV4()).isTrue();
        assertThat(everyIpv4.contains(IpAddress.parse("255.255.255.255"))).isTrue();
        assertThat(everyIpv4.contains(IpAddress.parse("::ffff:8.8.8.8"))).isTrue();
        assertThat(everyIpv4.contains(IpAddress.parse("::1.2.3.4"))).isFalse();
        assertThat(everyIpv4.contains(IpAddress.parse("::1"))).isFalse();
        assertThat(everyIpv4.contains(IpAddress.parse("2001:db8::1"))).isFalse();
        assertThat(everyIpv4.contains(null)).isFalse();
    }

    @Test
    void ipv6RangeBoundaries() {
        IpRange range = IpRange.parse("2001:db8::/127");

        assertThat(range.isV4()).isFalse();
        assertThat(range.contains(IpAddress.parse("2001:db8::"))).isTrue();
        assertThat(range.contains(IpAddress.parse("2001:db8::1"))).isTrue();
        assertThat(range.contains(IpAddress.parse("2001:db8::2"))).isFalse();
        assertThat(IpRange.parse("::/0").contains(IpAddress.parse("1.2.3.4"))).isTrue();
        assertThat(IpRange.parse("8000::/1").contains(IpAddress.parse("ffff::"))).isTrue();
        assertThat(IpRange.parse("8000::/1").contains(IpAddress.parse("7fff::"))).isFalse();
        IpRange upperHalf = IpRange.parse("::8000:0:0:0/65");
        assertThat(upperHalf.contains(IpAddress.parse("::8000:0:0:1"))).isTrue();
        assertThat(upperHalf.contains(IpAddress.parse("::7fff:0:0:1"))).isFalse();
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        IpExclusions exclusions = DEFAULTS.withExtra(List.of("100.64.0.0/10"));

        IpExclusions copy = roundTrip(exclusions);

        assertThat(copy).isEqualTo(exclusions);
        assertThat(copy.ranges()).isEqualTo(exclusions.ranges());
        assertThat(excluded(copy, "100.64.0.1")).isTrue();
        assertThat(excluded(copy, "fd00::1")).isTrue();
        assertThat(excluded(copy, "8.8.8.8")).isFalse();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            T copy = (T) in.readObject();
            return copy;
        }
    }
}

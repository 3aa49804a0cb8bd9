package io.tiflink.vmconn.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 1.2, 6.4a: an indicator value read as an address or a range, and its canonical text. */
class IpRangeValueTest {

    private static String target(String value) {
        IpRange r = IpRange.parseValue(value);
        assertThat(r).as(value).isNotNull();
        return r.canonicalTarget();
    }

    @ParameterizedTest
    @CsvSource({
        "198.51.100.0/24, 198.51.100.0/24",
        "198.51.100.7/24, 198.51.100.0/24",
        "' 198.51.100.7/24 ', 198.51.100.0/24",
        "198.51.100.7/0, 0.0.0.0/0",
        "2001:DB8::1/32, 2001:db8::/32",
        "2001:0db8:0000::/48, 2001:db8::/48",
        "1.2.3.4/024, 1.2.3.0/24",
    })
    void cidrTextIsARangeWithHostBitsClearedInCanonicalForm(String value, String expected) {
        assertThat(target(value)).isEqualTo(expected);
        assertThat(IpRange.parseValue(value).isAddress()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "198.51.100.7/32, 198.51.100.7",
        "2001:db8::1/128, 2001:db8::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "::ffff:198.51.100.7/128, 198.51.100.7",
        "::ffff:198.51.100.7, 198.51.100.7",
        "' 203.0.113.5 ', 203.0.113.5",
    })
    void slash32AndSlash128AreAddresses(String value, String expected) {
        IpRange r = IpRange.parseValue(value);
        assertThat(r.isAddress()).isTrue();
        assertThat(r.canonicalTarget()).isEqualTo(expected);
        assertThat(r.network().canonical()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "::ffff:198.51.100.0/120, 198.51.100.0/24, 24",
        "::ffff:198.51.100.7/96, 0.0.0.0/0, 0",
        "::ffff:10.0.0.0/104, 10.0.0.0/8, 8",
    })
    void ipv4MappedRangeIsAnIpv4Range(String value, String expected, int prefix) {
        IpRange r = IpRange.parseValue(value);
        assertThat(r.isV4()).isTrue();
        assertThat(r.prefixLength()).isEqualTo(prefix);
        assertThat(r.canonicalTarget()).isEqualTo(expected);
    }

    @Test
    void ipv4MappedTextWithAPrefixUnder96IsAnIpv6Range() {
        IpRange r = IpRange.parseValue("::ffff:198.51.100.7/64");
        assertThat(r.isV4()).isFalse();
        assertThat(r.prefixLength()).isEqualTo(64);
        assertThat(r.canonicalTarget()).isEqualTo("::/64");
    }

    @Test
    void prefixLengthIsThatOfTheFamily() {
        assertThat(IpRange.parseValue("198.51.100.0/24").prefixLength()).isEqualTo(24);
        assertThat(IpRange.parseValue("198.51.100.1").prefixLength()).isEqualTo(32);
        assertThat(IpRange.parseValue("2001:db8::/32").prefixLength()).isEqualTo(32);
        assertThat(IpRange.parseValue("2001:db8::1").prefixLength()).isEqualTo(128);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "evil.example",
                "1.2.3.0/33",
                "2001:db8::/129",
                "1.2.3.0/",
                "/24",
                "1.2.3.0 /24",
                "1.2.3.0/ 24",
                "1.2.3.0/24/8",
                "1.2.3.0/-1",
                "1.2.3.0/0024",
                "1.2.3.0/2a",
                "1.2.3/24",
            })
    void textThatIsNeitherAnAddressNorARangeIsNull(String value) {
        assertThat(IpRange.parseValue(value)).isNull();
        assertThatThrownBy(() -> IpRange.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullIsNull() {
        assertThat(IpRange.parseValue(null)).isNull();
    }

    @Test
    void parseStillNamesWhatIsWrong() {
        assertThatThrownBy(() -> IpRange.parse("1.2.3.0/33"))
                .hasMessageContaining("prefix length must be a number from 0 to 32");
        assertThatThrownBy(() -> IpRange.parse("2001:db8::/200"))
                .hasMessageContaining("from 0 to 128");
        assertThatThrownBy(() -> IpRange.parse("x.y/8")).hasMessageContaining("'x.y' is not");
        assertThatThrownBy(() -> IpRange.parse(null)).hasMessageContaining("null");
    }
}

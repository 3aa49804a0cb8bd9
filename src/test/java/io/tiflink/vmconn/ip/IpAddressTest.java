package io.tiflink.vmconn.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @Test
    void parsesDottedQuad() {
        IpAddress ip = IpAddress.parse("192.168.1.20");

        assertThat(ip).isNotNull();
        assertThat(ip.isV4()).isTrue();
        assertThat(ip.canonical()).isEqualTo("192.168.1.20");
        assertThat(ip).hasToString("192.168.1.20");
    }

    @ParameterizedTest
    @CsvSource({
        "010.001.2.3, 10.1.2.3",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "000255.0.00.0001, 255.0.0.1",
    })
    void ipv4LeadingZerosAreReadAsDecimal(String text, String canonical) {
        assertThat(IpAddress.parse(text).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"  1.2.3.4\t", "\n1.2.3.4\r\n", "1.2.3.4 ", "\t \t1.2.3.4"})
    void surroundingWhiteSpaceIsIgnored(String text) {
        assertThat(IpAddress.parse(text)).isEqualTo(IpAddress.parse("1.2.3.4"));
    }

    @Test
    void surroundingWhiteSpaceIsIgnoredForIpv6() {
        assertThat(IpAddress.parse(" \t::1\n").canonical()).isEqualTo("::1");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t\n"})
    void nullEmptyAndBlankAreNotAddresses(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "256.1.1.1",
                "1.2.3.256",
                "1.2.3",
                "1.2.3.4.5",
                "1..2.3",
                ".1.2.3",
                "1.2.3.",
                "1.2.3.4.",
                "+1.2.3.4",
                "1.-2.3.4",
                "1.2.3.a",
                "1.2.3.0x1",
                "1. 2.3.4",
                "1.2.3.4 5",
                "1.2.3.4x",
                "1",
                "1234",
                "1.2.3.99999999999999999999",
                "１.2.3.4",
                "1,2,3,4"
            })
    void malformedIpv4IsNotAnAddress(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "example.com",
                "dns.google",
                "abcd",
                "cafe",
                "face.b00c",
                "ip6-localhost",
                "no-such-host.invalid"
            })
    void hostnameIsNotParsedAndNeverResolved(String text) {
        // "localhost" would resolve to 127.0.0.1 if a lookup were made; null proves none was.
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.0/24", "2001:db8::/32", "::/0", "10.0.0.0/8", "::1/128"})
    void cidrTextIsNotAnAddress(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fe80::1%eth0",
                "fe80::1%1",
                "[::1]",
                "[::1]:80",
                "::1]",
                "1.2.3.4:80",
                "[1.2.3.4]",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "::1:2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7",
                "1::2::3",
                "::1::",
                ":::",
                ":",
                ":1::",
                ":1:2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7:8:",
                "1::2:",
                "12345::",
                "::12345",
                "g::1",
                "0x1::",
                "1:2:3:4:5:6:7:1.2.3.4",
                "::1.2.3",
                "::1.2.3.256",
                "1.2.3.4::",
                "::1.2.3.4:5",
                "::1.2.3.4.5",
                "::ffff:1.2.3.4/96",
                ":: 1",
                "1 ::",
                "::-1",
                "::+1",
                "1:2:3:4:5:6:7:8 9",
                "::ab.1.2.3",
                "::1.2.3.4::"
            })
    void malformedIpv6IsNotAnAddress(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "'::', '::'",
        "'::1', '::1'",
        "'1::', '1::'",
        "'0:0:0:0:0:0:0:0', '::'",
        "'1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'",
        "'1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'",
        "'::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'",
        "'1:2:3::5:6:7:8', '1:2:3:0:5:6:7:8'",
        "'FE80::ABCD', 'fe80::abcd'",
        "'fE80:0000::00aB', 'fe80::ab'",
        "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'",
        "'64:ff9b::1.2.3.4', '64:ff9b::102:304'",
        "'::1.2.3.4', '::102:304'",
        "'1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'",
        "'::fffe:1.2.3.4', '::fffe:102:304'",
        "'1::ffff:1.2.3.4', '1::ffff:102:304'",
        "'::ffff:0:1.2.3.4', '::ffff:0:102:304'",
    })
    void ipv6FormsAreParsedAndPrintedCanonically(String text, String canonical) {
        IpAddress ip = IpAddress.parse(text);

        assertThat(ip).isNotNull();
        assertThat(ip.isV4()).isFalse();
        assertThat(ip.canonical()).isEqualTo(canonical);
        assertThat(IpAddress.parse(canonical)).isEqualTo(ip);
    }

    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:DB8::A, 2001:db8::a",
        "2001:db8::0:1, 2001:db8::1",
        "2001:db8::1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8::0001, 2001:db8::1",
        "2001:db8:0:0:0::1, 2001:db8::1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
    })
    void rfc5952Examples(String text, String canonical) {
        assertThat(IpAddress.parse(text).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "0:0:1:0:0:1:0:0, ::1:0:0:1:0:0",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "0:0:1:0:0:0:1:1, 0:0:1::1:1",
    })
    void longestZeroRunIsCompressedFirstOnTie(String text, String canonical) {
        assertThat(IpAddress.parse(text).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
        "0:1:2:3:4:5:6:7, 0:1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
    })
    void singleZeroGroupIsWrittenAsZeroNotCompressed(String text, String canonical) {
        assertThat(IpAddress.parse(text).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "::ffff:1.2.3.4",
                "0:0:0:0:0:FFFF:0102:0304",
                "::FFFF:102:304",
                "0000:0000:0000:0000:0000:ffff:1.2.3.4",
                "0::ffff:0102:0304",
                " ::ffff:001.002.003.004 "
            })
    void ipv4MappedIpv6BecomesIpv4(String text) {
        IpAddress ip = IpAddress.parse(text);

        assertThat(ip.isV4()).isTrue();
        assertThat(ip.canonical()).isEqualTo("1.2.3.4");
        assertThat(ip).isEqualTo(IpAddress.parse("1.2.3.4"));
        assertThat(ip.hashCode()).isEqualTo(IpAddress.parse("1.2.3.4").hashCode());
    }

    @Test
    void ipv4IsStoredAsItsIpv4MappedValue() {
        IpAddress ip = IpAddress.parse("1.2.3.4");

        assertThat(ip.high()).isZero();
        assertThat(ip.low()).isEqualTo(0x0000_ffff_0102_0304L);
        assertThat(IpAddress.parse("255.255.255.255").low()).isEqualTo(0x0000_ffff_ffff_ffffL);
    }

    @Test
    void ipv6ValueIsSplitIntoHighAndLow() {
        IpAddress ip = IpAddress.parse("2001:db8::1");
        assertThat(ip.high()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(ip.low()).isEqualTo(1L);

        IpAddress all = IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(all.high()).isEqualTo(-1L);
        assertThat(all.low()).isEqualTo(-1L);
    }

    @Test
    void differentSpellingsOfOneAddressAreEqual() {
        assertThat(IpAddress.parse("2001:DB8:0:0:0:0:0:1"))
                .isEqualTo(IpAddress.parse("2001:db8::0001"))
                .hasSameHashCodeAs(IpAddress.parse("2001:db8::1"));
        assertThat(IpAddress.parse("1.2.3.4")).isNotEqualTo(IpAddress.parse("::1.2.3.4"));
        assertThat(IpAddress.parse("1.2.3.4")).isNotEqualTo(IpAddress.parse("1.2.3.5"));
    }

    @Test
    void canonicalStringIsBuiltOnce() {
        IpAddress ip = IpAddress.parse("2001:db8::1");
        assertThat(ip.canonical()).isSameAs(ip.canonical());
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        for (String text : new String[] {"10.1.2.3", "2001:db8::1"}) {
            IpAddress ip = IpAddress.parse(text);
            ip.canonical();
            IpAddress copy = roundTrip(ip);
            assertThat(copy).isEqualTo(ip);
            assertThat(copy.canonical()).isEqualTo(text);
        }
    }

    @Test
    void randomIpv6ValuesAgreeWithTheJdkLiteralForm() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            // Sprinkle zero groups so that "::" compression gets exercised.
            for (int g = 0; g < 8; g++) {
                if (random.nextInt(3) == 0) {
                    bytes[2 * g] = 0;
                    bytes[2 * g + 1] = 0;
                }
            }
            long high = 0;
            long low = 0;
            for (int b = 0; b < 8; b++) {
                high = (high << 8) | (bytes[b] & 0xff);
                low = (low << 8) | (bytes[b + 8] & 0xff);
            }
            // getByAddress never does a lookup; its text is the uncompressed x:x:x:x:x:x:x:x form.
            String full = InetAddress.getByAddress(bytes).getHostAddress();

            IpAddress ip = IpAddress.parse(full);

            assertThat(ip).as(full).isNotNull();
            assertThat(ip.high()).as(full).isEqualTo(high);
            assertThat(ip.low()).as(full).isEqualTo(low);
            String canonical = ip.canonical();
            assertThat(canonical).as(full).isLowerCase().doesNotContain(":::");
            assertThat(canonical.indexOf("::")).as(full).isEqualTo(canonical.lastIndexOf("::"));
            assertThat(IpAddress.parse(canonical)).as(full).isEqualTo(ip);
            assertThat(IpAddress.parse(canonical.toUpperCase())).as(full).isEqualTo(ip);
        }
    }

    @Test
    void randomIpv4ValuesRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            int bits = random.nextInt();
            String text =
                    ((bits >>> 24) & 0xff)
                            + "."
                            + ((bits >>> 16) & 0xff)
                            + "."
                            + ((bits >>> 8) & 0xff)
                            + "."
                            + (bits & 0xff);

            IpAddress ip = IpAddress.parse(text);

            assertThat(ip.canonical()).isEqualTo(text);
            assertThat(ip.low()).isEqualTo(0x0000_ffff_0000_0000L | (bits & 0xffff_ffffL));
            assertThat(IpAddress.parse("::ffff:" + text)).isEqualTo(ip);
        }
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

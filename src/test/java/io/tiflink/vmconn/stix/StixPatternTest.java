package io.tiflink.vmconn.stix;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.stix.StixPattern.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 6.3b: which patterns give IPs, which give none, which are unsupported. */
class StixPatternTest {

    private static IpComparison v4(String value) {
        return new IpComparison("ipv4-addr:value", "=", value);
    }

    private static IpComparison dst(String value) {
        return new IpComparison("network-traffic:dst_ref.value", "=", value);
    }

    private static void assertIps(String pattern, IpComparison... expected) {
        StixPattern read = StixPattern.read(pattern);
        assertThat(read.kind()).as(read.toString()).isEqualTo(Kind.IPS);
        assertThat(read.values()).containsExactly(expected);
        assertThat(read.reason()).isNull();
    }

    @Test
    void singleIpv4ComparisonGivesItsAddress() {
        assertIps("[ipv4-addr:value = '203.0.113.5']", v4("203.0.113.5"));
    }

    @Test
    void ipv6ComparisonGivesItsAddress() {
        assertIps(
                "[ipv6-addr:value = '2001:db8::1']",
                new IpComparison("ipv6-addr:value", "=", "2001:db8::1"));
    }

    @Test
    void networkTrafficSourceAndDestinationAreIpPaths() {
        assertIps(
                "[network-traffic:src_ref.value = '198.51.100.7']"
                        + " OR [network-traffic:dst_ref.value = '2001:db8::/32']",
                new IpComparison("network-traffic:src_ref.value", "=", "198.51.100.7"),
                dst("2001:db8::/32"));
    }

    @Test
    void issubsetTakesARange() {
        assertIps(
                "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
                new IpComparison("ipv4-addr:value", "ISSUBSET", "198.51.100.0/24"));
    }

    @Test
    void equalsTakesARangeToo() {
        assertIps("[ipv4-addr:value = '198.51.100.0/24']", v4("198.51.100.0/24"));
    }

    @Test
    void doubleEqualsIsReportedAsEquals() {
        assertIps("[ipv4-addr:value == '203.0.113.5']", v4("203.0.113.5"));
    }

    @Test
    void orInsideAnObservationExpressionGivesEveryAddress() {
        assertIps(
                "[ipv4-addr:value = '203.0.113.1' OR ipv4-addr:value = '203.0.113.2']",
                v4("203.0.113.1"),
                v4("203.0.113.2"));
    }

    @Test
    void orBetweenObservationExpressionsGivesEveryAddress() {
        assertIps(
                "[ipv4-addr:value = '203.0.113.1'] OR [ipv6-addr:value = '2001:db8::2']"
                        + " OR [network-traffic:dst_ref.value = '203.0.113.3']",
                v4("203.0.113.1"),
                new IpComparison("ipv6-addr:value", "=", "2001:db8::2"),
                dst("203.0.113.3"));
    }

    @Test
    void valuesKeepPatternOrderAndDuplicates() {
        assertIps(
                "[ipv4-addr:value = '2.2.2.2' OR ipv4-addr:value = '1.1.1.1']"
                        + " OR [ipv4-addr:value = '2.2.2.2']",
                v4("2.2.2.2"),
                v4("1.1.1.1"),
                v4("2.2.2.2"));
    }

    @Test
    void nestedParenthesesAtBothLevels() {
        assertIps(
                "(([ipv4-addr:value = '1.0.0.1' OR (ipv4-addr:value = '1.0.0.2'"
                        + " OR ((ipv4-addr:value = '1.0.0.3')))]) OR (([ipv4-addr:value = '1.0.0.4']"
                        + " OR [ipv4-addr:value = '1.0.0.5'])))",
                v4("1.0.0.1"),
                v4("1.0.0.2"),
                v4("1.0.0.3"),
                v4("1.0.0.4"),
                v4("1.0.0.5"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5']",
                "[network-traffic:dst_ref.value = '203.0.113.5' AND network-traffic:dst_ref.type = 'ipv4-addr']",
                "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5'"
                        + " AND network-traffic:src_ref.type = 'ipv4-addr']",
                "[(network-traffic:dst_ref.type = 'ipv4-addr') AND (network-traffic:dst_ref.value = '203.0.113.5')]",
                "[network-traffic:dst_ref.type = 'ipv4-addr' AND (network-traffic:dst_ref.value = '203.0.113.5'"
                        + " AND network-traffic:src_ref.type = 'ipv4-addr')]",
            })
    void andWithTypeTestAddsNothing(String pattern) {
        assertIps(pattern, dst("203.0.113.5"));
    }

    @Test
    void typeTestedComparisonsJoinedByOr() {
        assertIps(
                "[(network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5')"
                        + " OR (network-traffic:src_ref.type = 'ipv6-addr'"
                        + " AND network-traffic:src_ref.value = '2001:db8::5')]"
                        + " OR [network-traffic:dst_ref.type = 'ipv4-addr'"
                        + " AND network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']",
                dst("203.0.113.5"),
                new IpComparison("network-traffic:src_ref.value", "=", "2001:db8::5"),
                new IpComparison("network-traffic:dst_ref.value", "ISSUBSET", "198.51.100.0/24"));
    }

    @Test
    void typeTestsAloneAreIgnored() {
        assertThat(StixPattern.read("[network-traffic:dst_ref.type = 'ipv4-addr']").kind())
                .isEqualTo(Kind.NO_IP);
        assertIps(
                "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port = 443]"
                        + " OR [ipv4-addr:value = '203.0.113.5']",
                v4("203.0.113.5"));
    }

    @Test
    void disjunctWhoseTypeTestNamesAnotherTypeIsIgnored() {
        // "the destination is a domain name": its value is no IP, whatever it looks like
        assertIps(
                "[network-traffic:dst_ref.type = 'domain-name'"
                        + " AND network-traffic:dst_ref.value = '203.0.113.9']"
                        + " OR [ipv4-addr:value = '203.0.113.5']",
                v4("203.0.113.5"));
        assertThat(
                        StixPattern.read(
                                        "[network-traffic:dst_ref.type = 'domain-name'"
                                                + " AND network-traffic:dst_ref.value = 'example.com']")
                                .kind())
                .isEqualTo(Kind.NO_IP);
        // one type test naming another type suffices, whichever ref it names
        assertThat(
                        StixPattern.read(
                                        "[network-traffic:src_ref.type = 'ipv4-addr'"
                                                + " AND network-traffic:dst_ref.type = 'mac-addr'"
                                                + " AND network-traffic:dst_ref.value = '203.0.113.9']")
                                .kind())
                .isEqualTo(Kind.NO_IP);
        // type names are case-sensitive: 'IPv4-addr' is another type
        assertThat(
                        StixPattern.read(
                                        "[network-traffic:dst_ref.type = 'IPv4-addr'"
                                                + " AND network-traffic:dst_ref.value = '203.0.113.9']")
                                .kind())
                .isEqualTo(Kind.NO_IP);
        assertIps(
                "[network-traffic:dst_ref.type = 'ipv6-addr'"
                        + " AND network-traffic:dst_ref.value = '2001:db8::9']",
                dst("2001:db8::9"));
    }

    @Test
    void anUnsupportedDisjunctStaysUnsupportedWhenItsTypeTestNamesAnotherType() {
        String pattern =
                "[network-traffic:dst_ref.type = 'domain-name'"
                        + " AND network-traffic:dst_ref.value = '203.0.113.9'"
                        + " AND network-traffic:dst_port = 443]";
        assertThat(StixPattern.read(pattern).kind()).isEqualTo(Kind.UNSUPPORTED);
    }

    @Test
    void otherObjectTypeDisjunctIsIgnored() {
        assertIps(
                "[ipv4-addr:value = '203.0.113.5'] OR [domain-name:value = 'evil.example']",
                v4("203.0.113.5"));
        assertIps(
                "[domain-name:value = 'evil.example' OR ipv4-addr:value = '203.0.113.5'"
                        + " OR url:value = 'http://evil.example/']",
                v4("203.0.113.5"));
    }

    @Test
    void otherObjectTypeDisjunctMayBeAndedInternally() {
        assertIps(
                "[file:name = 'a.exe' AND file:size = 25536 AND (file:hashes.MD5 = 'x' OR file:hashes.'SHA-1' = 'y')]"
                        + " OR [ipv4-addr:value = '203.0.113.5']",
                v4("203.0.113.5"));
    }

    @Test
    void addressUnderAnotherPathIsNotAnIpComparison() {
        StixPattern read =
                StixPattern.read(
                        "[domain-name:value = 'www.example.com'"
                                + " AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']");

        assertThat(read.kind()).isEqualTo(Kind.NO_IP);
    }

    @Test
    void patternWithoutIpDisjunctIsNoIp() {
        StixPattern read = StixPattern.read("[domain-name:value = 'evil.example']");

        assertThat(read.kind()).isEqualTo(Kind.NO_IP);
        assertThat(read.values()).isEmpty();
        assertThat(read.reason()).isNull();
    }

    @Test
    void valueIsTheLiteralAsWrittenNotTrimmedNorCanonicalised() {
        assertIps("[ipv4-addr:value = ' 203.0.113.5 ']", v4(" 203.0.113.5 "));
        assertIps(
                "[ipv6-addr:value = '2001:DB8:0::0001']",
                new IpComparison("ipv6-addr:value", "=", "2001:DB8:0::0001"));
        assertIps("[ipv4-addr:value = 'not an address']", v4("not an address"));
        assertIps("[ipv4-addr:value = '']", v4(""));
    }

    @Test
    void escapedQuoteInStringLiteral() {
        assertIps("[ipv4-addr:value = 'a\\'b\\\\c']", v4("a'b\\c"));
        assertIps("[domain-name:value = 'it\\'s'] OR [ipv4-addr:value = '1.2.3.4']", v4("1.2.3.4"));
    }

    @Test
    void specificationExamplesAreReadAsExpected() {
        assertIps(
                "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32'"
                        + " OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
                v4("198.51.100.1/32"),
                v4("203.0.113.33/32"),
                new IpComparison(
                        "ipv6-addr:value", "=", "2001:0db8:dead:beef:dead:beef:dead:0001/128"));
        assertIps(
                "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
                dst("203.0.113.33/32"));
        String beaconing =
                "[network-traffic:dst_ref.type = 'domain-name'"
                        + " AND network-traffic:dst_ref.value = 'example.com']"
                        + " REPEATS 5 TIMES WITHIN 1800 SECONDS";
        assertThat(StixPattern.read(beaconing).reason())
                .isEqualTo("REPEATS at " + beaconing.indexOf("REPEATS"));
    }
}

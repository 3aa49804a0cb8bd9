package io.tiflink.vmconn.stix;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.stix.StixPattern.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 6.3b: constructs that make a pattern unsupported, never matched in part. */
class StixPatternUnsupportedTest {

    private static final String IP = "[ipv4-addr:value = '203.0.113.5']";

    /** Asserts the pattern is unsupported for {@code construct}, found at {@code marker}. */
    private static void assertUnsupported(String pattern, String construct, String marker) {
        assertThat(pattern).contains(marker);
        assertUnsupported(pattern, construct, pattern.indexOf(marker));
    }

    private static void assertUnsupported(String pattern, String construct, int position) {
        StixPattern read = StixPattern.read(pattern);
        assertThat(read.kind()).as(read.toString()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(read.values()).isEmpty();
        assertThat(read.reason()).isEqualTo(construct + " at " + position);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "NOT        | [ipv4-addr:value NOT = '203.0.113.5']",
                "NOT        | [ipv4-addr:value NOT ISSUBSET '203.0.113.0/24']",
                "NOT        | [NOT EXISTS ipv4-addr:value]",
                "!=         | [ipv4-addr:value != '203.0.113.5']",
                "<>         | [ipv4-addr:value <> '203.0.113.5']",
                ">          | [ipv4-addr:value > '203.0.113.5']",
                "<          | [ipv4-addr:value < '203.0.113.5']",
                ">=         | [ipv4-addr:value >= '203.0.113.5']",
                "<=         | [ipv4-addr:value <= '203.0.113.5']",
                "IN         | [ipv4-addr:value IN ('203.0.113.5', '203.0.113.6')]",
                "LIKE       | [ipv4-addr:value LIKE '203.0.113.%']",
                "MATCHES    | [ipv4-addr:value MATCHES '^203\\\\.0\\\\.113\\\\.']",
                "ISSUPERSET | [ipv4-addr:value ISSUPERSET '203.0.113.5']",
                "EXISTS     | [EXISTS ipv4-addr:value]",
            })
    void operatorOtherThanEqualsOrIssubsetIsUnsupported(String construct, String comparison) {
        String pattern = IP + " OR " + comparison;
        int position = pattern.indexOf(construct + " ", IP.length());
        assertUnsupported(pattern, construct, position);
    }

    @Test
    void followedByMakesThePatternUnsupported() {
        String pattern = IP + " FOLLOWEDBY [ipv4-addr:value = '203.0.113.6']";
        assertUnsupported(pattern, "FOLLOWEDBY", "FOLLOWEDBY");
    }

    @Test
    void andBetweenObservationExpressionsIsUnsupported() {
        String pattern = IP + " AND [ipv4-addr:value = '203.0.113.6']";
        assertUnsupported(pattern, "AND between observation expressions", "AND");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "WITHIN  | ' WITHIN 300 SECONDS'",
                "WITHIN  | ' WITHIN 2.5 SECONDS'",
                "REPEATS | ' REPEATS 5 TIMES'",
                "START   | ' START t''2016-06-01T00:00:00Z'' STOP t''2016-07-01T00:00:00Z'''",
            })
    void qualifierMakesThePatternUnsupported(String qualifier, String text) {
        assertUnsupported(IP + text, qualifier, qualifier);
        assertUnsupported("(" + IP + " OR " + IP + ")" + text, qualifier, qualifier);
    }

    @Test
    void ipComparisonAndedWithAnotherConditionIsUnsupported() {
        String pattern = "[ipv4-addr:value = '203.0.113.5' AND ipv4-addr:x_seen = true]";
        assertUnsupported(
                pattern, "AND of an IP comparison with a condition other than a type test", "AND");
        String port =
                "[network-traffic:dst_ref.value = '203.0.113.5' AND network-traffic:dst_port = 443]";
        assertUnsupported(
                port, "AND of an IP comparison with a condition other than a type test", "AND");
    }

    @Test
    void andOfTwoIpComparisonsIsUnsupported() {
        String pattern =
                "[network-traffic:src_ref.value = '198.51.100.7'"
                        + " AND network-traffic:dst_ref.value = '203.0.113.5']";
        assertUnsupported(pattern, "AND of two IP comparisons", "AND");
    }

    @Test
    void typeTestAndedWithAnOrOfIpComparisonsIsUnsupported() {
        String pattern =
                "[network-traffic:dst_ref.type = 'ipv4-addr' AND (network-traffic:dst_ref.value"
                        + " = '203.0.113.5' OR network-traffic:dst_ref.value = '203.0.113.6')]";
        assertUnsupported(
                pattern, "AND of an IP comparison with a condition other than a type test", "AND");
    }

    @Test
    void nonStringValueForAnIpPathIsUnsupported() {
        assertUnsupported(
                "[ipv4-addr:value = 3405803781]",
                "non-string value for ipv4-addr:value",
                "3405803781");
        assertUnsupported(
                "[network-traffic:dst_ref.value = h'cb007105']",
                "non-string value for network-traffic:dst_ref.value",
                "h'");
        assertUnsupported(
                "[network-traffic:dst_ref.type = true AND network-traffic:dst_ref.value = '203.0.113.5']",
                "non-string value for network-traffic:dst_ref.type",
                "true");
    }

    @Test
    void issubsetWithANonStringIsASyntaxError() {
        StixPattern read = StixPattern.read("[ipv4-addr:value ISSUBSET 24]");

        assertThat(read.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(read.reason()).startsWith("syntax error at 26: expected a string literal");
    }

    @Test
    void issubsetOnATypeTestPathIsUnsupported() {
        String pattern =
                "[network-traffic:dst_ref.type ISSUBSET 'ipv4-addr'"
                        + " AND network-traffic:dst_ref.value = '203.0.113.5']";
        assertUnsupported(pattern, "ISSUBSET on network-traffic:dst_ref.type", "ISSUBSET");
    }

    @Test
    void likeInAnOtherTypeDisjunctIsUnsupported() {
        String pattern = "[domain-name:value LIKE '%.evil.example'] OR " + IP;
        assertUnsupported(pattern, "LIKE", "LIKE");
    }

    @Test
    void unsupportedConstructInAPatternWithoutIpsIsStillUnsupported() {
        assertUnsupported("[file:size > 256]", ">", ">");
        assertUnsupported(
                "[file:hashes.MD5 = 'a'] FOLLOWEDBY [file:hashes.MD5 = 'b']",
                "FOLLOWEDBY",
                "FOLLOWEDBY");
    }

    @Test
    void reasonNamesTheFirstUnsupportedConstruct() {
        assertUnsupported(
                "[ipv4-addr:value != '1.2.3.4'] FOLLOWEDBY [domain-name:value LIKE 'x'] WITHIN 5 SECONDS",
                "!=",
                "!=");
        assertUnsupported(
                "[ipv4-addr:value = '1.2.3.4' AND file:name = 'x'] WITHIN 5 SECONDS",
                "AND of an IP comparison with a condition other than a type test",
                "AND");
        assertUnsupported(
                "[file:name = 'x' AND file:size > 5 AND ipv4-addr:value = '1.2.3.4']",
                "AND of an IP comparison with a condition other than a type test",
                "AND");
        assertUnsupported(
                "([ipv4-addr:value = '1.2.3.4'] AND [file:name NOT = 'x']) FOLLOWEDBY [file:name = 'y']",
                "AND between observation expressions",
                "AND");
    }

    @Test
    void syntaxErrorComesBeforeAnyUnsupportedConstruct() {
        StixPattern read = StixPattern.read("[ipv4-addr:value != '1.2.3.4'] FOLLOWEDBY [");

        assertThat(read.reason()).startsWith("syntax error at 43:");
    }
}

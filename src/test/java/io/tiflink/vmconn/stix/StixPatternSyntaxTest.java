package io.tiflink.vmconn.stix;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.stix.StixPattern.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The STIX 2.1 patterning grammar as {@link StixPattern#read} checks it. */
class StixPatternSyntaxTest {

    private static final String IP = "[ipv4-addr:value = '203.0.113.5']";
    private static final IpComparison IP_VALUE =
            new IpComparison("ipv4-addr:value", "=", "203.0.113.5");

    private static StixPattern read(String pattern) {
        return StixPattern.read(pattern);
    }

    private static void assertSyntaxError(String pattern) {
        StixPattern read = read(pattern);
        assertThat(read.kind()).as(pattern).isEqualTo(Kind.UNSUPPORTED);
        assertThat(read.reason()).as(pattern).startsWith("syntax error at ");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "t'2020-01-01T00:00:00Z'",
                "t'2016-12-31T23:59:60.123456Z'",
                "b'AAAA'",
                "b'dGhpcyBpcyBhIHRlc3Q='",
                "b'AA=='",
                "b'dGhp\ncyBp'",
                "h'ffC3'",
                "h''",
                "42",
                "0",
                "-7",
                "+3",
                "1.5",
                "-0.5",
                ".5",
                "007.5",
                "true",
                "false",
                "'text'",
                "''",
            })
    void everyLiteralKindIsReadInAnOtherTypeDisjunct(String literal) {
        StixPattern read = read("[x-custom:prop = " + literal + "] OR " + IP);

        assertThat(read.kind()).as(read.toString()).isEqualTo(Kind.IPS);
        assertThat(read.values()).containsExactly(IP_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "t'2020-13-01T00:00:00Z'",
                "t'2020-01-00T00:00:00Z'",
                "t'2020-01-01T24:00:00Z'",
                "t'2020-01-01T00:00:00'",
                "t'2020-01-01'",
                "t'2020-01-01T00:00:00.Z'",
                "b'AAA'",
                "b'A==='",
                "b'AA=A'",
                "b''",
                "h'abc'",
                "h'zz'",
                "007",
                "-",
                "1.",
                "1e5",
                "True",
                "TRUE",
                "'unterminated",
                "'bad \\n escape'",
                "\"double quoted\"",
                "ipv4-addr:value",
            })
    void invalidLiteralIsASyntaxError(String literal) {
        assertSyntaxError("[x-custom:prop = " + literal + "] OR " + IP);
    }

    @Test
    void setLiteralsOfAnyKindParseThenInIsUnsupported() {
        assertThat(read("[x:y IN ()]").reason()).isEqualTo("IN at 5");
        assertThat(read("[x:y IN ('a', 1, 2.5, true, h'00', t'2020-01-01T00:00:00Z')]").reason())
                .isEqualTo("IN at 5");
        assertSyntaxError("[x:y IN ('a',)]");
        assertSyntaxError("[x:y IN 'a']");
    }

    @Test
    void orderingOperatorTakesNoBoolean() {
        assertSyntaxError("[file:size > true]");
    }

    @Test
    void objectPathsWithQuotedKeysAndListIndexes() {
        StixPattern read =
                read(
                        "[file:hashes.'SHA-256' = 'aec0' OR file:hashes.MD5 = 'cead'"
                                + " OR file:extensions.'windows-pebinary-ext'.sections[*].entropy = 7.0"
                                + " OR network-traffic:protocols[0] = 'tcp' OR x:list[-1] = 1"
                                + " OR x:list[+2].'x-y' = 1 OR email-message:from_ref.value = 'a@b'"
                                + " OR x:'a.b'.'c\\'d' = 1]"
                                + " OR "
                                + IP);

        assertThat(read.kind()).as(read.toString()).isEqualTo(Kind.IPS);
        assertThat(read.values()).containsExactly(IP_VALUE);
    }

    @Test
    void quotedKeyThatNeedsNoQuotesIsTheSamePath() {
        assertThat(read("[ipv4-addr:'value' = '203.0.113.5']").values()).containsExactly(IP_VALUE);
        assertThat(read("[network-traffic:'dst_ref'.'value' = '203.0.113.5']").values())
                .containsExactly(
                        new IpComparison("network-traffic:dst_ref.value", "=", "203.0.113.5"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[network-traffic:dst-ref.value = '203.0.113.5']",
                "[ipv4-addr:value.'' = 1 OR network-traffic:dst_ref.-value = 1]",
                "[ipv4-addr: = '203.0.113.5']",
                "[:value = '203.0.113.5']",
                "[ipv4-addr = '203.0.113.5']",
                "[x:list[1.5] = 1]",
                "[x:list[] = 1]",
                "[x:list[a] = 1]",
                "[x:y. = 1]",
                "[AND:value = 1]",
                "[x:OR = 1]",
                "[x:LAST = 1]",
                "[x:true = 1]",
            })
    void malformedObjectPathIsASyntaxError(String pattern) {
        assertSyntaxError(pattern);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[domain-name:value = 'x'] or [ipv4-addr:value = '203.0.113.5']",
                "[ipv4-addr:value = '203.0.113.5' or ipv4-addr:value = '203.0.113.6']",
                "[network-traffic:dst_ref.type = 'ipv4-addr' and network-traffic:dst_ref.value = '1']",
                "[ipv4-addr:value = '203.0.113.5'] Or [ipv4-addr:value = '203.0.113.6']",
                "[ipv4-addr:value issubset '203.0.113.0/24']",
                "[ipv4-addr:value = '1'] followedby [ipv4-addr:value = '2']",
            })
    void lowerCaseKeywordIsASyntaxError(String pattern) {
        assertSyntaxError(pattern);
    }

    @Test
    void lowerCaseOrIsReportedWhereItStands() {
        assertThat(read("[domain-name:value = 'x'] or " + IP).reason())
                .isEqualTo("syntax error at 26: expected end of pattern, found 'or'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[ipv4-addr:value='203.0.113.5']OR[ipv4-addr:value='203.0.113.5']",
                "  [ ipv4-addr:value = '203.0.113.5' ]\n\tOR\r\n[ipv4-addr:value\t=\t'203.0.113.5' ]  ",
                "[ipv4-addr : value = '203.0.113.5']\u00a0OR\u3000[ipv4-addr:value\u2003=\u2028'203.0.113.5']",
                "[ipv4-addr:value = '203.0.113.5'] /* a comment */ OR // another\n"
                        + "[ipv4-addr:value /* mid-path */ = '203.0.113.5'] // trailing",
                "([ipv4-addr:value = '203.0.113.5'])OR([ipv4-addr:value = '203.0.113.5'])",
            })
    void whiteSpaceAndCommentsBetweenTokensAreSkipped(String pattern) {
        assertThat(read(pattern).values()).containsExactly(IP_VALUE, IP_VALUE);
    }

    @Test
    void whiteSpaceInsideAStringIsKept() {
        assertThat(read("[ipv4-addr:value = '\t203.0.113.5\n']").values())
                .containsExactly(new IpComparison("ipv4-addr:value", "=", "\t203.0.113.5\n"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[",
                "]",
                "[]",
                "()",
                "[ipv4-addr:value = '203.0.113.5'",
                "ipv4-addr:value = '203.0.113.5'",
                "[ipv4-addr:value '203.0.113.5']",
                "[ipv4-addr:value = ]",
                "[ipv4-addr:value = '203.0.113.5'] OR",
                "OR [ipv4-addr:value = '203.0.113.5']",
                "[ipv4-addr:value = '203.0.113.5'] [ipv4-addr:value = '203.0.113.6']",
                "[ipv4-addr:value = '203.0.113.5' OR]",
                "[ipv4-addr:value = '203.0.113.5' ipv4-addr:value = '203.0.113.6']",
                "[ipv4-addr:value = '203.0.113.5'])",
                "(([ipv4-addr:value = '203.0.113.5'])",
                "[(ipv4-addr:value = '203.0.113.5']",
                "[ipv4-addr:value = '203.0.113.5'] WITHIN SECONDS",
                "[ipv4-addr:value = '203.0.113.5'] WITHIN -5 SECONDS",
                "[ipv4-addr:value = '203.0.113.5'] WITHIN 5",
                "[ipv4-addr:value = '203.0.113.5'] REPEATS 2.5 TIMES",
                "[ipv4-addr:value = '203.0.113.5'] START '2020-01-01T00:00:00Z' STOP '2021-01-01T00:00:00Z'",
                "[ipv4-addr:value = '203.0.113.5'] START t'2020-01-01T00:00:00Z'",
                "[NOT ipv4-addr:value = '203.0.113.5']",
                "NOT [ipv4-addr:value = '203.0.113.5']",
                "[ipv4-addr:value NOT NOT = '203.0.113.5']",
                "[ipv4-addr:value ! = '203.0.113.5']",
                "[ipv4-addr:value === '203.0.113.5']",
                "[ipv4-addr:value = '203.0.113.5'] @",
                "[ipv4-addr:value = '203.0.113.5'] /* unterminated",
                "[ipv4-addr:value = '203.0.113.5'] / [ipv4-addr:value = '1']",
                "[ipv4-addr:value = '203.0.113.5'] ^",
                "[ipv4-addr:value = '203.0.113.5'] LAST",
                "[ipv4-addr:value ISSUBSET t'2020-01-01T00:00:00Z']",
                "[ipv4-addr:value = '203.0.113.5']\u0000",
                "\uFEFF[ipv4-addr:value = '203.0.113.5']",
            })
    void syntaxErrorIsUnsupportedNotAnException(String pattern) {
        assertSyntaxError(pattern);
    }

    @Test
    void syntaxErrorNamesItsPositionAndWhatWasExpected() {
        assertThat(read("[ipv4-addr:value = '203.0.113.5'").reason())
                .isEqualTo("syntax error at 32: expected ']', found end of pattern");
        assertThat(read("[ipv4-addr:value = 'a\\b']").reason())
                .isEqualTo("syntax error at 21: invalid escape in string: only \\' and \\\\");
        assertThat(read("[ipv4-addr:value = '203.0.113.5] OR [x:y = 1]").reason())
                .isEqualTo("syntax error at 19: unterminated string");
        assertThat(read("[x:y = 1] OR ?").reason())
                .isEqualTo("syntax error at 13: unexpected character '?'");
        assertThat(read("[x:y 'abc' @").reason())
                .isEqualTo("syntax error at 5: expected a comparison operator, found a string");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n\t\r\n", "\u00a0", "/* only a comment */", "// comment"})
    void nullBlankAndCommentOnlyPatternsAreEmpty(String pattern) {
        StixPattern read = read(pattern);

        assertThat(read.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(read.reason()).isEqualTo("empty pattern");
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        String pattern =
                "(".repeat(100)
                        + "["
                        + "(".repeat(99)
                        + "ipv4-addr:value = '203.0.113.5'"
                        + ")".repeat(99)
                        + "]"
                        + ")".repeat(100);

        assertThat(read(pattern).values()).containsExactly(IP_VALUE);
    }

    @Test
    void deepNestingIsUnsupportedNotAStackOverflow() {
        assertThat(read("(".repeat(100_000) + IP + ")".repeat(100_000)).reason())
                .isEqualTo("nesting deeper than 200 at 200");
        assertThat(read("[" + "(".repeat(100_000)).reason())
                .isEqualTo("nesting deeper than 200 at 200");
        assertThat(read("(".repeat(150) + "[" + "(".repeat(60) + "x:y = 1]").reason())
                .isEqualTo("nesting deeper than 200 at 200");
    }

    @Test
    void longChainOfQualifiersIsNotNesting() {
        String pattern = IP + " WITHIN 5 SECONDS REPEATS 2 TIMES".repeat(100_000);

        assertThat(read(pattern).reason()).isEqualTo("WITHIN at " + (IP.length() + 1));
    }

    @Test
    void longFlatPatternIsReadWithoutRecursion() {
        int count = 20_000;
        String pattern = String.join(" OR ", java.util.Collections.nCopies(count, IP));

        StixPattern read = read(pattern);

        assertThat(read.kind()).isEqualTo(Kind.IPS);
        assertThat(read.values()).hasSize(count);
        String inside =
                "["
                        + String.join(
                                " AND ",
                                java.util.Collections.nCopies(
                                        count, "network-traffic:dst_ref.type = 'ipv4-addr'"))
                        + " AND network-traffic:dst_ref.value = '203.0.113.5']";
        assertThat(read(inside).values())
                .containsExactly(
                        new IpComparison("network-traffic:dst_ref.value", "=", "203.0.113.5"));
    }
}

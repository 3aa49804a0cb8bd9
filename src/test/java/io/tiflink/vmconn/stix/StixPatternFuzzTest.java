package io.tiflink.vmconn.stix;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.stix.StixPattern.Kind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random strings and mutations of valid patterns (fixed seeds): {@link StixPattern#read} never
 * throws, always returns a consistent result, and gets through large inputs.
 */
class StixPatternFuzzTest {

    private static final List<String> VALID =
            List.of(
                    "[ipv4-addr:value = '203.0.113.5']",
                    "[ipv4-addr:value = '203.0.113.5' OR ipv6-addr:value = '2001:db8::1']",
                    "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5']",
                    "([ipv4-addr:value ISSUBSET '198.51.100.0/24'] OR [domain-name:value = 'evil.example'])",
                    "[file:hashes.'SHA-256' = 'aec0' AND file:size = 25536] OR [x:list[*].y = t'2020-01-01T00:00:00Z']",
                    "[a:b = b'AAAA' OR a:c = h'ff00' OR a:d = -1.5 OR a:e = true] OR [ipv4-addr:value = 'a\\'b']",
                    "([file:name = 'foo.dll'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.4']) WITHIN 300 SECONDS",
                    "[ipv4-addr:value NOT IN ('1.2.3.4', '5.6.7.8')] REPEATS 5 TIMES",
                    "[x:y = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
                    "[NOT EXISTS x:y] AND [x:z LIKE '%a' OR x:w MATCHES '^a\\\\.b$'] /* c */ // d");

    private static final String[] PIECES = {
        "[",
        "]",
        "(",
        ")",
        "'",
        "\\",
        "\\'",
        ":",
        ".",
        ",",
        "=",
        "==",
        "!=",
        "<",
        ">",
        "<=",
        ">=",
        "<>",
        "*",
        "/",
        "/*",
        "*/",
        "//",
        "\n",
        " ",
        "\t",
        "+",
        "-",
        "^",
        "0",
        "1",
        "07",
        ".5",
        "1.",
        "t'",
        "b'",
        "h'",
        "2020-01-01T00:00:00Z",
        "AAAA",
        "ff",
        "true",
        "false",
        "AND",
        "OR",
        "NOT",
        "FOLLOWEDBY",
        "IN",
        "LIKE",
        "MATCHES",
        "ISSUBSET",
        "ISSUPERSET",
        "EXISTS",
        "WITHIN",
        "SECONDS",
        "REPEATS",
        "TIMES",
        "START",
        "STOP",
        "LAST",
        "or",
        "and",
        "ipv4-addr",
        "ipv6-addr",
        "network-traffic",
        "value",
        "src_ref",
        "dst_ref",
        "type",
        "'203.0.113.5'",
        "\u00a0",
        "\u3000",
        "\uFEFF",
        "\u0000",
        "é",
        "\uD83D\uDE00",
        "\uD800",
    };

    private static final Set<String> IP_PATHS =
            Set.of(
                    "ipv4-addr:value",
                    "ipv6-addr:value",
                    "network-traffic:src_ref.value",
                    "network-traffic:dst_ref.value");

    @Test
    void randomStringsNeverThrow() {
        Random random = new Random(20261202L);
        for (int i = 0; i < 2000; i++) {
            StringBuilder pattern = new StringBuilder();
            int pieces = random.nextInt(30);
            for (int p = 0; p < pieces; p++) {
                pattern.append(
                        random.nextInt(8) == 0
                                ? String.valueOf((char) random.nextInt(0x3000))
                                : PIECES[random.nextInt(PIECES.length)]);
            }
            assertConsistent(pattern.toString());
        }
    }

    @Test
    void mutationsOfValidPatternsNeverThrow() {
        Random random = new Random(6_3L);
        for (int i = 0; i < 3000; i++) {
            StringBuilder pattern = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutate(pattern, random);
            }
            assertConsistent(pattern.toString());
        }
    }

    @Test
    void patternsGeneratedFromTheGrammarAreNeverSyntaxErrors() {
        Random random = new Random(2_1L);
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        for (int i = 0; i < 2000; i++) {
            StringBuilder pattern = new StringBuilder();
            new Generator(random, pattern).observations(3);
            StixPattern read = StixPattern.read(pattern.toString());
            assertThat(String.valueOf(read.reason()))
                    .as(pattern.toString())
                    .doesNotStartWith("syntax error");
            assertConsistent(pattern.toString());
            kinds.merge(read.kind(), 1, Integer::sum);
        }
        assertThat(kinds).allSatisfy((kind, count) -> assertThat(count).isGreaterThan(100));
        assertThat(kinds).hasSize(3);
    }

    @Test
    void validSeedsAreReadAsExpected() {
        assertThat(VALID.stream().map(p -> StixPattern.read(p).kind()))
                .containsExactly(
                        Kind.IPS,
                        Kind.IPS,
                        Kind.IPS,
                        Kind.IPS,
                        Kind.NO_IP,
                        Kind.IPS,
                        Kind.UNSUPPORTED,
                        Kind.UNSUPPORTED,
                        Kind.UNSUPPORTED,
                        Kind.UNSUPPORTED);
        assertThat(VALID.stream().map(p -> StixPattern.read(p).reason()))
                .noneMatch(reason -> reason != null && reason.startsWith("syntax error"));
    }

    @Test
    void largeRandomInputCompletes() {
        Random random = new Random(1L);
        StringBuilder noise = new StringBuilder();
        while (noise.length() < 300_000) {
            noise.append(PIECES[random.nextInt(PIECES.length)]);
        }
        assertConsistent(noise.toString());
        assertConsistent("[ipv4-addr:value = '" + "x".repeat(1_000_000) + "']");
        assertConsistent("[x:y = 1] " + "/*".repeat(500_000));
        assertConsistent("[x:y = 1] OR [x:y = b'" + "A".repeat(1_000_000));
        assertConsistent("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS".repeat(20_000));
        assertConsistent("[x:y = 1]" + " REPEATS 2 TIMES".repeat(50_000));
        assertConsistent("[x:y" + ".z".repeat(100_000) + " = 1]");
        assertConsistent("[x:y IN (" + "1, ".repeat(100_000) + "2)]");
        assertConsistent("[" + "(x:y = 1 OR ".repeat(100_000));
    }

    private static void mutate(StringBuilder pattern, Random random) {
        int at = random.nextInt(pattern.length() + 1);
        switch (random.nextInt(6)) {
            case 0:
                if (at < pattern.length()) {
                    pattern.deleteCharAt(at);
                }
                break;
            case 1:
                pattern.insert(at, PIECES[random.nextInt(PIECES.length)]);
                break;
            case 2:
                int from = random.nextInt(pattern.length() + 1);
                int to = Math.min(pattern.length(), from + random.nextInt(20));
                pattern.insert(at, pattern.substring(from, to));
                break;
            case 3:
                if (at + 1 < pattern.length()) {
                    char c = pattern.charAt(at);
                    pattern.setCharAt(at, pattern.charAt(at + 1));
                    pattern.setCharAt(at + 1, c);
                }
                break;
            case 4:
                pattern.setLength(at);
                break;
            default:
                if (at < pattern.length()) {
                    pattern.setCharAt(at, (char) (' ' + random.nextInt(95)));
                }
                break;
        }
    }

    private static void assertConsistent(String pattern) {
        StixPattern read = StixPattern.read(pattern);

        assertThat(read.kind()).as(pattern).isNotNull();
        assertThat(read.reason() != null).as(pattern).isEqualTo(read.kind() == Kind.UNSUPPORTED);
        assertThat(read.values().isEmpty()).as(pattern).isEqualTo(read.kind() != Kind.IPS);
        for (IpComparison value : read.values()) {
            assertThat(value.objectPath()).as(pattern).isIn(IP_PATHS);
            assertThat(value.operator()).as(pattern).isIn("=", "ISSUBSET");
            assertThat(value.value()).as(pattern).isNotNull();
        }
        if (read.reason() != null && !read.reason().equals("empty pattern")) {
            assertThat(read.reason()).as(pattern).matches("(?s).* at \\d+(: .*)?");
            int position =
                    Integer.parseInt(read.reason().replaceFirst("(?s)^.*? at (\\d+).*$", "$1"));
            assertThat(position).as(pattern).isBetween(0, pattern.length());
        }
        assertThat(StixPattern.read(pattern)).as(pattern).isEqualTo(read);
    }

    /** Writes random patterns of the grammar, with random white space and comments. */
    private static final class Generator {
        private static final String[] PATHS = {
            "ipv4-addr:value",
            "ipv6-addr:value",
            "network-traffic:src_ref.value",
            "network-traffic:dst_ref.type",
            "file:hashes.'SHA-256'",
            "x-y:list[*].z",
            "x:list[-1]",
            "domain-name:resolves_to_refs[0].value",
        };
        private static final String[] LITERALS = {
            "'203.0.113.5'",
            "'2001:db8::/32'",
            "'it\\'s'",
            "''",
            "42",
            "-1",
            "+3",
            "0.5",
            "-.5",
            "true",
            "false",
            "b'AAAA'",
            "h'ff'",
            "t'2020-02-29T23:59:60.5Z'",
        };
        private static final String[] OPERATORS = {
            "=",
            "==",
            "!=",
            "<>",
            "<",
            ">",
            "<=",
            ">=",
            "LIKE",
            "MATCHES",
            "ISSUBSET",
            "ISSUPERSET",
        };

        private final Random random;
        private final StringBuilder out;

        Generator(Random random, StringBuilder out) {
            this.random = random;
            this.out = out;
        }

        void observations(int depth) {
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    token(rare() ? pick("AND", "FOLLOWEDBY") : "OR");
                }
                if (depth > 0 && random.nextInt(4) == 0) {
                    token("(");
                    observations(depth - 1);
                    token(")");
                } else {
                    token("[");
                    comparisons(depth);
                    token("]");
                }
                if (rare()) {
                    token(
                            pick(
                                    "WITHIN 300 SECONDS",
                                    "WITHIN 1.5 SECONDS",
                                    "REPEATS 5 TIMES",
                                    "START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"));
                }
            }
        }

        private void comparisons(int depth) {
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    token(random.nextInt(4) == 0 ? "AND" : "OR");
                }
                int kind = random.nextInt(40);
                if (depth > 0 && kind < 4) {
                    token("(");
                    comparisons(depth - 1);
                    token(")");
                } else if (kind == 1) {
                    token(pick("EXISTS", "NOT EXISTS"));
                    token(pick(PATHS));
                } else if (kind == 2) {
                    token(pick(PATHS));
                    token(pick("IN", "NOT IN"));
                    token(pick("()", "('a')", "(1, 'b', true)"));
                } else {
                    token(pick(PATHS));
                    if (rare()) {
                        token("NOT");
                    }
                    String operator = rare() ? pick(OPERATORS) : pick("=", "==", "ISSUBSET");
                    token(operator);
                    boolean stringOnly = operator.matches("[A-Z]+");
                    boolean orderable = operator.matches("[<>]=?");
                    String literal = stringOnly ? "'198.51.100.0/24'" : pick(LITERALS);
                    token(orderable && literal.matches("true|false") ? "1" : literal);
                }
            }
        }

        private void token(String text) {
            switch (random.nextInt(12)) {
                case 0 -> out.append("/* c */");
                case 1 -> out.append("\n\t");
                case 2 -> out.append("// c\n");
                case 3, 4, 5 -> {
                    if (!out.isEmpty()
                            && isWordChar(out.charAt(out.length() - 1))
                            && isWordChar(text.charAt(0))) {
                        out.append(' ');
                    }
                }
                default -> out.append(' ');
            }
            out.append(text);
        }

        /** Characters that would merge two tokens written without a space between them. */
        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || "_-+.'".indexOf(c) >= 0;
        }

        private boolean rare() {
            return random.nextInt(40) == 0;
        }

        private String pick(String... choices) {
            return choices[random.nextInt(choices.length)];
        }
    }
}

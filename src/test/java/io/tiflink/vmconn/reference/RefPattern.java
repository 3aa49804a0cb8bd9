package io.tiflink.vmconn.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The oracle's own reader of STIX 2.1 patterns, for the subset SPEC 6.3b supports. Written from the
 * SPEC text and the brief's rules, not from a grammar file; deliberately small.
 *
 * <p>What it accepts (keywords are upper case, as in STIX; anything it cannot read is a syntax
 * error, and a syntax error makes the pattern unsupported):
 *
 * <pre>
 * pattern     := obsOr
 * obsOr       := obsAnd ("OR" obsAnd)*
 * obsAnd      := obsUnit                        ("AND" between observations: unsupported)
 * obsUnit     := "[" compOr "]" | "(" obsOr ")"
 * compOr      := compAnd ("OR" compAnd)*
 * compAnd     := compUnit ("AND" compUnit)*
 * compUnit    := "(" compOr ")" | path ("=" | "==" | "ISSUBSET") literal
 * path        := type ":" name ("." name | "." 'quoted' | "[" digits "]" | "[*]")*
 * literal     := 'string' | number | true | false | t'..' | h'..' | b'..'
 * </pre>
 *
 * <p>The rules (brief, decision 11):
 *
 * <ul>
 *   <li>Unsupported whenever the pattern contains anywhere NOT, != (or &lt;&gt;), &gt;, &lt;,
 *       &gt;=, &lt;=, IN, LIKE, MATCHES, ISSUPERSET, EXISTS, FOLLOWEDBY, a qualifier (WITHIN,
 *       REPEATS, START/STOP), AND between observation expressions, or a syntax error.
 *   <li>The comparison expression is read as an OR of disjuncts (AND distributed over OR, at either
 *       level, any parentheses). An IP disjunct is exactly one comparison of {@code
 *       ipv4-addr:value}, {@code ipv6-addr:value}, {@code network-traffic:src_ref.value} or {@code
 *       network-traffic:dst_ref.value} with = or ISSUBSET to a string literal, AND-ed only with
 *       type tests ({@code network-traffic:src_ref.type} / {@code dst_ref.type} = 'string'), which
 *       add nothing.
 *   <li>A disjunct with no IP path and no type-test path is ignored. Any other disjunct (an IP
 *       comparison AND-ed with anything but type tests, two IP comparisons AND-ed, an IP path with
 *       a non-string right side, a type test that is not = 'string', or a type test without an IP
 *       comparison) makes the pattern unsupported.
 *   <li>No IP disjunct: {@link Outcome#NO_IP}.
 * </ul>
 *
 * The values are returned in pattern order, as written between the quotes (escapes \\ and \'
 * undone).
 */
public final class RefPattern {

    private RefPattern() {}

    public enum Outcome {
        /** At least one IP disjunct; {@link Reading#values()} holds their values. */
        IPS,
        /** Supported, but no IP disjunct. */
        NO_IP,
        /** An unsupported construct or a syntax error. */
        UNSUPPORTED
    }

    public record Reading(Outcome outcome, List<String> values) {}

    static final Set<String> IP_PATHS =
            Set.of(
                    "ipv4-addr:value",
                    "ipv6-addr:value",
                    "network-traffic:src_ref.value",
                    "network-traffic:dst_ref.value");

    static final Set<String> TYPE_TEST_PATHS =
            Set.of("network-traffic:src_ref.type", "network-traffic:dst_ref.type");

    private static final Set<String> UNSUPPORTED_WORDS =
            Set.of(
                    "NOT",
                    "IN",
                    "LIKE",
                    "MATCHES",
                    "ISSUPERSET",
                    "EXISTS",
                    "FOLLOWEDBY",
                    "WITHIN",
                    "REPEATS",
                    "TIMES",
                    "SECONDS",
                    "START",
                    "STOP");

    private static final Set<String> WORDS = Set.of("AND", "OR", "ISSUBSET");

    public static Reading read(String pattern) {
        if (pattern == null) {
            return unsupported();
        }
        List<Tok> toks = tokens(pattern);
        if (toks == null) {
            return unsupported();
        }
        for (Tok t : toks) {
            if (t.kind == K.WORD && UNSUPPORTED_WORDS.contains(t.text)) {
                return unsupported();
            }
            if (t.kind == K.OP && !t.text.equals("=") && !t.text.equals("==")) {
                return unsupported();
            }
        }
        List<List<Cmp>> disjuncts;
        try {
            Parser p = new Parser(toks);
            disjuncts = p.obsOr();
            if (p.pos != toks.size()) {
                return unsupported();
            }
        } catch (Unsupported e) {
            return unsupported();
        }
        List<String> values = new ArrayList<>();
        for (List<Cmp> d : disjuncts) {
            List<Cmp> ips = new ArrayList<>();
            boolean typeTest = false;
            for (Cmp c : d) {
                if (IP_PATHS.contains(c.path)) {
                    ips.add(c);
                } else if (TYPE_TEST_PATHS.contains(c.path)) {
                    if (!c.op.equals("=") || c.value.kind != K.STRING) {
                        return unsupported();
                    }
                    typeTest = true;
                }
            }
            if (ips.isEmpty()) {
                if (typeTest) {
                    return unsupported(); // a type test on its own is neither kind of disjunct
                }
                continue; // about other object types: ignored
            }
            if (ips.size() > 1) {
                return unsupported();
            }
            for (Cmp c : d) {
                if (c != ips.get(0) && !TYPE_TEST_PATHS.contains(c.path)) {
                    return unsupported(); // an IP comparison AND-ed with something else
                }
            }
            Cmp ip = ips.get(0);
            if (ip.value.kind != K.STRING) {
                return unsupported();
            }
            values.add(ip.value.text);
        }
        return values.isEmpty()
                ? new Reading(Outcome.NO_IP, List.of())
                : new Reading(Outcome.IPS, List.copyOf(values));
    }

    private static Reading unsupported() {
        return new Reading(Outcome.UNSUPPORTED, List.of());
    }

    // ------------------------------------------------------------------------------------ tokens

    private enum K {
        LBRACK,
        RBRACK,
        LPAREN,
        RPAREN,
        COMMA,
        OP,
        WORD,
        PATH,
        STRING,
        OTHER_LITERAL
    }

    private record Tok(K kind, String text) {}

    /** The tokens, or null on text no token can start with. */
    private static List<Tok> tokens(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '[') {
                out.add(new Tok(K.LBRACK, "["));
                i++;
            } else if (c == ']') {
                out.add(new Tok(K.RBRACK, "]"));
                i++;
            } else if (c == '(') {
                out.add(new Tok(K.LPAREN, "("));
                i++;
            } else if (c == ')') {
                out.add(new Tok(K.RPAREN, ")"));
                i++;
            } else if (c == ',') {
                out.add(new Tok(K.COMMA, ","));
                i++;
            } else if ("=!<>".indexOf(c) >= 0) {
                int j = i + 1;
                while (j < n && "=!<>".indexOf(s.charAt(j)) >= 0) {
                    j++;
                }
                out.add(new Tok(K.OP, s.substring(i, j)));
                i = j;
            } else if (c == '\'') {
                int[] end = new int[1];
                String v = quoted(s, i, end);
                if (v == null) {
                    return null;
                }
                out.add(new Tok(K.STRING, v));
                i = end[0];
            } else if (c == '-' || Character.isDigit(c)) {
                int j = i + 1;
                while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Tok(K.OTHER_LITERAL, s.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c)) {
                int j = i;
                while (j < n && isNameChar(s.charAt(j))) {
                    j++;
                }
                String word = s.substring(i, j);
                if (j < n && s.charAt(j) == ':') {
                    int[] end = new int[1];
                    String path = path(s, i, j, end);
                    if (path == null) {
                        return null;
                    }
                    out.add(new Tok(K.PATH, path));
                    i = end[0];
                } else if (j < n && s.charAt(j) == '\'' && Set.of("t", "h", "b").contains(word)) {
                    int[] end = new int[1];
                    String v = quoted(s, j, end);
                    if (v == null) {
                        return null;
                    }
                    out.add(new Tok(K.OTHER_LITERAL, word + "'" + v + "'"));
                    i = end[0];
                } else if (word.equals("true") || word.equals("false")) {
                    out.add(new Tok(K.OTHER_LITERAL, word));
                    i = j;
                } else if (WORDS.contains(word) || UNSUPPORTED_WORDS.contains(word)) {
                    out.add(new Tok(K.WORD, word));
                    i = j;
                } else {
                    return null;
                }
            } else {
                return null;
            }
        }
        return out;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }

    /** A quoted string starting at s[i] == '\''; its content with escapes undone, or null. */
    private static String quoted(String s, int i, int[] end) {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                if (j + 1 >= s.length()) {
                    return null;
                }
                char e = s.charAt(j + 1);
                if (e != '\\' && e != '\'') {
                    return null;
                }
                sb.append(e);
                j += 2;
            } else if (c == '\'') {
                end[0] = j + 1;
                return sb.toString();
            } else {
                sb.append(c);
                j++;
            }
        }
        return null;
    }

    /** An object path from s[i]; colon at s[colon]. The path text as written, or null. */
    private static String path(String s, int i, int colon, int[] end) {
        int j = colon + 1;
        int k = j;
        while (k < s.length() && isNameChar(s.charAt(k))) {
            k++;
        }
        if (k == j) {
            return null;
        }
        j = k;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '.' && j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                int[] qe = new int[1];
                if (quoted(s, j + 1, qe) == null) {
                    return null;
                }
                j = qe[0];
            } else if (c == '.') {
                k = j + 1;
                while (k < s.length() && isNameChar(s.charAt(k))) {
                    k++;
                }
                if (k == j + 1) {
                    return null;
                }
                j = k;
            } else if (c == '[') {
                k = j + 1;
                if (k < s.length() && s.charAt(k) == '*') {
                    k++;
                } else {
                    while (k < s.length() && Character.isDigit(s.charAt(k))) {
                        k++;
                    }
                }
                if (k == j + 1 || k >= s.length() || s.charAt(k) != ']') {
                    break; // not an index: the '[' belongs to something else
                }
                j = k + 1;
            } else {
                break;
            }
        }
        end[0] = j;
        return s.substring(i, j);
    }

    // ------------------------------------------------------------------------------------ parser

    /** One comparison: path, operator ("=" or "ISSUBSET"), right side. */
    private record Cmp(String path, String op, Tok value) {}

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Recursive descent; every rule returns its disjunctive normal form, in pattern order. */
    private static final class Parser {
        private final List<Tok> toks;
        private int pos;

        Parser(List<Tok> toks) {
            this.toks = toks;
        }

        private Tok peek() {
            return pos < toks.size() ? toks.get(pos) : null;
        }

        private boolean at(K kind, String text) {
            Tok t = peek();
            return t != null && t.kind == kind && (text == null || t.text.equals(text));
        }

        private Tok expect(K kind) {
            Tok t = peek();
            if (t == null || t.kind != kind) {
                throw new Unsupported();
            }
            pos++;
            return t;
        }

        List<List<Cmp>> obsOr() {
            List<List<Cmp>> d = new ArrayList<>(obsAnd());
            while (at(K.WORD, "OR")) {
                pos++;
                d.addAll(obsAnd());
            }
            return d;
        }

        List<List<Cmp>> obsAnd() {
            List<List<Cmp>> d = obsUnit();
            if (at(K.WORD, "AND")) {
                throw new Unsupported(); // AND between observation expressions
            }
            return d;
        }

        List<List<Cmp>> obsUnit() {
            if (at(K.LBRACK, null)) {
                pos++;
                List<List<Cmp>> d = compOr();
                expect(K.RBRACK);
                return d;
            }
            if (at(K.LPAREN, null)) {
                pos++;
                List<List<Cmp>> d = obsOr();
                expect(K.RPAREN);
                return d;
            }
            throw new Unsupported();
        }

        List<List<Cmp>> compOr() {
            List<List<Cmp>> d = new ArrayList<>(compAnd());
            while (at(K.WORD, "OR")) {
                pos++;
                d.addAll(compAnd());
            }
            return d;
        }

        List<List<Cmp>> compAnd() {
            List<List<Cmp>> d = compUnit();
            while (at(K.WORD, "AND")) {
                pos++;
                List<List<Cmp>> right = compUnit();
                List<List<Cmp>> product = new ArrayList<>();
                for (List<Cmp> l : d) {
                    for (List<Cmp> r : right) {
                        List<Cmp> both = new ArrayList<>(l);
                        both.addAll(r);
                        product.add(both);
                    }
                }
                d = product;
            }
            return d;
        }

        List<List<Cmp>> compUnit() {
            if (at(K.LPAREN, null)) {
                pos++;
                List<List<Cmp>> d = compOr();
                expect(K.RPAREN);
                return d;
            }
            String path = expect(K.PATH).text;
            String op;
            if (at(K.OP, null)) {
                op = "=";
                pos++;
            } else if (at(K.WORD, "ISSUBSET")) {
                op = "ISSUBSET";
                pos++;
            } else {
                throw new Unsupported();
            }
            Tok v = peek();
            if (v == null || (v.kind != K.STRING && v.kind != K.OTHER_LITERAL)) {
                throw new Unsupported();
            }
            pos++;
            List<List<Cmp>> d = new ArrayList<>();
            d.add(List.of(new Cmp(path, op, v)));
            return d;
        }
    }
}

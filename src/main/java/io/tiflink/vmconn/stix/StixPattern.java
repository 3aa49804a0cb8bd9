package io.tiflink.vmconn.stix;

import java.util.List;
import java.util.Objects;

/**
 * What a STIX 2.1 pattern says about IP addresses (SPEC 6.3b). Immutable.
 *
 * <p>{@link #read} parses the whole STIX 2.1 patterning grammar (every literal kind, operator and
 * qualifier, parentheses at both levels, comments), then applies these rules:
 *
 * <ol>
 *   <li>A pattern that does not parse is {@link Kind#UNSUPPORTED} with the reason {@code "syntax
 *       error at N: ..."}. More than {@value PatternParser#MAX_DEPTH} brackets and parentheses open
 *       at once give {@code "nesting deeper than 200 at N"}. Null, blank or comment-only input
 *       gives {@code "empty pattern"}. Positions N are 0-based offsets (in UTF-16 chars) into the
 *       pattern.
 *   <li>IP paths are exactly {@code ipv4-addr:value}, {@code ipv6-addr:value}, {@code
 *       network-traffic:src_ref.value} and {@code network-traffic:dst_ref.value}; type-test paths
 *       {@code network-traffic:src_ref.type} and {@code network-traffic:dst_ref.type}. Paths are
 *       compared without white space or comments, and a quoted key that needs no quotes counts as
 *       bare ({@code ipv4-addr:'value'} is {@code ipv4-addr:value}). Type names are case-sensitive.
 *   <li>The pattern is an OR, at either level and with any parentheses, of disjuncts. An IP
 *       disjunct is one IP comparison with {@code =} (or {@code ==}) or {@code ISSUBSET}, alone or
 *       AND-ed inside its brackets with type tests ({@code =} to a string), which add nothing.
 *   <li>A disjunct with no IP path (type tests alone included) is ignored, whatever it compares and
 *       however it is AND-ed, provided it holds nothing unsupported.
 *   <li>Unsupported wherever it appears: NOT; the operators {@code !=} (or {@code <>}), {@code >},
 *       {@code <}, {@code >=}, {@code <=}, IN, LIKE, MATCHES, ISSUPERSET, EXISTS; FOLLOWEDBY; AND
 *       between observation expressions; WITHIN, REPEATS and START ... STOP; an AND joining an IP
 *       comparison to anything but type tests (another IP comparison, another condition, or a
 *       parenthesised OR, even of IP comparisons); a non-string literal compared with an IP or
 *       type-test path; ISSUBSET on a type-test path. The reason names the first such construct in
 *       the pattern and its position, e.g. {@code "FOLLOWEDBY at 31"}.
 *   <li>Otherwise the pattern is {@link Kind#IPS} with the IP comparisons in pattern order
 *       (duplicates kept), or {@link Kind#NO_IP} when it has none.
 *   <li>Values are the literal's content as written (escapes resolved) and are not checked as
 *       addresses or ranges here: the caller canonicalises them.
 * </ol>
 *
 * <p>Keywords are case-sensitive as in the published grammar (STIXPattern.g4 since 2018): {@code
 * AND}, {@code OR}, {@code NOT}, ... upper case, {@code true} and {@code false} lower case. The
 * specification's prose says nothing on case and writes every example in upper case, so {@code [a:b
 * = 'x'] or [c:d = 'y']} is a syntax error: unsupported rather than read in part.
 */
public final class StixPattern {

    /** The three outcomes of SPEC 6.3b. */
    public enum Kind {
        /** At least one supported IP comparison and nothing unsupported. */
        IPS,
        /** Supported, but no IP disjunct: counted and skipped. */
        NO_IP,
        /** Unreadable or holding an unsupported construct: counted and skipped. */
        UNSUPPORTED
    }

    private static final StixPattern NO_IP = new StixPattern(Kind.NO_IP, List.of(), null);

    private final Kind kind;
    private final List<IpComparison> values;
    private final String reason;

    private StixPattern(Kind kind, List<IpComparison> values, String reason) {
        this.kind = kind;
        this.values = values;
        this.reason = reason;
    }

    /** Reads a pattern; never throws (null or blank input is unsupported as "empty pattern"). */
    public static StixPattern read(String pattern) {
        if (pattern == null) {
            return unsupported("empty pattern");
        }
        PatternNode root;
        try {
            root = PatternParser.parse(pattern);
        } catch (PatternError e) {
            return unsupported(e.reason());
        }
        return root == null ? unsupported("empty pattern") : IpPatternRules.apply(root);
    }

    static StixPattern ips(List<IpComparison> values) {
        return new StixPattern(Kind.IPS, List.copyOf(values), null);
    }

    static StixPattern noIp() {
        return NO_IP;
    }

    static StixPattern unsupported(String reason) {
        return new StixPattern(Kind.UNSUPPORTED, List.of(), reason);
    }

    public Kind kind() {
        return kind;
    }

    /** For IPS: every IP comparison, in pattern order (duplicates kept); empty otherwise. */
    public List<IpComparison> values() {
        return values;
    }

    /** For UNSUPPORTED: the construct and its position, e.g. "FOLLOWEDBY at 31"; else null. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StixPattern other
                && kind == other.kind
                && values.equals(other.values)
                && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, values, reason);
    }

    @Override
    public String toString() {
        return kind == Kind.UNSUPPORTED ? "UNSUPPORTED(" + reason + ")" : kind + values.toString();
    }
}

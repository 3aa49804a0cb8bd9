package io.tiflink.vmconn.stix;

import io.tiflink.vmconn.stix.PatternNode.Comparison;
import io.tiflink.vmconn.stix.PatternNode.Joined;
import io.tiflink.vmconn.stix.PatternNode.Operator;
import io.tiflink.vmconn.stix.PatternNode.Qualified;
import io.tiflink.vmconn.stix.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies SPEC 6.3b to a parsed pattern (the rules are listed on {@link StixPattern}). Two walks
 * over the tree: the first looks for constructs that are unsupported wherever they are, the second
 * reads the disjuncts of the pattern's OR, collecting IP comparisons and rejecting an AND that
 * joins an IP comparison to anything but type tests. When several constructs are unsupported, the
 * reason names the one that comes first in the pattern.
 */
final class IpPatternRules {

    static final Set<String> IP_PATHS =
            Set.of(
                    "ipv4-addr:value",
                    "ipv6-addr:value",
                    "network-traffic:src_ref.value",
                    "network-traffic:dst_ref.value");

    static final Set<String> TYPE_TEST_PATHS =
            Set.of("network-traffic:src_ref.type", "network-traffic:dst_ref.type");

    /** The values of a type test that keep a disjunct an IP disjunct (case-sensitive). */
    static final Set<String> IP_TYPES = Set.of("ipv4-addr", "ipv6-addr");

    private final List<IpComparison> values = new ArrayList<>();
    private String reason;
    private int reasonPosition = Integer.MAX_VALUE;

    private IpPatternRules() {}

    static StixPattern apply(PatternNode root) {
        IpPatternRules rules = new IpPatternRules();
        rules.checkConstructs(root);
        rules.readDisjuncts(root);
        if (rules.reason != null) {
            return StixPattern.unsupported(rules.reason);
        }
        return rules.values.isEmpty() ? StixPattern.noIp() : StixPattern.ips(rules.values);
    }

    /** First walk: constructs unsupported anywhere, in any disjunct. */
    private void checkConstructs(PatternNode node) {
        if (node instanceof Joined joined) {
            if (joined.operator() == Operator.FOLLOWEDBY) {
                unsupported(joined.position(), "FOLLOWEDBY");
            } else if (joined.operator() == Operator.OBSERVATION_AND) {
                unsupported(joined.position(), "AND between observation expressions");
            }
            joined.operands().forEach(this::checkConstructs);
        } else if (node instanceof Qualified qualified) {
            unsupported(qualified.position(), qualified.qualifier());
            checkConstructs(qualified.operand());
        } else {
            checkComparison((Comparison) node);
        }
    }

    private void checkComparison(Comparison comparison) {
        if (comparison.not() != null) {
            unsupported(comparison.not().position(), "NOT");
        }
        Token operator = comparison.operator();
        if (operator.type() != Type.EQ && operator.type() != Type.ISSUBSET) {
            unsupported(operator.position(), operator.text());
            return;
        }
        String path = comparison.path();
        boolean typeTest = TYPE_TEST_PATHS.contains(path);
        if (!typeTest && !IP_PATHS.contains(path)) {
            return;
        }
        if (comparison.value().type() != Type.STRING) {
            unsupported(comparison.value().position(), "non-string value for " + path);
        } else if (typeTest && operator.type() == Type.ISSUBSET) {
            unsupported(operator.position(), "ISSUBSET on " + path);
        }
    }

    /**
     * Second walk, over what is OR-ed together (at either level). Operands of FOLLOWEDBY, of an AND
     * between observation expressions and of qualifiers are walked too, so that the earliest reason
     * is found; their values do not matter, as the first walk rejected the pattern.
     */
    private void readDisjuncts(PatternNode node) {
        if (node instanceof Joined joined) {
            if (joined.operator() == Operator.AND) {
                readConjunction(joined);
            } else {
                joined.operands().forEach(this::readDisjuncts);
            }
        } else if (node instanceof Qualified qualified) {
            readDisjuncts(qualified.operand());
        } else {
            addValue((Comparison) node);
        }
    }

    /**
     * An AND inside brackets, with parenthesised ANDs flattened into it. Without an IP path
     * anywhere in it, it is ignored (type tests alone included). With one, it must be exactly one
     * IP comparison and type tests; when one of those type tests names a type other than {@code
     * ipv4-addr} or {@code ipv6-addr} ({@code network-traffic:dst_ref.type = 'domain-name'}), the
     * disjunct is about another object type and is ignored, as a disjunct without an IP path is
     * (whichever ref the type test and the IP comparison name).
     */
    private void readConjunction(Joined and) {
        List<PatternNode> operands = new ArrayList<>();
        int position = flattenAnd(and, operands);
        if (!containsIpPath(and)) {
            return;
        }
        List<Comparison> ips = new ArrayList<>();
        boolean other = false;
        for (PatternNode operand : operands) {
            if (operand instanceof Comparison comparison && IP_PATHS.contains(comparison.path())) {
                ips.add(comparison);
            } else if (!(operand instanceof Comparison comparison
                    && TYPE_TEST_PATHS.contains(comparison.path()))) {
                other = true;
            }
        }
        if (ips.size() == 1 && !other) {
            if (!namesOtherType(operands)) {
                addValue(ips.get(0));
            }
        } else if (ips.size() > 1) {
            unsupported(position, "AND of two IP comparisons");
        } else {
            unsupported(
                    position, "AND of an IP comparison with a condition other than a type test");
        }
    }

    /** Whether a type test among {@code operands} names a type other than an IP address type. */
    private static boolean namesOtherType(List<PatternNode> operands) {
        for (PatternNode operand : operands) {
            if (operand instanceof Comparison comparison
                    && TYPE_TEST_PATHS.contains(comparison.path())
                    && comparison.value() != null // EXISTS, IN: unsupported anyway
                    && !IP_TYPES.contains(comparison.value().text())) {
                return true;
            }
        }
        return false;
    }

    /** Adds the operands of nested ANDs to {@code into}; returns the first AND's position. */
    private static int flattenAnd(Joined and, List<PatternNode> into) {
        int position = and.position();
        for (PatternNode operand : and.operands()) {
            if (operand instanceof Joined inner && inner.operator() == Operator.AND) {
                position = Math.min(position, flattenAnd(inner, into));
            } else {
                into.add(operand);
            }
        }
        return position;
    }

    private static boolean containsIpPath(PatternNode node) {
        if (node instanceof Joined joined) {
            return joined.operands().stream().anyMatch(IpPatternRules::containsIpPath);
        }
        return node instanceof Comparison comparison && IP_PATHS.contains(comparison.path());
    }

    /** Adds an IP comparison's value; any other comparison was rejected by the first walk. */
    private void addValue(Comparison comparison) {
        Type operator = comparison.operator().type();
        if (IP_PATHS.contains(comparison.path())
                && (operator == Type.EQ || operator == Type.ISSUBSET)
                && comparison.value().type() == Type.STRING) {
            values.add(
                    new IpComparison(
                            comparison.path(),
                            operator == Type.EQ ? "=" : "ISSUBSET",
                            comparison.value().text()));
        }
    }

    private void unsupported(int position, String construct) {
        if (position < reasonPosition) {
            reasonPosition = position;
            reason = construct + " at " + position;
        }
    }
}

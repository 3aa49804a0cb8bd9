package io.tiflink.vmconn.stix;

import java.util.List;

/**
 * A node of a parsed STIX pattern: only what SPEC 6.3b's rules look at. Parentheses leave no node
 * of their own; a joined node keeps its operands in pattern order.
 */
sealed interface PatternNode {

    /** Offset in the pattern of the construct the node stands for. */
    int position();

    /** The operators that join expressions, at the observation level and inside brackets. */
    enum Operator {
        FOLLOWEDBY,
        OBSERVATION_OR,
        OBSERVATION_AND,
        OR,
        AND
    }

    /** Two or more operands joined by one operator; the position is the first operator's. */
    record Joined(Operator operator, List<PatternNode> operands, int position)
            implements PatternNode {
        public Joined {
            operands = List.copyOf(operands);
        }
    }

    /**
     * An observation expression with qualifiers: the first one (WITHIN, REPEATS or START), its
     * position.
     */
    record Qualified(PatternNode operand, String qualifier, int position) implements PatternNode {}

    /**
     * One comparison: the object path as {@link PatternParser} renders it, its position, the NOT
     * before the operator (null when absent), the operator ({@code EXISTS} too), and the literal
     * (null after EXISTS and IN).
     */
    record Comparison(String path, int position, Token not, Token operator, Token value)
            implements PatternNode {}
}

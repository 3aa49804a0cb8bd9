package io.tiflink.vmconn.stix;

/**
 * Why a pattern could not be read: a syntax error or nesting too deep. Thrown inside the parser and
 * caught by {@link StixPattern#read}; it never leaves the package. No stack trace is taken, as
 * errors are the expected outcome of bad input, not bugs.
 */
final class PatternError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private PatternError(String reason) {
        super(reason, null, false, false);
    }

    static PatternError syntax(int position, String what) {
        return new PatternError("syntax error at " + position + ": " + what);
    }

    static PatternError tooDeep(int maxDepth, int position) {
        return new PatternError("nesting deeper than " + maxDepth + " at " + position);
    }

    String reason() {
        return getMessage();
    }
}

package io.tiflink.vmconn.stix;

import java.util.Map;

/**
 * One token of a STIX pattern: its type, the offset of its first character in the pattern, and its
 * text. The text of a string literal is its content, unescaped; of any other token, the characters
 * as written.
 */
record Token(Type type, int position, String text) {

    /** Token types of the STIX 2.1 patterning grammar (the parser's view of them). */
    enum Type {
        LBRACK,
        RBRACK,
        LPAREN,
        RPAREN,
        COLON,
        DOT,
        COMMA,
        ASTERISK,
        EQ,
        NEQ,
        LT,
        LE,
        GT,
        GE,
        IDENTIFIER,
        STRING,
        INTEGER,
        FLOAT,
        BINARY,
        HEX,
        TIMESTAMP,
        AND,
        OR,
        NOT,
        FOLLOWEDBY,
        LIKE,
        MATCHES,
        ISSUPERSET,
        ISSUBSET,
        EXISTS,
        LAST,
        IN,
        START,
        STOP,
        SECONDS,
        TRUE,
        FALSE,
        WITHIN,
        REPEATS,
        TIMES,
        EOF
    }

    /**
     * Reserved words, spelled exactly: keywords are upper case and the booleans lower case, as in
     * the published grammar. {@code LAST} is reserved although no rule uses it.
     */
    static final Map<String, Type> KEYWORDS =
            Map.ofEntries(
                    Map.entry("AND", Type.AND),
                    Map.entry("OR", Type.OR),
                    Map.entry("NOT", Type.NOT),
                    Map.entry("FOLLOWEDBY", Type.FOLLOWEDBY),
                    Map.entry("LIKE", Type.LIKE),
                    Map.entry("MATCHES", Type.MATCHES),
                    Map.entry("ISSUPERSET", Type.ISSUPERSET),
                    Map.entry("ISSUBSET", Type.ISSUBSET),
                    Map.entry("EXISTS", Type.EXISTS),
                    Map.entry("LAST", Type.LAST),
                    Map.entry("IN", Type.IN),
                    Map.entry("START", Type.START),
                    Map.entry("STOP", Type.STOP),
                    Map.entry("SECONDS", Type.SECONDS),
                    Map.entry("true", Type.TRUE),
                    Map.entry("false", Type.FALSE),
                    Map.entry("WITHIN", Type.WITHIN),
                    Map.entry("REPEATS", Type.REPEATS),
                    Map.entry("TIMES", Type.TIMES));

    /** True for a signed integer or float literal that starts with '-'. */
    boolean isNegative() {
        return (type == Type.INTEGER || type == Type.FLOAT) && text.startsWith("-");
    }

    /** How an error message names this token: its text, shortened, or "end of pattern". */
    String describe() {
        return switch (type) {
            case EOF -> "end of pattern";
            case STRING -> "a string";
            default ->
                    text.length() <= 24 ? "'" + text + "'" : "'" + text.substring(0, 20) + "...'";
        };
    }
}

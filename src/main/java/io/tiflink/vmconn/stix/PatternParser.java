package io.tiflink.vmconn.stix;

import io.tiflink.vmconn.stix.PatternNode.Comparison;
import io.tiflink.vmconn.stix.PatternNode.Joined;
import io.tiflink.vmconn.stix.PatternNode.Operator;
import io.tiflink.vmconn.stix.PatternNode.Qualified;
import io.tiflink.vmconn.stix.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser for the whole STIX 2.1 patterning grammar. It checks syntax only and
 * builds a {@link PatternNode} tree; what is supported is decided elsewhere.
 *
 * <p>Precedence, loosest first: FOLLOWEDBY, OR, AND between observation expressions; qualifiers
 * bind to the observation expression (bracketed or parenthesised) just before them. Inside
 * brackets: OR, then AND. Chains of one operator are read in a loop, so a long flat pattern costs
 * no stack; parentheses and brackets recurse, and more than {@value #MAX_DEPTH} of them open at
 * once stop the parse with a {@link PatternError}.
 */
final class PatternParser {

    static final int MAX_DEPTH = 200;

    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final PatternLexer lexer;
    private Token token;
    private int depth;

    private PatternParser(String pattern) {
        this.lexer = new PatternLexer(pattern);
        this.token = lexer.next();
    }

    /**
     * Parses a whole pattern; null when it holds no token at all.
     *
     * @throws PatternError when it is not a STIX pattern or nests too deep
     */
    static PatternNode parse(String pattern) {
        PatternParser parser = new PatternParser(pattern);
        if (parser.token.type() == Type.EOF) {
            return null;
        }
        PatternNode root = parser.followedBy();
        parser.expect(Type.EOF, "end of pattern");
        return root;
    }

    private PatternNode followedBy() {
        return joined(Operator.FOLLOWEDBY, Type.FOLLOWEDBY, this::observationOr);
    }

    private PatternNode observationOr() {
        return joined(Operator.OBSERVATION_OR, Type.OR, this::observationAnd);
    }

    private PatternNode observationAnd() {
        return joined(Operator.OBSERVATION_AND, Type.AND, this::qualified);
    }

    /**
     * An observation expression and its qualifiers. Only the first qualifier makes a node, so a
     * long chain of them ({@code WITHIN 1 SECONDS WITHIN 1 SECONDS ...}) nests nothing.
     */
    private PatternNode qualified() {
        PatternNode node = observation();
        Token first = null;
        while (true) {
            Token qualifier = token;
            switch (qualifier.type()) {
                case WITHIN -> {
                    advance();
                    if ((token.type() != Type.INTEGER && token.type() != Type.FLOAT)
                            || token.isNegative()) {
                        throw expected("a positive number of seconds");
                    }
                    advance();
                    expect(Type.SECONDS, "SECONDS");
                }
                case REPEATS -> {
                    advance();
                    if (token.type() != Type.INTEGER || token.isNegative()) {
                        throw expected("a positive integer");
                    }
                    advance();
                    expect(Type.TIMES, "TIMES");
                }
                case START -> {
                    advance();
                    expect(Type.TIMESTAMP, "a timestamp t'...'");
                    expect(Type.STOP, "STOP");
                    expect(Type.TIMESTAMP, "a timestamp t'...'");
                }
                default -> {
                    return first == null
                            ? node
                            : new Qualified(node, first.text(), first.position());
                }
            }
            if (first == null) {
                first = qualifier;
            }
        }
    }

    private PatternNode observation() {
        if (token.type() == Type.LBRACK) {
            enter();
            PatternNode comparison = comparisonOr();
            expect(Type.RBRACK, "']'");
            depth--;
            return comparison;
        }
        if (token.type() == Type.LPAREN) {
            enter();
            PatternNode inner = followedBy();
            expect(Type.RPAREN, "')'");
            depth--;
            return inner;
        }
        throw expected("'[' or '('");
    }

    private PatternNode comparisonOr() {
        return joined(Operator.OR, Type.OR, this::comparisonAnd);
    }

    private PatternNode comparisonAnd() {
        return joined(Operator.AND, Type.AND, this::comparison);
    }

    private PatternNode comparison() {
        if (token.type() == Type.LPAREN) {
            enter();
            PatternNode inner = comparisonOr();
            expect(Type.RPAREN, "')'");
            depth--;
            return inner;
        }
        if (token.type() == Type.NOT || token.type() == Type.EXISTS) {
            Token not = optional(Type.NOT);
            Token exists = expect(Type.EXISTS, "EXISTS");
            int position = token.position();
            return new Comparison(objectPath(), position, not, exists, null);
        }
        int position = token.position();
        String path = objectPath();
        Token not = optional(Type.NOT);
        Token operator = token;
        Token value =
                switch (operator.type()) {
                    case EQ, NEQ -> {
                        advance();
                        yield literal(true);
                    }
                    case GT, LT, GE, LE -> {
                        advance();
                        yield literal(false);
                    }
                    case IN -> {
                        advance();
                        yield setLiteral();
                    }
                    case LIKE, MATCHES, ISSUBSET, ISSUPERSET -> {
                        advance();
                        yield expect(Type.STRING, "a string literal after " + operator.text());
                    }
                    default -> throw expected("a comparison operator");
                };
        return new Comparison(path, position, not, operator, value);
    }

    /**
     * {@code type:property} followed by {@code .key} and {@code [index]} steps, rendered without
     * white space or comments. A quoted key that could have been written bare is rendered bare, so
     * {@code ipv4-addr:'value'} and {@code ipv4-addr:value} are the same path.
     */
    private String objectPath() {
        StringBuilder path = new StringBuilder(expect(Type.IDENTIFIER, "an object path").text());
        expect(Type.COLON, "':'");
        path.append(':');
        appendKey(path);
        while (true) {
            if (token.type() == Type.DOT) {
                advance();
                path.append('.');
                appendKey(path);
            } else if (token.type() == Type.LBRACK) {
                advance();
                if (token.type() != Type.INTEGER && token.type() != Type.ASTERISK) {
                    throw expected("a list index or '*'");
                }
                path.append('[').append(token.text()).append(']');
                advance();
                expect(Type.RBRACK, "']'");
            } else {
                return path.toString();
            }
        }
    }

    private void appendKey(StringBuilder path) {
        if (token.type() == Type.IDENTIFIER && token.text().indexOf('-') < 0) {
            path.append(token.text());
        } else if (token.type() == Type.STRING) {
            String key = token.text();
            if (BARE_KEY.matcher(key).matches()) {
                path.append(key);
            } else {
                path.append('\'')
                        .append(key.replace("\\", "\\\\").replace("'", "\\'"))
                        .append('\'');
            }
        } else {
            throw expected("a property name");
        }
        advance();
    }

    /** A constant: any literal kind, the booleans only when {@code withBoolean}. */
    private Token literal(boolean withBoolean) {
        switch (token.type()) {
            case INTEGER, FLOAT, STRING, BINARY, HEX, TIMESTAMP -> {}
            case TRUE, FALSE -> {
                if (!withBoolean) {
                    throw expected("an orderable literal (not a boolean)");
                }
            }
            default -> throw expected("a literal");
        }
        Token literal = token;
        advance();
        return literal;
    }

    /** {@code ( )} or {@code ( literal, ... )}; parentheses here do not nest. No value is kept. */
    private Token setLiteral() {
        expect(Type.LPAREN, "'(' to open a set");
        if (optional(Type.RPAREN) == null) {
            do {
                literal(true);
            } while (optional(Type.COMMA) != null);
            expect(Type.RPAREN, "',' or ')'");
        }
        return null;
    }

    private PatternNode joined(Operator operator, Type keyword, Supplier<PatternNode> operand) {
        PatternNode first = operand.get();
        if (token.type() != keyword) {
            return first;
        }
        int position = token.position();
        List<PatternNode> operands = new ArrayList<>();
        operands.add(first);
        while (optional(keyword) != null) {
            operands.add(operand.get());
        }
        return new Joined(operator, operands, position);
    }

    /** Consumes an opening bracket or parenthesis, counting the depth. */
    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw PatternError.tooDeep(MAX_DEPTH, token.position());
        }
        advance();
    }

    private Token optional(Type type) {
        if (token.type() != type) {
            return null;
        }
        Token consumed = token;
        advance();
        return consumed;
    }

    private Token expect(Type type, String what) {
        Token consumed = optional(type);
        if (consumed == null) {
            throw expected(what);
        }
        return consumed;
    }

    private PatternError expected(String what) {
        return PatternError.syntax(
                token.position(), "expected " + what + ", found " + token.describe());
    }

    private void advance() {
        token = lexer.next();
    }
}

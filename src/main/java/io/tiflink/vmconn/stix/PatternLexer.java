package io.tiflink.vmconn.stix;

import io.tiflink.vmconn.stix.Token.Type;
import java.util.regex.Pattern;

/**
 * Splits a STIX 2.1 pattern into tokens, one at a time, in a single left-to-right pass.
 *
 * <p>Between tokens it skips Unicode white space, {@code /* ... *}{@code /} comments and {@code //}
 * comments to the end of the line, as the published grammar does. Like that grammar's lexer it
 * takes the longest token at each point, so {@code ORx} is an identifier and {@code .5} a float.
 * Literals are checked here: strings allow only the escapes {@code \'} and {@code \\}; hex holds an
 * even number of hex digits; binary is padded base64 (line feeds inside it are ignored, as the
 * specification requires); a timestamp is {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}; an integer has
 * no leading zero. Anything else throws a {@link PatternError}.
 */
final class PatternLexer {

    private static final Pattern TIMESTAMP =
            Pattern.compile(
                    "[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])"
                            + "T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?Z");

    private final String text;
    private int pos;

    PatternLexer(String text) {
        this.text = text;
    }

    /** The next token; {@link Type#EOF} (repeatedly) at the end. */
    Token next() {
        skipSpaceAndComments();
        int start = pos;
        if (pos >= text.length()) {
            return new Token(Type.EOF, start, "");
        }
        char c = text.charAt(pos);
        char next = charAt(pos + 1);
        if (c == '\'') {
            return string(start);
        }
        if ((c == 't' || c == 'h' || c == 'b') && next == '\'') {
            return prefixedLiteral(c, start);
        }
        if (isIdentifierStart(c)) {
            return identifierOrKeyword(start);
        }
        if (isDigit(c)
                || (c == '.' && isDigit(next))
                || ((c == '+' || c == '-')
                        && (isDigit(next) || (next == '.' && isDigit(charAt(pos + 2)))))) {
            return number(start);
        }
        switch (c) {
            case '[':
                return punctuation(Type.LBRACK, 1);
            case ']':
                return punctuation(Type.RBRACK, 1);
            case '(':
                return punctuation(Type.LPAREN, 1);
            case ')':
                return punctuation(Type.RPAREN, 1);
            case ':':
                return punctuation(Type.COLON, 1);
            case '.':
                return punctuation(Type.DOT, 1);
            case ',':
                return punctuation(Type.COMMA, 1);
            case '*':
                return punctuation(Type.ASTERISK, 1);
            case '=':
                return punctuation(Type.EQ, next == '=' ? 2 : 1);
            case '!':
                if (next == '=') {
                    return punctuation(Type.NEQ, 2);
                }
                break;
            case '<':
                if (next == '=') {
                    return punctuation(Type.LE, 2);
                }
                return next == '>' ? punctuation(Type.NEQ, 2) : punctuation(Type.LT, 1);
            case '>':
                return next == '=' ? punctuation(Type.GE, 2) : punctuation(Type.GT, 1);
            default:
                break;
        }
        throw PatternError.syntax(start, "unexpected character " + describe(c));
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (c == '/' && charAt(pos + 1) == '*') {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw PatternError.syntax(pos, "unterminated comment");
                }
                pos = end + 2;
            } else if (c == '/' && charAt(pos + 1) == '/') {
                while (pos < text.length()
                        && text.charAt(pos) != '\n'
                        && text.charAt(pos) != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token punctuation(Type type, int length) {
        int start = pos;
        pos += length;
        return new Token(type, start, text.substring(start, pos));
    }

    private Token string(int start) {
        StringBuilder content = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\'') {
                pos++;
                return new Token(Type.STRING, start, content.toString());
            }
            if (c == '\\') {
                char escaped = charAt(pos + 1);
                if (escaped != '\'' && escaped != '\\') {
                    throw PatternError.syntax(pos, "invalid escape in string: only \\' and \\\\");
                }
                content.append(escaped);
                pos += 2;
            } else {
                content.append(c);
                pos++;
            }
        }
        throw PatternError.syntax(start, "unterminated string");
    }

    /** {@code t'...'}, {@code h'...'} or {@code b'...'}. None may contain a quote. */
    private Token prefixedLiteral(char prefix, int start) {
        int close = text.indexOf('\'', start + 2);
        if (close < 0) {
            throw PatternError.syntax(start, "unterminated " + prefix + "'...' literal");
        }
        String content = text.substring(start + 2, close);
        Type type;
        boolean valid;
        if (prefix == 't') {
            type = Type.TIMESTAMP;
            valid = TIMESTAMP.matcher(content).matches();
        } else if (prefix == 'h') {
            type = Type.HEX;
            valid = isHex(content);
        } else {
            type = Type.BINARY;
            valid = isBase64(content);
        }
        if (!valid) {
            throw PatternError.syntax(start, "invalid " + type.name().toLowerCase() + " literal");
        }
        pos = close + 1;
        return new Token(type, start, text.substring(start, pos));
    }

    private Token identifierOrKeyword(int start) {
        pos++;
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        return new Token(Token.KEYWORDS.getOrDefault(word, Type.IDENTIFIER), start, word);
    }

    /** {@code [+-]? digits} (no leading zero) or {@code [+-]? digits? . digits}. */
    private Token number(int start) {
        if (text.charAt(pos) == '+' || text.charAt(pos) == '-') {
            pos++;
        }
        int digitsStart = pos;
        skipDigits();
        int digits = pos - digitsStart;
        if (charAt(pos) == '.' && isDigit(charAt(pos + 1))) {
            pos++;
            skipDigits();
            return new Token(Type.FLOAT, start, text.substring(start, pos));
        }
        if (digits > 1 && text.charAt(digitsStart) == '0') {
            throw PatternError.syntax(start, "integer with a leading zero");
        }
        return new Token(Type.INTEGER, start, text.substring(start, pos));
    }

    private void skipDigits() {
        while (isDigit(charAt(pos))) {
            pos++;
        }
    }

    private char charAt(int index) {
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private static boolean isHex(String s) {
        if (s.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Padded base64: groups of four, the last possibly ending in "=" or "=="; line feeds skipped.
     */
    private static boolean isBase64(String s) {
        int chars = 0;
        int padding = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                continue;
            }
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !isBase64Char(c)) {
                return false;
            } else {
                chars++;
            }
        }
        return padding <= 2 && chars + padding >= 4 && (chars + padding) % 4 == 0;
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || isDigit(c)
                || c == '+'
                || c == '/';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    /** Identifiers may hold hyphens; the parser allows them in object types only. */
    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '-';
    }

    /** Unicode White_Space, the set the grammar skips. */
    static boolean isSpace(char c) {
        return (c >= '\t' && c <= '\r')
                || c == ' '
                || c == '\u0085'
                || c == '\u00a0'
                || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200a')
                || c == '\u2028'
                || c == '\u2029'
                || c == '\u202f'
                || c == '\u205f'
                || c == '\u3000';
    }

    private static String describe(char c) {
        return c > ' ' && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}

package io.tiflink.vmconn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle's own timestamp reader and writer (SPEC 3.6, 5.2).
 *
 * <p>Readable: {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm)}, exactly that (upper-case T
 * and Z, seconds required, a JSON string with no surrounding white space). Anything else is
 * unreadable.
 */
public final class RefTime {

    private RefTime() {}

    private static final Pattern ISO =
            Pattern.compile(
                    "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(Z|[+-]\\d{2}:\\d{2})");

    /** An instant together with the number of fractional digits of the text it was read from. */
    public record Stamp(Instant instant, int digits) {

        public String format() {
            return RefTime.format(instant, digits);
        }
    }

    /** Reads a JSON value; null when missing, not a string, or not a readable timestamp. */
    public static Stamp read(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        return parse(node.textValue());
    }

    public static Stamp parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = ISO.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            String frac = m.group(7) == null ? "" : m.group(7);
            int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000000").substring(0, 9));
            LocalDateTime ldt =
                    LocalDateTime.of(
                            Integer.parseInt(m.group(1)),
                            Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3)),
                            Integer.parseInt(m.group(4)),
                            Integer.parseInt(m.group(5)),
                            Integer.parseInt(m.group(6)),
                            nanos);
            ZoneOffset off = m.group(8).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
            return new Stamp(ldt.toInstant(off), frac.length());
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /** UTC, ending in Z, with exactly {@code digits} fractional digits (none and no dot for 0). */
    public static String format(Instant t, int digits) {
        LocalDateTime ldt = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "%04d-%02d-%02dT%02d:%02d:%02d",
                        ldt.getYear(),
                        ldt.getMonthValue(),
                        ldt.getDayOfMonth(),
                        ldt.getHour(),
                        ldt.getMinute(),
                        ldt.getSecond()));
        if (digits > 0) {
            String nanos = String.format("%09d", ldt.getNano());
            sb.append('.').append(nanos, 0, digits);
        }
        return sb.append('Z').toString();
    }
}

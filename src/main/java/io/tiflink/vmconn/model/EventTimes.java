package io.tiflink.vmconn.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Event times as the job keeps them: nanoseconds since the epoch (UTC) in a {@code long}, plus the
 * number of fractional digits the text arrived with, so that output keeps the input's precision
 * (SPEC 3.6). Times beyond the range of a long (after 2262) saturate: they still compare correctly
 * against every real event time.
 */
public final class EventTimes {

    /** Marks a missing or unreadable time. */
    public static final long UNREADABLE = Long.MIN_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private EventTimes() {}

    /**
     * Parses ISO-8601 text (offset or Z; a zone-less text is read as UTC); UNREADABLE if it is not
     * a time.
     */
    public static long parseNanos(String text) {
        if (text == null) {
            return UNREADABLE;
        }
        String t = text.trim();
        if (t.isEmpty()) {
            return UNREADABLE;
        }
        long fast = parseUtcFast(t);
        return fast != NOT_FAST ? fast : parseWithFormatters(t);
    }

    /** The general reading of a trimmed, non-empty text (the fast path's reference). */
    static long parseWithFormatters(String t) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                instant =
                        LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                                .toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return UNREADABLE;
            }
        }
        return toNanos(instant);
    }

    private static final long NOT_FAST = Long.MIN_VALUE + 7;

    /**
     * The form Log Analytics writes, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, read directly (the
     * formatters cost about a microsecond a row); NOT_FAST for anything else, which the formatters
     * then read. Accepts exactly what they accept in this form: a valid date, hours 0-23, minutes
     * and seconds 0-59, 'T'/'t' and 'Z'/'z'.
     */
    static long parseUtcFast(String t) {
        int n = t.length();
        if (n < 20
                || n == 21
                || n > 30
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || (t.charAt(10) | 0x20) != 't'
                || (t.charAt(n - 1) | 0x20) != 'z') {
            return NOT_FAST;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > lengthOfMonth(year, month)) {
            return NOT_FAST;
        }
        long nano = 0;
        if (n > 20) {
            if (t.charAt(19) != '.') {
                return NOT_FAST;
            }
            int fraction = n - 21;
            int f = digits(t, 20, fraction);
            if (f < 0) {
                return NOT_FAST;
            }
            nano = f;
            for (int k = fraction; k < 9; k++) {
                nano *= 10;
            }
        }
        long seconds =
                daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND - 1) {
            return Long.MAX_VALUE; // as toNanos: saturated beyond the range of a long
        }
        if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND + 1) {
            return Long.MIN_VALUE + 1;
        }
        return seconds * NANOS_PER_SECOND + nano;
    }

    /** The decimal value of {@code len} ASCII digits from {@code at}; -1 if one is not a digit. */
    private static int digits(String t, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    /** Number of fractional-second digits in the text (0 when it has none). */
    public static int fractionDigits(String text) {
        if (text == null) {
            return 0;
        }
        int dot = text.indexOf('.');
        if (dot < 0) {
            return 0;
        }
        int n = 0;
        for (int i = dot + 1; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            n++;
        }
        return Math.min(n, 9);
    }

    static long toNanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND - 1) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND + 1) {
            return Long.MIN_VALUE + 1;
        }
        return seconds * NANOS_PER_SECOND + instant.getNano();
    }

    /** Flink's millisecond timestamp for an event time (floor). */
    public static long toMillis(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_MILLI);
    }

    public static long millisToNanos(long millis) {
        return Math.multiplyExact(millis, NANOS_PER_MILLI);
    }

    /** ISO-8601 UTC text ending in Z with exactly {@code digits} fractional digits. */
    public static String format(long nanos, int digits) {
        if (nanos == UNREADABLE) {
            return null;
        }
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        int nano = (int) Math.floorMod(nanos, NANOS_PER_SECOND);
        StringBuilder sb = new StringBuilder(32);
        try {
            LocalDateTime dt = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
            sb.append(DateTimeFormatter.ISO_LOCAL_DATE.format(dt)).append('T');
            pad2(sb, dt.getHour()).append(':');
            pad2(sb, dt.getMinute()).append(':');
            pad2(sb, dt.getSecond());
        } catch (DateTimeException e) {
            return Instant.ofEpochSecond(seconds, nano).toString();
        }
        if (digits > 0) {
            String frac = Integer.toString(nano + 1_000_000_000).substring(1);
            sb.append('.').append(frac, 0, Math.min(digits, 9));
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder pad2(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        return sb.append(v);
    }
}

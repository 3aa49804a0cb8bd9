package io.tiflink.vmconn.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Event times as the job keeps them: nanoseconds since the epoch (UTC) in a {@code long},
 * plus the number of fractional digits the text arrived with, so that output keeps the
 * input's precision (SPEC 3.6). Times beyond the range of a long (after 2262) saturate:
 * they still compare correctly against every real event time.
 */
public final class EventTimes {

    /** Marks a missing or unreadable time. */
    public static final long UNREADABLE = Long.MIN_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private EventTimes() {}

    /** Parses ISO-8601 text (offset or Z; a zone-less text is read as UTC); UNREADABLE if it is not a time. */
    public static long parseNanos(String text) {
        if (text == null) {
            return UNREADABLE;
        }
        String t = text.trim();
        if (t.isEmpty()) {
            return UNREADABLE;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                instant = LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return UNREADABLE;
            }
        }
        return toNanos(instant);
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

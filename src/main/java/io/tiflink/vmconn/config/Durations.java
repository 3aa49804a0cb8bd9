package io.tiflink.vmconn.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Reads durations as users write them: 1h, 14d, 5m, 30s, 250ms, or ISO-8601 (PT1H). */
public final class Durations {

    private Durations() {}

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            int i = 0;
            while (i < t.length() && (Character.isDigit(t.charAt(i)))) {
                i++;
            }
            if (i == 0) {
                throw new IllegalArgumentException();
            }
            long n = Long.parseLong(t.substring(0, i));
            switch (t.substring(i).trim()) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                case "":
                    return Duration.ofSeconds(n);
                case "m":
                case "min":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "cannot read duration '"
                            + text
                            + "': write it as 250ms, 30s, 5m, 1h, 14d or PT1H");
        }
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + "m";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }
}

package io.tiflink.vmconn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The direct reading of Log Analytics' time form gives exactly what the ISO formatters give. */
class EventTimesFastPathTest {

    @Test
    void fastPathAgreesWithTheFormattersOnValidAndInvalidTimes() {
        Random r = new Random(7);
        List<String> texts =
                new ArrayList<>(
                        List.of(
                                "2026-11-27T10:15:00.1234567Z",
                                "2026-11-27T10:15:00Z",
                                "2026-11-27t10:15:00z",
                                "2024-02-29T00:00:00Z",
                                "2023-02-29T00:00:00Z",
                                "2026-04-31T00:00:00Z",
                                "2026-11-27T24:00:00Z",
                                "2026-11-27T23:60:00Z",
                                "2026-11-27T23:59:60Z",
                                "2026-11-27T10:15:00.Z",
                                "2026-11-27T10:15:00.1234567890Z",
                                "2026-13-01T00:00:00Z",
                                "2026-00-01T00:00:00Z",
                                "2026-11-00T00:00:00Z",
                                "2026-11-27 10:15:00Z",
                                "2026-11-27T10:15Z",
                                "2026-11-27T10:15:00",
                                "2026-11-27T10:15:00+01:00",
                                "0000-01-01T00:00:00Z",
                                "9999-12-31T23:59:59.999999999Z",
                                "2300-01-01T00:00:00Z",
                                "1900-02-29T00:00:00Z",
                                "2000-02-29T00:00:00Z",
                                "2026-1-27T10:15:00Z",
                                "2026-11-27T10:15:0aZ",
                                "+2026-11-27T10:15:00Z",
                                "2026-11-27T10:15:00.12345678Z"));
        for (int i = 0; i < 20_000; i++) {
            Instant t =
                    Instant.ofEpochSecond(r.nextLong() % 8_000_000_000L, r.nextInt(1_000_000_000));
            int digits = r.nextInt(10);
            String pattern =
                    "uuuu-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits)) + "'Z'";
            String s = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(t);
            if (r.nextInt(10) == 0) {
                char[] c = s.toCharArray();
                c[r.nextInt(c.length)] = "0123456789:-.TZtz9".charAt(r.nextInt(18));
                s = new String(c);
            }
            texts.add(s);
        }
        for (String s : texts) {
            assertThat(EventTimes.parseNanos(s)).as(s).isEqualTo(EventTimes.parseWithFormatters(s));
        }
    }
}

package io.tiflink.vmconn.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the demo writes to the console: the clock at the start of each line, counts, shares. */
final class Console {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Console() {}

    /** A line of the demo's own: {@code 12:00:01 demo: ...}. */
    static void say(PrintStream out, String line) {
        out.println(now() + "  demo: " + line);
        out.flush();
    }

    /** The wall clock, UTC, HH:mm:ss. */
    static String now() {
        return LocalTime.now(ZoneOffset.UTC).format(CLOCK);
    }

    /** 12345 -> {@code 12,345}. */
    static String count(long n) {
        return String.format("%,d", n);
    }

    /** 0.005 -> {@code 0.5%}, 0.2 -> {@code 20%}. */
    static String percent(double f) {
        return (f * 100 == Math.rint(f * 100)
                        ? Long.toString(Math.round(f * 100))
                        : Double.toString(f * 100))
                + "%";
    }

    /** Seconds since {@code startNanos}, one decimal: {@code 3.2}. */
    static String secondsSince(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }

    /** The text cut to {@code max} characters, the last one an ellipsis; null is empty. */
    static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

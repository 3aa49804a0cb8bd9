package io.tiflink.vmconn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results: target/bench/results.json, results.md (the table) and the throughput chart (SVG).
 */
final class Report {

    /** Headline keys: always written (null when the part did not run). */
    static final List<String> HEADLINE_KEYS =
            List.of(
                    "job_eps_p1",
                    "parse_only_eps_p1",
                    "plain_parse_eps",
                    "sql_peer_eps_p1",
                    "eps_1m_over_10k",
                    "heap_bytes_per_indicator_1m",
                    "checkpoint_seconds_1m",
                    "latency_p50_ms_first",
                    "latency_p99_ms_first",
                    "kafka_eps");

    final Map<String, Object> json = new LinkedHashMap<>();
    final List<String[]> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    /** Indicator-set size -> events per second (p1), for the chart. */
    final Map<Long, Double> scaling = new LinkedHashMap<>();

    Report() {
        for (String k : HEADLINE_KEYS) {
            json.put(k, null);
        }
    }

    void put(String key, Object value) {
        if (value instanceof Double
                && (((Double) value).isNaN() || ((Double) value).isInfinite())) {
            value = null;
        }
        json.put(key, value);
    }

    void row(String what, String value, String note) {
        rows.add(new String[] {what, value, note});
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path results = dir.resolve("results.json");
        if (Files.exists(results)) {
            // The soak's keys (./bench.sh --soak) stay: each mode owns its keys of the file.
            try {
                mapper.readTree(results.toFile())
                        .fields()
                        .forEachRemaining(
                                e -> {
                                    if (e.getKey().startsWith("soak_")) {
                                        json.putIfAbsent(
                                                e.getKey(),
                                                mapper.convertValue(e.getValue(), Object.class));
                                    }
                                });
            } catch (IOException e) {
                // an unreadable file is replaced
            }
        }
        mapper.writeValue(results.toFile(), json);
        Files.writeString(dir.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("throughput-vs-indicators.svg"), svg(), StandardCharsets.UTF_8);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| measurement | result | how |\n|---|---|---|\n");
        for (String[] r : rows) {
            sb.append("| ")
                    .append(r[0])
                    .append(" | ")
                    .append(r[1])
                    .append(" | ")
                    .append(r[2])
                    .append(" |\n");
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }

    /** The table as text for the console. */
    String text() {
        int w0 = 10;
        int w1 = 6;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w0 + "s  %" + w1 + "s  %s%n";
        sb.append(String.format(fmt, "measurement", "result", "how"));
        for (String[] r : rows) {
            sb.append(String.format(fmt, r[0], r[1], r[2]));
        }
        return sb.toString();
    }

    /** A bar chart of events per second (parallelism 1) against the indicator-set size. */
    String svg() {
        int width = 640;
        int height = 400;
        int left = 90;
        int right = 20;
        int top = 50;
        int bottom = 60;
        double max = scaling.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double scaleMax = niceCeiling(max);
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                        width,
                        height,
                        width,
                        height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">"
                                + "Whole job, parallelism 1: throughput against live indicators</text>%n",
                        left));
        int plotH = height - top - bottom;
        int plotW = width - left - right;
        for (int i = 0; i <= 4; i++) {
            double v = scaleMax * i / 4;
            double y = top + plotH - plotH * i / 4.0;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                            left,
                            y,
                            width - right,
                            y));
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                            left - 6,
                            y + 4,
                            human(v)));
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" "
                                + "text-anchor=\"middle\">connection rows per second</text>%n",
                        top + plotH / 2,
                        top + plotH / 2));
        int n = Math.max(1, scaling.size());
        double slot = (double) plotW / n;
        int i = 0;
        for (Map.Entry<Long, Double> e : scaling.entrySet()) {
            double h = plotH * e.getValue() / scaleMax;
            double x = left + slot * i + slot * 0.2;
            double y = top + plotH - h;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                    + "fill=\"#3b73b9\"/>%n",
                            x,
                            y,
                            slot * 0.6,
                            h));
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s/s</text>%n",
                            x + slot * 0.3,
                            y - 6,
                            human(e.getValue())));
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                            x + slot * 0.3,
                            top + plotH + 18,
                            human(e.getKey())));
            i++;
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                        left,
                        top + plotH,
                        width - right,
                        top + plotH));
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">live indicators "
                                + "(broadcast state)</text>%n",
                        left + plotW / 2,
                        height - 18));
        s.append("</svg>\n");
        return s.toString();
    }

    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String human(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String eps(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f /s", v);
    }

    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v >= 1 << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", v / (1 << 30));
        }
        if (v >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20));
        }
        if (v >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", v / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2fx", v);
    }
}

package io.tiflink.vmconn.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The soak's chart (SVG): five panels over event time, one line per state backend: throughput, heap
 * after GC (with the heap's maximum and the 3 GB goal), kept connections, checkpoint size and
 * checkpoint duration. A dashed vertical line marks where the steady part starts.
 */
final class SoakChart {

    private static final Map<String, String> COLORS =
            Map.of("heap", "#3b73b9", "rocksdb", "#d9822b");
    private static final int WIDTH = 760, LEFT = 90, RIGHT = 110, PANEL = 150, GAP = 46, TOP = 56;

    private SoakChart() {}

    /** One panel: what it plots and how its axis reads (label null: bytes, in MiB or GiB). */
    private record Panel(
            String title,
            ToDoubleFunction<SoakRun.Sample> value,
            DoubleFunction<String> label,
            double[] lines,
            String[] lineNames) {}

    private static final double GIB = 1L << 30, MIB = 1L << 20;

    static String svg(
            Map<String, List<SoakRun.Sample>> series,
            double steadyFrom,
            int minutes,
            long maxHeap,
            String title) {
        boolean goal = maxHeap > 3 * GIB;
        List<Panel> panels =
                List.of(
                        new Panel(
                                "Throughput (connection rows per second)",
                                s -> s.eps,
                                v -> Report.human(v) + "/s",
                                new double[0],
                                new String[0]),
                        new Panel(
                                "Heap used after the last GC",
                                s -> s.heapAfterGcBytes,
                                null,
                                goal ? new double[] {maxHeap, 3 * GIB} : new double[] {maxHeap},
                                goal
                                        ? new String[] {"heap max", "goal 3 GB"}
                                        : new String[] {"heap max"}),
                        new Panel(
                                "Connections kept by the matcher (keptConnections)",
                                s -> s.keptConnections,
                                Report::human,
                                new double[0],
                                new String[0]),
                        new Panel(
                                "Last completed checkpoint: size",
                                s -> s.checkpointId == 0 ? Double.NaN : s.checkpointBytes,
                                null,
                                new double[0],
                                new String[0]),
                        new Panel(
                                "Last completed checkpoint: duration",
                                s -> s.checkpointId == 0 ? Double.NaN : s.checkpointSeconds,
                                v -> String.format(Locale.ROOT, v < 10 ? "%.1f s" : "%.0f s", v),
                                new double[0],
                                new String[0]));
        double xMax = minutes;
        for (List<SoakRun.Sample> ss : series.values()) {
            for (SoakRun.Sample s : ss) {
                xMax = Math.max(xMax, s.eventMinutes);
            }
        }
        int height = TOP + panels.size() * (PANEL + GAP) + 30;
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                        WIDTH,
                        height,
                        WIDTH,
                        height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                        LEFT,
                        escape(title)));
        int lx = LEFT;
        for (String backend : series.keySet()) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"32\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                                    + "<text x=\"%d\" y=\"38\">%s state backend</text>%n",
                            lx,
                            color(backend),
                            lx + 18,
                            backend));
            lx += 170;
        }
        for (int i = 0; i < panels.size(); i++) {
            panel(s, panels.get(i), TOP + i * (PANEL + GAP) + 20, series, xMax, steadyFrom);
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes of event time</text>%n",
                        LEFT + (WIDTH - LEFT - RIGHT) / 2,
                        height - 8));
        s.append("</svg>\n");
        return s.toString();
    }

    private static void panel(
            StringBuilder s,
            Panel p,
            int top,
            Map<String, List<SoakRun.Sample>> series,
            double xMax,
            double steadyFrom) {
        int plotW = WIDTH - LEFT - RIGHT;
        double max = 0;
        for (List<SoakRun.Sample> ss : series.values()) {
            for (SoakRun.Sample x : ss) {
                double v = p.value.applyAsDouble(x);
                max = Double.isNaN(v) ? max : Math.max(max, v);
            }
        }
        for (double l : p.lines) {
            max = Math.max(max, l);
        }
        double unit = p.label != null ? 1 : max >= GIB ? GIB : MIB;
        String unitName = max >= GIB ? " GiB" : " MiB";
        double yMax = Report.niceCeiling(max / unit) * unit;
        DoubleFunction<String> label =
                p.label != null ? p.label : v -> Report.human(v / unit) + unitName;
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                        LEFT,
                        top - 8,
                        escape(p.title)));
        for (int i = 0; i <= 4; i++) {
            double y = top + PANEL - PANEL * i / 4.0;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                            LEFT,
                            y,
                            LEFT + plotW,
                            y,
                            LEFT - 6,
                            y + 4,
                            escape(label.apply(yMax * i / 4))));
        }
        double step = xMax <= 20 ? 2 : xMax <= 60 ? 10 : 15;
        for (double m = 0; m <= xMax + 1e-9; m += step) {
            double x = LEFT + plotW * m / xMax;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%.0f</text>%n",
                            x,
                            top + PANEL + 14,
                            m));
        }
        if (steadyFrom <= xMax) {
            double x = LEFT + plotW * steadyFrom / xMax;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
                                    + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#888\">steady</text>%n",
                            x,
                            top,
                            x,
                            top + PANEL,
                            x + 3,
                            top + 12));
        }
        for (int i = 0; i < p.lines.length; i++) {
            double y = top + PANEL - PANEL * p.lines[i] / yMax;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c33\" "
                                    + "stroke-dasharray=\"6 3\"/><text x=\"%d\" y=\"%.1f\" fill=\"#c33\">%s</text>%n",
                            LEFT,
                            y,
                            LEFT + plotW,
                            y,
                            LEFT + plotW + 4,
                            y + 4,
                            escape(p.lineNames[i])));
        }
        for (Map.Entry<String, List<SoakRun.Sample>> e : series.entrySet()) {
            StringBuilder points = new StringBuilder();
            for (SoakRun.Sample x : e.getValue()) {
                double v = p.value.applyAsDouble(x);
                if (Double.isNaN(v) || v < 0) {
                    continue;
                }
                points.append(
                        String.format(
                                Locale.ROOT,
                                "%.1f,%.1f ",
                                LEFT + plotW * x.eventMinutes / xMax,
                                top + PANEL - PANEL * v / yMax));
            }
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>%n",
                            color(e.getKey()),
                            points.toString().trim()));
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                        LEFT,
                        top + PANEL,
                        LEFT + plotW,
                        top + PANEL));
    }

    private static String color(String backend) {
        return COLORS.getOrDefault(backend, "#555");
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

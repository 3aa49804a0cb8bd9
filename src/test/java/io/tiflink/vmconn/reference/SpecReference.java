package io.tiflink.vmconn.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tiflink.vmconn.reference.RefIp.Cidr;
import io.tiflink.vmconn.reference.RefTime.Stamp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An independent, deliberately simple reference implementation of SPEC.md, used as a test oracle.
 *
 * <p>It reads every row of both inputs, then computes the alerts with plain loops, as literally as
 * the SPEC text allows. It knows nothing of watermarks or state: the only use it makes of arrival
 * order is the tie rule of SPEC 1.5 (indicators) and the late marking of SPEC 4.4 (connections).
 */
public final class SpecReference {

    private SpecReference() {}

    public static final String RULE_ID = "9713e3c0-1410-468d-b79e-383448434b2d";

    static final List<String> IP_COLUMNS =
            List.of("NetworkIP", "NetworkDestinationIP", "NetworkSourceIP", "EmailSourceIpAddress");

    static final List<String> TUPLE_COLUMNS =
            List.of(
                    "Computer",
                    "Direction",
                    "ProcessName",
                    "SourceIp",
                    "DestinationIp",
                    "RemoteIp",
                    "Protocol",
                    "DestinationPort");

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ------------------------------------------------------------------------------------ settings

    /**
     * The job settings the oracle needs. {@code emitMode} is "final" or "first". {@code
     * extraExcludedCidrs} are added to the default exclusions of SPEC 1.3.
     */
    public record Settings(
            Duration window,
            Duration lookback,
            Duration indicatorLookback,
            Duration outOfOrderness,
            String emitMode,
            List<String> extraExcludedCidrs) {

        public Settings {
            Objects.requireNonNull(window);
            Objects.requireNonNull(lookback);
            Objects.requireNonNull(indicatorLookback);
            Objects.requireNonNull(outOfOrderness);
            if (!"final".equals(emitMode) && !"first".equals(emitMode)) {
                throw new IllegalArgumentException("emitMode must be final or first: " + emitMode);
            }
            extraExcludedCidrs = List.copyOf(extraExcludedCidrs);
        }

        public static Settings defaults() {
            return new Settings(
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    Duration.ofDays(14),
                    Duration.ofMinutes(5),
                    "final",
                    List.of());
        }

        public Settings withWindow(Duration w) {
            return new Settings(
                    w, lookback, indicatorLookback, outOfOrderness, emitMode, extraExcludedCidrs);
        }

        public Settings withLookback(Duration l) {
            return new Settings(
                    window, l, indicatorLookback, outOfOrderness, emitMode, extraExcludedCidrs);
        }

        public Settings withIndicatorLookback(Duration p) {
            return new Settings(window, lookback, p, outOfOrderness, emitMode, extraExcludedCidrs);
        }

        public Settings withOutOfOrderness(Duration b) {
            return new Settings(
                    window, lookback, indicatorLookback, b, emitMode, extraExcludedCidrs);
        }

        public Settings withEmitMode(String mode) {
            return new Settings(
                    window, lookback, indicatorLookback, outOfOrderness, mode, extraExcludedCidrs);
        }

        public Settings withExtraExcludedCidrs(List<String> cidrs) {
            return new Settings(
                    window, lookback, indicatorLookback, outOfOrderness, emitMode, cidrs);
        }
    }

    // ------------------------------------------------------------------------------------ result

    /**
     * Everything the oracle computed. {@code counters} holds, by reason, the rows that were
     * readable but unusable or skipped: indicator.noIp, indicator.invalidIp, indicator.excludedIp,
     * connection.emptyRemoteIp, connection.invalidRemoteIp.
     */
    public record Result(
            List<ObjectNode> alerts,
            int indicatorDeadLetters,
            int connectionDeadLetters,
            Map<String, Integer> counters,
            int lateConnectionRows,
            int matches) {

        public int deadLetters() {
            return indicatorDeadLetters + connectionDeadLetters;
        }

        public int counter(String name) {
            return counters.getOrDefault(name, 0);
        }
    }

    // ------------------------------------------------------------------------------------ internal
    // rows

    /** A usable indicator row: one version of an indicator (SPEC 1.4). */
    record Version(
            int arrival,
            String id,
            Stamp tg,
            String ip,
            boolean active,
            Stamp expiry,
            ObjectNode row) {}

    /** A usable connection row. */
    record Conn(int arrival, Stamp tg, String ip, boolean late, ObjectNode row) {}

    /**
     * A (connection, indicator) pair that matches, with its detection time and the version in force
     * then.
     */
    record Match(Conn c, Version v, Stamp detection) {}

    record GroupKey(String id, String ip, long windowStartNanos) {}

    // ------------------------------------------------------------------------------------ API

    /**
     * The order of {@link #expectedAlerts}: WindowStart (as an instant), then IndicatorId, then
     * TI_ipEntity.
     */
    public static final Comparator<JsonNode> ALERT_ORDER =
            Comparator.comparing((JsonNode a) -> Instant.parse(a.get("WindowStart").textValue()))
                    .thenComparing(a -> a.get("IndicatorId").asText())
                    .thenComparing(a -> a.get("TI_ipEntity").asText());

    public static List<ObjectNode> expectedAlerts(
            List<String> indicatorLines, List<String> connectionLines, Settings s) {
        return analyse(indicatorLines, connectionLines, s).alerts();
    }

    public static Result analyse(
            List<String> indicatorLines, List<String> connectionLines, Settings s) {
        List<Cidr> extra = s.extraExcludedCidrs().stream().map(Cidr::parse).toList();
        Map<String, Integer> counters = new TreeMap<>();

        // ---- indicators: SPEC 1.1 - 1.4, 5.3
        int[] indDead = {0};
        Map<String, List<Version>> versions = new TreeMap<>();
        int arrival = 0;
        for (ObjectNode row : rows(indicatorLines, indDead)) {
            Stamp tg = RefTime.read(row.get("TimeGenerated"));
            String id = indicatorId(row.get("IndicatorId"));
            if (tg == null || id == null) {
                indDead[0]++;
                continue;
            }
            int arr = arrival++;
            String ipText = null;
            for (String col : IP_COLUMNS) {
                if (!isEmpty(row.get(col))) {
                    ipText = text(row, col);
                    break;
                }
            }
            if (ipText == null) {
                counters.merge("indicator.noIp", 1, Integer::sum);
                continue;
            }
            byte[] ip = RefIp.parse(ipText);
            if (ip == null) {
                counters.merge("indicator.invalidIp", 1, Integer::sum);
                continue;
            }
            if (RefIp.isExcluded(ip, extra)) {
                counters.merge("indicator.excludedIp", 1, Integer::sum);
                continue;
            }
            Version v =
                    new Version(
                            arr,
                            id,
                            tg,
                            RefIp.format(ip),
                            isTrue(row.get("Active")),
                            RefTime.read(row.get("ExpirationDateTime")),
                            row);
            versions.computeIfAbsent(id, k -> new ArrayList<>()).add(v);
        }

        // ---- connections: SPEC 2.1, 4.4, 5.3
        int[] connDead = {0};
        List<Conn> conns = new ArrayList<>();
        Instant maxSoFar = null;
        int lateRows = 0;
        arrival = 0;
        for (ObjectNode row : rows(connectionLines, connDead)) {
            Stamp tg = RefTime.read(row.get("TimeGenerated"));
            if (tg == null) {
                connDead[0]++;
                continue;
            }
            int arr = arrival++;
            boolean late =
                    maxSoFar != null && tg.instant().isBefore(maxSoFar.minus(s.outOfOrderness()));
            if (maxSoFar == null || tg.instant().isAfter(maxSoFar)) {
                maxSoFar = tg.instant();
            }
            if (late) {
                lateRows++;
            }
            JsonNode remote = row.get("RemoteIp");
            if (isEmpty(remote)) {
                counters.merge("connection.emptyRemoteIp", 1, Integer::sum);
                continue;
            }
            byte[] ip = RefIp.parse(text(row, "RemoteIp"));
            if (ip == null) {
                counters.merge("connection.invalidRemoteIp", 1, Integer::sum);
                continue;
            }
            conns.add(new Conn(arr, tg, RefIp.format(ip), late, row));
        }

        // ---- matching: SPEC 2.2 - 2.4
        List<Match> matches = new ArrayList<>();
        for (Conn c : conns) {
            for (List<Version> vs : versions.values()) {
                Match m = match(c, vs, s);
                if (m != null) {
                    matches.add(m);
                }
            }
        }

        // ---- grouping: SPEC 3.1
        long windowNanos = s.window().toNanos();
        Map<GroupKey, List<Match>> groups = new LinkedHashMap<>();
        for (Match m : matches) {
            long ws = Math.floorDiv(epochNanos(m.detection().instant()), windowNanos) * windowNanos;
            groups.computeIfAbsent(new GroupKey(m.v().id(), m.c().ip(), ws), k -> new ArrayList<>())
                    .add(m);
        }

        // ---- one alert per group: SPEC 3.2 - 3.6, 4.1, 4.2
        List<ObjectNode> alerts = new ArrayList<>();
        for (Map.Entry<GroupKey, List<Match>> e : groups.entrySet()) {
            alerts.add(alert(e.getKey(), e.getValue(), windowNanos, s));
        }
        alerts.sort(ALERT_ORDER);

        return new Result(
                List.copyOf(alerts),
                indDead[0],
                connDead[0],
                Map.copyOf(counters),
                lateRows,
                matches.size());
    }

    // ------------------------------------------------------------------------------------ matching

    /**
     * SPEC 2.2 / 2.3: the match of c with the indicator whose usable rows are {@code vs}, or null.
     */
    static Match match(Conn c, List<Version> vs, Settings s) {
        Instant tc = c.tg().instant();
        Instant end = tc.plus(s.lookback());
        // The least tau is t_c itself or the TimeGenerated of a version in (t_c, t_c + L].
        TreeSet<Instant> candidates = new TreeSet<>();
        candidates.add(tc);
        for (Version v : vs) {
            Instant t = v.tg().instant();
            if (t.isAfter(tc) && !t.isAfter(end)) {
                candidates.add(t);
            }
        }
        for (Instant tau : candidates) {
            Version v = inForce(vs, tau);
            if (v == null || !live(v, tau, s)) {
                continue;
            }
            if (!v.ip().equals(c.ip())) {
                continue;
            }
            if (!tc.isBefore(v.expiry().instant())) {
                continue;
            }
            Stamp detection = tau.equals(tc) ? c.tg() : v.tg();
            return new Match(c, v, detection);
        }
        return null;
    }

    /** SPEC 1.5: greatest TimeGenerated <= t; on a tie the row that arrived later. */
    static Version inForce(List<Version> vs, Instant t) {
        Version best = null;
        for (Version v : vs) {
            if (v.tg().instant().isAfter(t)) {
                continue;
            }
            if (best == null) {
                best = v;
                continue;
            }
            int cmp = v.tg().instant().compareTo(best.tg().instant());
            if (cmp > 0 || (cmp == 0 && v.arrival() > best.arrival())) {
                best = v;
            }
        }
        return best;
    }

    /** SPEC 1.6, for the version in force at t. */
    static boolean live(Version v, Instant t, Settings s) {
        return v.active()
                && v.expiry() != null
                && t.isBefore(v.expiry().instant())
                && !v.tg().instant().isBefore(t.minus(s.indicatorLookback()));
    }

    // ------------------------------------------------------------------------------------ alerts

    /**
     * Orders matches so that the greatest is the one to report (SPEC 3.2 tie rule, as chosen in the
     * brief).
     */
    static final Comparator<Match> REPORT_ORDER =
            Comparator.comparing((Match m) -> m.c().tg().instant())
                    .thenComparing(m -> tuple(m.c().row()), SpecReference::compareTuples)
                    // Not needed by the brief; only makes fully identical candidates deterministic.
                    .thenComparingInt(m -> m.c().tg().digits())
                    .thenComparingInt(m -> -m.c().arrival());

    static ObjectNode alert(GroupKey key, List<Match> group, long windowNanos, Settings s) {
        Match reported;
        int matchCount;
        Stamp first;
        Stamp last;
        boolean late;
        if (s.emitMode().equals("final")) {
            reported = group.stream().max(REPORT_ORDER).orElseThrow();
            matchCount = group.size();
            first =
                    group.stream()
                            .map(m -> m.c().tg())
                            .min(
                                    Comparator.comparing(Stamp::instant)
                                            .thenComparing(
                                                    Comparator.comparingInt(Stamp::digits)
                                                            .reversed()))
                            .orElseThrow();
            last =
                    group.stream()
                            .map(m -> m.c().tg())
                            .max(
                                    Comparator.comparing(Stamp::instant)
                                            .thenComparingInt(Stamp::digits))
                            .orElseThrow();
            late = group.stream().anyMatch(m -> m.c().late());
        } else {
            Instant leastDetection =
                    group.stream()
                            .map(m -> m.detection().instant())
                            .min(Comparator.naturalOrder())
                            .orElseThrow();
            reported =
                    group.stream()
                            .filter(m -> m.detection().instant().equals(leastDetection))
                            .max(REPORT_ORDER)
                            .orElseThrow();
            matchCount = 1;
            first = reported.c().tg();
            last = reported.c().tg();
            late = reported.c().late();
        }

        ObjectNode c = reported.c().row();
        Version v = reported.v();
        ObjectNode a = NODES.objectNode();
        String connTime = reported.c().tg().format();
        a.put("VMConnection_TimeGenerated", connTime);
        a.set("Description", textOut(v.row(), "Description"));
        a.set("ActivityGroupNames", textOut(v.row(), "ActivityGroupNames"));
        a.put("IndicatorId", v.id());
        a.set("ThreatType", textOut(v.row(), "ThreatType"));
        a.set("Url", textOut(v.row(), "Url"));
        a.put("ExpirationDateTime", v.expiry().format());
        a.set("ConfidenceScore", numberOut(v.row().get("ConfidenceScore")));
        a.put("TI_ipEntity", v.ip());
        a.set("Computer", textOut(c, "Computer"));
        a.set("Direction", textOut(c, "Direction"));
        a.set("ProcessName", textOut(c, "ProcessName"));
        a.set("SourceIp", textOut(c, "SourceIp"));
        a.set("DestinationIp", textOut(c, "DestinationIp"));
        a.set("RemoteIp", textOut(c, "RemoteIp"));
        a.set("Protocol", textOut(c, "Protocol"));
        a.set("DestinationPort", numberOut(c.get("DestinationPort")));
        for (String col : IP_COLUMNS) {
            a.set(col, textOut(v.row(), col));
        }
        a.put("Type", "ThreatIntelligenceIndicator");
        a.put("timestamp", connTime);
        String computer = text(c, "Computer");
        if (computer == null) {
            computer = "";
        }
        int dot = computer.indexOf('.');
        a.put("HostName", dot < 0 ? computer : computer.substring(0, dot));
        a.put("DnsDomain", dot < 0 ? "" : computer.substring(dot + 1));
        long windowStartMillis = Math.floorDiv(key.windowStartNanos(), 1_000_000L);
        a.put("AlertId", alertId(key.id(), key.ip(), windowStartMillis));
        a.put(
                "WindowStart",
                DateTimeFormatter.ISO_INSTANT.format(ofEpochNanos(key.windowStartNanos())));
        a.put(
                "WindowEnd",
                DateTimeFormatter.ISO_INSTANT.format(
                        ofEpochNanos(key.windowStartNanos() + windowNanos)));
        a.put("MatchCount", matchCount);
        a.put("FirstConnectionTime", first.format());
        a.put("LastConnectionTime", last.format());
        a.put("DetectionTime", reported.detection().format());
        a.put("Late", late);
        return a;
    }

    public static String alertId(
            String indicatorId, String canonicalIp, long windowStartEpochMillis) {
        String name =
                RULE_ID + "|" + indicatorId + "|" + canonicalIp + "|" + windowStartEpochMillis;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ------------------------------------------------------------------------------------ JSON
    // helpers

    /**
     * SPEC 5.1 / 5.3: the object rows of the lines; unreadable lines or envelope elements count as
     * dead.
     */
    static List<ObjectNode> rows(List<String> lines, int[] dead) {
        List<ObjectNode> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue; // not a record at all
            }
            JsonNode n;
            try {
                n = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                dead[0]++;
                continue;
            }
            if (n == null || !n.isObject()) {
                dead[0]++;
                continue;
            }
            JsonNode records = n.get("records");
            if (records != null && records.isArray()) {
                for (JsonNode r : records) {
                    if (r.isObject()) {
                        out.add((ObjectNode) r);
                    } else {
                        dead[0]++;
                    }
                }
            } else {
                out.add((ObjectNode) n);
            }
        }
        return out;
    }

    private static String indicatorId(JsonNode n) {
        if (n == null || !(n.isTextual() || n.isNumber())) {
            return null;
        }
        String s = n.asText();
        return s.isBlank() ? null : s;
    }

    /** SPEC 1.1: null, missing, or a string empty after trimming white space. */
    static boolean isEmpty(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.textValue().strip().isEmpty());
    }

    /** SPEC 1.6 / brief: JSON true, or a string equal to "true" ignoring case. */
    static boolean isTrue(JsonNode v) {
        // Decision shared with the job (README): "true" in any case, surrounding white space
        // ignored.
        return v != null
                && (v.isBoolean()
                        ? v.booleanValue()
                        : v.isTextual() && v.textValue().trim().equalsIgnoreCase("true"));
    }

    /**
     * The text of a column as received: a string's value, a number's plain text; null when missing
     * or null.
     */
    static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBigDecimal()) {
            return v.decimalValue().toPlainString();
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        return v.toString();
    }

    static JsonNode textOut(JsonNode row, String field) {
        String t = text(row, field);
        return t == null ? NullNode.getInstance() : TextNode.valueOf(t);
    }

    private static final Pattern LONG_TEXT = Pattern.compile("[+-]?\\d+");
    private static final Pattern DOUBLE_TEXT =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** ConfidenceScore / DestinationPort: integer, else number, else the string as received. */
    static JsonNode numberOut(JsonNode v) {
        if (v == null || v.isNull()) {
            return NullNode.getInstance();
        }
        if (v.isNumber()) {
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                return integer(v.longValue());
            }
            double d = v.doubleValue();
            return Double.isFinite(d) ? DoubleNode.valueOf(d) : TextNode.valueOf(v.asText());
        }
        if (v.isTextual()) {
            String s = v.textValue().strip();
            if (LONG_TEXT.matcher(s).matches()) {
                try {
                    return integer(Long.parseLong(s));
                } catch (NumberFormatException tooBig) {
                    // falls through to double
                }
            }
            if (DOUBLE_TEXT.matcher(s).matches()) {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) {
                    return DoubleNode.valueOf(d);
                }
            }
            return TextNode.valueOf(v.textValue());
        }
        return TextNode.valueOf(v.isValueNode() ? v.asText() : v.toString());
    }

    /** As Jackson reads an integer back: an int node when it fits, else a long node. */
    private static JsonNode integer(long l) {
        return (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE)
                ? IntNode.valueOf((int) l)
                : LongNode.valueOf(l);
    }

    static List<String> tuple(ObjectNode row) {
        List<String> t = new ArrayList<>(TUPLE_COLUMNS.size());
        for (String col : TUPLE_COLUMNS) {
            t.add(text(row, col));
        }
        return t;
    }

    /** Element-wise string comparison, null before any string. */
    static int compareTuples(List<String> a, List<String> b) {
        Comparator<String> cmp = Comparator.nullsFirst(Comparator.naturalOrder());
        for (int i = 0; i < a.size(); i++) {
            int c = cmp.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static Instant ofEpochNanos(long nanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** For debugging test failures: the alerts, one JSON text per line. */
    public static String toJsonLines(List<ObjectNode> alerts) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode a : alerts) {
            sb.append(a.toString()).append('\n');
        }
        return sb.toString();
    }
}

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
 *
 * <p>The indicator input is read by {@link RefIndicators} (shapes, dead letters, the three kinds of
 * indicator, values and ranges) and STIX patterns by {@link RefPattern}; their Javadoc holds the
 * decisions about reading. Where SPEC is silent this class follows the decisions of the brief that
 * extended the oracle to SPEC section 6 (the job implements the same):
 *
 * <ul>
 *   <li>Versions (decision 5): legacy rows per IndicatorId (1.5); ThreatIntelIndicators rows per
 *       (Id, canonical IP or range), each pair a timeline of its own (6.2c); STIX objects per
 *       {@code id}, version time {@code modified} (else {@code created}), a version carrying the
 *       set of its targets (6.3c). Ties on the version time go to the later arrival.
 *   <li>Liveness (decision 6): legacy as 1.6. ThreatIntelIndicators: {@code IsActive} true (JSON
 *       true or the string "true", any case; missing = false), {@code IsDeleted} and {@code
 *       Revoked} not true, {@code ValidFrom} <= t when present, t < {@code ValidUntil} when
 *       present, {@code TimeGenerated} >= t - P. STIX: {@code revoked} not true, {@code valid_from}
 *       <= t (missing: never live), t < {@code valid_until} when present, else t < version time + P
 *       (no P bound when {@code valid_until} is present). A present but unreadable ValidFrom,
 *       ValidUntil, valid_from or valid_until makes the version never live (it is still a version).
 *       "Present" means there and not JSON null; an empty string is present and unreadable. The
 *       expiry condition of 2.2 ("t_c < that version's ExpirationDateTime") is, for
 *       ThreatIntelIndicators and STIX, t_c < ValidUntil / valid_until when present, none when
 *       absent.
 *   <li>Matching (decision 7, 6.4c): a connection's canonical IP matches a target when it equals
 *       the address, or lies in the range and is not itself excluded (1.3 and the extra ranges). A
 *       connection's RemoteIp must be an address: CIDR text there (even /32) is not an IP (2.1).
 *   <li>Detection time (2.3, decision 7), per (connection, indicator), the indicator being a legacy
 *       IndicatorId, a ThreatIntelIndicators Id or a STIX id (the three kinds are separate
 *       indicators even when their ids are equal): the least tau among t_c and, in (t_c, t_c + L],
 *       every version time and every ValidFrom / valid_from of every version of the indicator, at
 *       which the version in force of some timeline of the indicator is live, has a target that the
 *       connection's IP matches, and t_c is before its expiry. A connection gives at most one match
 *       per indicator. When several timelines or targets qualify at that tau, the match reports the
 *       target with the longest prefix (an address counts as /32 or /128), then the lowest
 *       canonical text; for equal canonical targets of one STIX version, the first in pattern order
 *       (its as-written value is reported). The detection time is written as the connection's
 *       TimeGenerated when tau = t_c, else as the reported version's version time when that is tau,
 *       else as its ValidFrom / valid_from.
 *   <li>Alerts (decision 8): grouping (3.1) by (kind, indicator id, canonical RemoteIp, window).
 *       Legacy alerts as 3.3. ThreatIntelIndicators and STIX alerts have the 1.4.6 columns of 6.2e
 *       in this order: VMConnection_TimeGenerated, Description, ActivityGroupNames, Id, ValidUntil,
 *       Confidence, TI_ipEntity, Computer, Direction, ProcessName, SourceIp, DestinationIp,
 *       RemoteIp, Protocol, DestinationPort, NetworkSourceIP, Type, Url, timestamp, HostName,
 *       DnsDomain; then the same 3.5 fields as legacy alerts (AlertId, WindowStart, WindowEnd,
 *       MatchCount, FirstConnectionTime, LastConnectionTime, DetectionTime, Late), the AlertId
 *       derived from rule id {@value #TI_RULE_ID}. ThreatIntelIndicators: Description = {@code
 *       Data.description} ({@code Data} an object or a JSON string holding one; otherwise no Data:
 *       null), ActivityGroupNames = the text after "ActivityGroup:" of the first element of {@code
 *       Data.labels} that is a string starting with it ("" when none), ValidUntil as received at
 *       its precision (null when absent), Confidence a number when it reads as one, TI_ipEntity the
 *       canonical target, NetworkSourceIP = ObservableValue as received (for a pattern row: the
 *       value as written in the pattern), Type "ThreatIntelIndicators", Url "". STIX: from {@code
 *       id}, {@code valid_until}, {@code confidence}, {@code description}, {@code labels}, the
 *       pattern's value as written, Type "indicator", Url "".
 * </ul>
 */
public final class SpecReference {

    private SpecReference() {}

    /** Rule version 1.4.2, on ThreatIntelligenceIndicator: legacy rows. */
    public static final String RULE_ID = "9713e3c0-1410-468d-b79e-383448434b2d";

    /**
     * Rule version 1.4.6, on ThreatIntelIndicators: ThreatIntelIndicators rows and STIX objects.
     */
    public static final String TI_RULE_ID = "aed70d71-adb2-4f73-becd-02150b13950b";

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
     * extraExcludedCidrs} are added to the default exclusions of SPEC 1.3. A range with a prefix
     * shorter than {@code minRangePrefixV4} (IPv4) or {@code minRangePrefixV6} (IPv6) is too broad
     * (SPEC 6.4b; defaults 8 and 32).
     */
    public record Settings(
            Duration window,
            Duration lookback,
            Duration indicatorLookback,
            Duration outOfOrderness,
            String emitMode,
            List<String> extraExcludedCidrs,
            int minRangePrefixV4,
            int minRangePrefixV6) {

        public Settings {
            Objects.requireNonNull(window);
            Objects.requireNonNull(lookback);
            Objects.requireNonNull(indicatorLookback);
            Objects.requireNonNull(outOfOrderness);
            if (!"final".equals(emitMode) && !"first".equals(emitMode)) {
                throw new IllegalArgumentException("emitMode must be final or first: " + emitMode);
            }
            extraExcludedCidrs = List.copyOf(extraExcludedCidrs);
            if (minRangePrefixV4 < 0 || minRangePrefixV4 > 32) {
                throw new IllegalArgumentException("minRangePrefixV4: " + minRangePrefixV4);
            }
            if (minRangePrefixV6 < 0 || minRangePrefixV6 > 128) {
                throw new IllegalArgumentException("minRangePrefixV6: " + minRangePrefixV6);
            }
        }

        /** The settings of before SPEC 6, with the default minimum prefixes. */
        public Settings(
                Duration window,
                Duration lookback,
                Duration indicatorLookback,
                Duration outOfOrderness,
                String emitMode,
                List<String> extraExcludedCidrs) {
            this(
                    window,
                    lookback,
                    indicatorLookback,
                    outOfOrderness,
                    emitMode,
                    extraExcludedCidrs,
                    DEFAULT_MIN_RANGE_PREFIX_V4,
                    DEFAULT_MIN_RANGE_PREFIX_V6);
        }

        public static final int DEFAULT_MIN_RANGE_PREFIX_V4 = 8;
        public static final int DEFAULT_MIN_RANGE_PREFIX_V6 = 32;

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
                    w,
                    lookback,
                    indicatorLookback,
                    outOfOrderness,
                    emitMode,
                    extraExcludedCidrs,
                    minRangePrefixV4,
                    minRangePrefixV6);
        }

        public Settings withLookback(Duration l) {
            return new Settings(
                    window,
                    l,
                    indicatorLookback,
                    outOfOrderness,
                    emitMode,
                    extraExcludedCidrs,
                    minRangePrefixV4,
                    minRangePrefixV6);
        }

        public Settings withIndicatorLookback(Duration p) {
            return new Settings(
                    window,
                    lookback,
                    p,
                    outOfOrderness,
                    emitMode,
                    extraExcludedCidrs,
                    minRangePrefixV4,
                    minRangePrefixV6);
        }

        public Settings withOutOfOrderness(Duration b) {
            return new Settings(
                    window,
                    lookback,
                    indicatorLookback,
                    b,
                    emitMode,
                    extraExcludedCidrs,
                    minRangePrefixV4,
                    minRangePrefixV6);
        }

        public Settings withEmitMode(String mode) {
            return new Settings(
                    window,
                    lookback,
                    indicatorLookback,
                    outOfOrderness,
                    mode,
                    extraExcludedCidrs,
                    minRangePrefixV4,
                    minRangePrefixV6);
        }

        public Settings withExtraExcludedCidrs(List<String> cidrs) {
            return new Settings(
                    window,
                    lookback,
                    indicatorLookback,
                    outOfOrderness,
                    emitMode,
                    cidrs,
                    minRangePrefixV4,
                    minRangePrefixV6);
        }

        /** SPEC 6.4b: the shortest prefix of a range that is not too broad, per family. */
        public Settings withMinRangePrefix(int v4, int v6) {
            return new Settings(
                    window,
                    lookback,
                    indicatorLookback,
                    outOfOrderness,
                    emitMode,
                    extraExcludedCidrs,
                    v4,
                    v6);
        }
    }

    // ------------------------------------------------------------------------------------ result

    /**
     * Everything the oracle computed. {@code counters} holds, by reason, the rows that were
     * readable but unusable or skipped: indicator.noIp, indicator.invalidIp, indicator.excludedIp,
     * indicator.notIpType, indicator.unsupportedPattern, indicator.patternType,
     * indicator.rangeTooBroad, indicator.otherStixType, connection.emptyRemoteIp,
     * connection.invalidRemoteIp (see {@link RefIndicators} for when each is counted).
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

    /** The three kinds of indicator: separate indicators even when their ids are equal. */
    enum Kind {
        /** A ThreatIntelligenceIndicator row (SPEC 1), rule 1.4.2. */
        LEGACY,
        /** A ThreatIntelIndicators row (SPEC 6.2), rule 1.4.6. */
        TI,
        /** A STIX 2.1 indicator object (SPEC 6.3), rule 1.4.6. */
        STIX
    }

    /**
     * An address or range an indicator version names: {@code canonical} is the text of SPEC 1.2 /
     * 6.4a, {@code written} the value as received (a column's text, or a pattern's literal).
     */
    record Target(Cidr range, String canonical, String written) {}

    /**
     * A usable row or object: one version of one timeline of an indicator (SPEC 1.4, 6.2c, 6.3c).
     * {@code timeline} is the id for legacy rows and STIX objects, (id, canonical target) for
     * ThreatIntelIndicators rows. Liveness: {@code flags} (Active; IsActive and not IsDeleted and
     * not Revoked; not revoked), {@code broken} (a bound that is missing where required or
     * unreadable: never live), {@code from} (ValidFrom / valid_from; null: no lower bound), {@code
     * until} (ExpirationDateTime / ValidUntil / valid_until; null: none).
     */
    record Version(
            int arrival,
            Kind kind,
            String id,
            String timeline,
            Stamp time,
            List<Target> targets,
            boolean flags,
            boolean broken,
            Stamp from,
            Stamp until,
            ObjectNode row) {}

    /** An indicator: its kind and id, and its versions by timeline. */
    record Indicator(Kind kind, String id, Map<String, List<Version>> timelines) {}

    /** A usable connection row. */
    record Conn(
            int arrival,
            Stamp tg,
            String ip,
            byte[] addr,
            boolean excluded,
            boolean late,
            ObjectNode row) {}

    /**
     * A (connection, indicator) pair that matches, with its detection time, the version in force
     * then and the target reported.
     */
    record Match(Conn c, Version v, Target target, Stamp detection) {}

    record GroupKey(Kind kind, String id, String ip, long windowStartNanos) {}

    // ------------------------------------------------------------------------------------ API

    /**
     * The order of {@link #expectedAlerts}: WindowStart (as an instant), then IndicatorId (else
     * Id), then TI_ipEntity, then AlertId.
     */
    public static final Comparator<JsonNode> ALERT_ORDER =
            Comparator.comparing((JsonNode a) -> Instant.parse(a.get("WindowStart").textValue()))
                    .thenComparing(SpecReference::indicatorIdOf)
                    .thenComparing(a -> a.get("TI_ipEntity").asText())
                    .thenComparing(a -> a.get("AlertId").asText());

    /** An alert's IndicatorId (legacy), else its Id (ThreatIntelIndicators, STIX). */
    public static String indicatorIdOf(JsonNode alert) {
        JsonNode id = alert.has("IndicatorId") ? alert.get("IndicatorId") : alert.get("Id");
        return id == null ? "" : id.asText();
    }

    public static List<ObjectNode> expectedAlerts(
            List<String> indicatorLines, List<String> connectionLines, Settings s) {
        return analyse(indicatorLines, connectionLines, s).alerts();
    }

    public static Result analyse(
            List<String> indicatorLines, List<String> connectionLines, Settings s) {
        List<Cidr> extra = s.extraExcludedCidrs().stream().map(Cidr::parse).toList();
        Map<String, Integer> counters = new TreeMap<>();

        // ---- indicators: SPEC 1.1 - 1.4, 5.3, 6.1 - 6.4b
        RefIndicators.Reading reading = RefIndicators.read(indicatorLines, s, counters);
        Map<String, Indicator> indicators = new TreeMap<>();
        for (Version v : reading.versions()) {
            indicators
                    .computeIfAbsent(
                            v.kind() + " " + v.id(),
                            k -> new Indicator(v.kind(), v.id(), new LinkedHashMap<>()))
                    .timelines()
                    .computeIfAbsent(v.timeline(), k -> new ArrayList<>())
                    .add(v);
        }

        // ---- connections: SPEC 2.1, 4.4, 5.3
        int[] connDead = {0};
        List<Conn> conns = new ArrayList<>();
        Instant maxSoFar = null;
        int lateRows = 0;
        int arrival = 0;
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
            conns.add(
                    new Conn(
                            arr, tg, RefIp.format(ip), ip, RefIp.isExcluded(ip, extra), late, row));
        }

        // ---- matching: SPEC 2.2 - 2.4, 6.4c
        List<Match> matches = new ArrayList<>();
        for (Conn c : conns) {
            for (Indicator i : indicators.values()) {
                Match m = match(c, i, s);
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
            groups.computeIfAbsent(
                            new GroupKey(m.v().kind(), m.v().id(), m.c().ip(), ws),
                            k -> new ArrayList<>())
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
                reading.deadLetters(),
                connDead[0],
                Map.copyOf(counters),
                lateRows,
                matches.size());
    }

    // ------------------------------------------------------------------------------------ matching

    /**
     * SPEC 2.2 / 2.3 / 6.4c: the match of c with indicator i, or null. The candidates for the least
     * tau are t_c and, in (t_c, t_c + L], every version time and ValidFrom / valid_from of i.
     */
    static Match match(Conn c, Indicator i, Settings s) {
        Instant tc = c.tg().instant();
        Instant end = tc.plus(s.lookback());
        TreeSet<Instant> candidates = new TreeSet<>();
        candidates.add(tc);
        for (List<Version> timeline : i.timelines().values()) {
            for (Version v : timeline) {
                for (Stamp t : new Stamp[] {v.time(), v.from()}) {
                    if (t != null && t.instant().isAfter(tc) && !t.instant().isAfter(end)) {
                        candidates.add(t.instant());
                    }
                }
            }
        }
        for (Instant tau : candidates) {
            Version bestV = null;
            Target best = null;
            for (List<Version> timeline : i.timelines().values()) {
                Version v = inForce(timeline, tau);
                if (v == null || !live(v, tau, s) || !beforeExpiry(v, tc)) {
                    continue;
                }
                for (Target t : v.targets()) {
                    if (matches(t, c) && better(t, best)) {
                        bestV = v;
                        best = t;
                    }
                }
            }
            if (best != null) {
                return new Match(c, bestV, best, detectionStamp(c, bestV, tau));
            }
        }
        return null;
    }

    /** SPEC 6.4c: equal to the address, or in the range and not itself excluded. */
    static boolean matches(Target t, Conn c) {
        return t.range().contains(c.addr()) && (t.range().isAddress() || !c.excluded());
    }

    /** Longest prefix first, then the lowest canonical text; on equality the one seen first. */
    private static boolean better(Target t, Target best) {
        if (best == null) {
            return true;
        }
        int p = Integer.compare(t.range().prefix(), best.range().prefix());
        return p > 0 || (p == 0 && t.canonical().compareTo(best.canonical()) < 0);
    }

    /**
     * The text of the detection time tau: the connection's, the version's time or its ValidFrom.
     */
    private static Stamp detectionStamp(Conn c, Version v, Instant tau) {
        if (tau.equals(c.tg().instant())) {
            return c.tg();
        }
        if (v.time().instant().equals(tau)) {
            return v.time();
        }
        if (v.from() != null && v.from().instant().equals(tau)) {
            return v.from();
        }
        throw new IllegalStateException("a detection time that is no candidate: " + tau);
    }

    /** SPEC 1.5: greatest version time <= t; on a tie the row that arrived later. */
    static Version inForce(List<Version> vs, Instant t) {
        Version best = null;
        for (Version v : vs) {
            if (v.time().instant().isAfter(t)) {
                continue;
            }
            if (best == null) {
                best = v;
                continue;
            }
            int cmp = v.time().instant().compareTo(best.time().instant());
            if (cmp > 0 || (cmp == 0 && v.arrival() > best.arrival())) {
                best = v;
            }
        }
        return best;
    }

    /** SPEC 1.6, 6.2d, 6.3d, for the version in force at t. */
    static boolean live(Version v, Instant t, Settings s) {
        if (!v.flags() || v.broken()) {
            return false;
        }
        if (v.from() != null && v.from().instant().isAfter(t)) {
            return false;
        }
        if (v.until() != null && !t.isBefore(v.until().instant())) {
            return false;
        }
        Instant time = v.time().instant();
        if (v.kind() == Kind.STIX) {
            // valid_until present: no P bound; absent: t < version time + P
            return v.until() != null || t.isBefore(time.plus(s.indicatorLookback()));
        }
        // legacy and ThreatIntelIndicators: TimeGenerated >= t - P
        return !time.isBefore(t.minus(s.indicatorLookback()));
    }

    /** SPEC 2.2: t_c < the version's ExpirationDateTime / ValidUntil / valid_until, when set. */
    static boolean beforeExpiry(Version v, Instant tc) {
        return v.until() == null || tc.isBefore(v.until().instant());
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

        ObjectNode a =
                reported.v().kind() == Kind.LEGACY
                        ? legacyColumns(reported)
                        : threatIntelIndicatorsColumns(reported);
        long windowStartMillis = Math.floorDiv(key.windowStartNanos(), 1_000_000L);
        a.put(
                "AlertId",
                alertId(
                        key.kind() == Kind.LEGACY ? RULE_ID : TI_RULE_ID,
                        key.id(),
                        key.ip(),
                        windowStartMillis));
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

    /** SPEC 3.3 - 3.4: the columns of rule 1.4.2, for a legacy row's match. */
    private static ObjectNode legacyColumns(Match m) {
        ObjectNode c = m.c().row();
        Version v = m.v();
        ObjectNode a = NODES.objectNode();
        String connTime = m.c().tg().format();
        a.put("VMConnection_TimeGenerated", connTime);
        a.set("Description", textOut(v.row(), "Description"));
        a.set("ActivityGroupNames", textOut(v.row(), "ActivityGroupNames"));
        a.put("IndicatorId", v.id());
        a.set("ThreatType", textOut(v.row(), "ThreatType"));
        a.set("Url", textOut(v.row(), "Url"));
        a.put("ExpirationDateTime", v.until().format());
        a.set("ConfidenceScore", numberOut(v.row().get("ConfidenceScore")));
        a.put("TI_ipEntity", m.target().canonical());
        connectionColumns(a, c);
        for (String col : IP_COLUMNS) {
            a.set(col, textOut(v.row(), col));
        }
        a.put("Type", "ThreatIntelligenceIndicator");
        hostColumns(a, c, connTime);
        return a;
    }

    /** SPEC 6.2e / 6.3e: the columns of rule 1.4.6, for a ThreatIntelIndicators or STIX match. */
    private static ObjectNode threatIntelIndicatorsColumns(Match m) {
        ObjectNode c = m.c().row();
        Version v = m.v();
        boolean stix = v.kind() == Kind.STIX;
        JsonNode data = stix ? v.row() : data(v.row());
        ObjectNode a = NODES.objectNode();
        String connTime = m.c().tg().format();
        a.put("VMConnection_TimeGenerated", connTime);
        a.set("Description", data == null ? NullNode.getInstance() : textOut(data, "description"));
        a.put("ActivityGroupNames", activityGroup(data == null ? null : data.get("labels")));
        a.put("Id", v.id());
        a.set(
                "ValidUntil",
                v.until() == null ? NullNode.getInstance() : TextNode.valueOf(v.until().format()));
        a.set("Confidence", numberOut(v.row().get(stix ? "confidence" : "Confidence")));
        a.put("TI_ipEntity", m.target().canonical());
        connectionColumns(a, c);
        a.put("NetworkSourceIP", m.target().written());
        a.put("Type", stix ? "indicator" : "ThreatIntelIndicators");
        a.put("Url", "");
        hostColumns(a, c, connTime);
        return a;
    }

    private static void connectionColumns(ObjectNode a, ObjectNode c) {
        a.set("Computer", textOut(c, "Computer"));
        a.set("Direction", textOut(c, "Direction"));
        a.set("ProcessName", textOut(c, "ProcessName"));
        a.set("SourceIp", textOut(c, "SourceIp"));
        a.set("DestinationIp", textOut(c, "DestinationIp"));
        a.set("RemoteIp", textOut(c, "RemoteIp"));
        a.set("Protocol", textOut(c, "Protocol"));
        a.set("DestinationPort", numberOut(c.get("DestinationPort")));
    }

    /** timestamp, HostName, DnsDomain (SPEC 3.4). */
    private static void hostColumns(ObjectNode a, ObjectNode c, String connTime) {
        a.put("timestamp", connTime);
        String computer = text(c, "Computer");
        if (computer == null) {
            computer = "";
        }
        int dot = computer.indexOf('.');
        a.put("HostName", dot < 0 ? computer : computer.substring(0, dot));
        a.put("DnsDomain", dot < 0 ? "" : computer.substring(dot + 1));
    }

    /** A ThreatIntelIndicators row's Data: an object, or a JSON string holding one; else null. */
    static JsonNode data(ObjectNode row) {
        JsonNode d = row.get("Data");
        if (d != null && d.isTextual()) {
            try {
                d = MAPPER.readTree(d.textValue());
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return d != null && d.isObject() ? d : null;
    }

    /**
     * The text after "ActivityGroup:" of the first element of labels that is a string starting with
     * it; "" when none.
     */
    static String activityGroup(JsonNode labels) {
        if (labels != null && labels.isArray()) {
            for (JsonNode l : labels) {
                if (l.isTextual() && l.textValue().startsWith(ACTIVITY_GROUP)) {
                    return l.textValue().substring(ACTIVITY_GROUP.length());
                }
            }
        }
        return "";
    }

    private static final String ACTIVITY_GROUP = "ActivityGroup:";

    /** The AlertId of a legacy alert (rule 1.4.2). */
    public static String alertId(
            String indicatorId, String canonicalIp, long windowStartEpochMillis) {
        return alertId(RULE_ID, indicatorId, canonicalIp, windowStartEpochMillis);
    }

    /**
     * SPEC 3.5: a name-based UUID of (rule id, indicator id, canonical RemoteIp, window start in
     * epoch milliseconds).
     */
    public static String alertId(
            String ruleId, String indicatorId, String canonicalIp, long windowStartEpochMillis) {
        String name = ruleId + "|" + indicatorId + "|" + canonicalIp + "|" + windowStartEpochMillis;
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

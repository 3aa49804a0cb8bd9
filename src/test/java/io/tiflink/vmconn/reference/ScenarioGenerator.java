package io.tiflink.vmconn.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.SpecReference.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of awkward test inputs for the oracle and the job. The generator does not know
 * the expected alerts: it only builds situations around the SPEC's edges (the oracle decides what
 * they give).
 *
 * <p>{@code size} is roughly the number of connection rows (never fewer than the stories need). The
 * timeline lies in 2026-11 (connections 11-23 .. 11-28; some indicators from 11-05). Same seed and
 * size, same scenario.
 *
 * <p>{@link Shapes#LEGACY} (the entry points without a {@code Shapes} argument) gives the legacy
 * rows of SPEC 1-5 only, line for line as before SPEC section 6. {@link Shapes#ALL} adds, on the
 * same indicator input, ThreatIntelIndicators rows, STIX objects, bundles and TAXII envelopes and
 * ranges of every kind ({@link Section6Stories}).
 */
public final class ScenarioGenerator {

    static final Instant BASE = Instant.parse("2026-11-24T00:00:00Z");
    static final String TENANT = "7f3c9a52-1d4e-4b8a-9c61-2e5f0a7b8c90";

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A JSON null value in a row builder. */
    static final Object JNULL = new Object();

    /** A column left out of the row. */
    static final Object MISSING = new Object();

    /** What the indicator input holds. */
    public enum Shapes {
        /** Legacy ThreatIntelligenceIndicator rows only (SPEC 1-5): the scenarios of before 6. */
        LEGACY,
        /**
         * Legacy rows, ThreatIntelIndicators rows and STIX objects mixed on one input, in
         * envelopes, bundles and TAXII pages, with ranges (SPEC 1-6).
         */
        ALL
    }

    private static final String[] COMPUTERS = {
        "web-01.contoso.com", "db01", "app7.corp.fabrikam.net", "JUMPBOX",
        "k8s-node-3.eastus.cloudapp.azure.com", "vm1.", "build..agent", ""
    };
    private static final String[] PROCESSES = {
        "nginx", "sqlservr", "python3", "svchost", "curl", "java", "powershell"
    };
    private static final String[] LOCAL_IPS = {
        "10.0.1.5", "10.0.2.17", "192.168.1.20", "172.16.4.4", "fd00::20"
    };
    private static final int[] V4_FIRST_OCTETS = {23, 31, 45, 62, 77, 91, 104, 146, 185, 193, 212};

    final Random rnd;
    private final int size;
    private final Shapes shapes;
    private final List<Pending> inds = new ArrayList<>();
    private final List<Pending> conns = new ArrayList<>();
    final Set<String> usedIps = new HashSet<>();
    private final Map<Instant, Integer> connDigits = new HashMap<>();
    private int seq;
    private int idCounter;
    private int indDead;
    private int connDead;

    /**
     * A row waiting to be put in arrival order (by key, then creation). {@code stix}: a STIX object
     * (may go into a bundle or a TAXII envelope), not a table row.
     */
    private record Pending(
            Instant key, int seq, ObjectNode row, Instant tg, boolean unusable, boolean stix) {}

    /**
     * A timestamp as it will be written: the instant, its fractional digits and the offset it is
     * shown in.
     */
    record GT(Instant instant, int digits, ZoneOffset offset) {
        String text() {
            OffsetDateTime o = instant.atOffset(offset);
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    "%04d-%02d-%02dT%02d:%02d:%02d",
                                    o.getYear(),
                                    o.getMonthValue(),
                                    o.getDayOfMonth(),
                                    o.getHour(),
                                    o.getMinute(),
                                    o.getSecond()));
            if (digits > 0) {
                sb.append('.').append(String.format("%09d", o.getNano()), 0, digits);
            }
            sb.append(offset.equals(ZoneOffset.UTC) ? "Z" : offset.getId());
            return sb.toString();
        }
    }

    private final boolean withLateRows;

    private ScenarioGenerator(long seed, int size, boolean withLateRows, Shapes shapes) {
        this.rnd = new Random(seed);
        this.size = size;
        this.withLateRows = withLateRows;
        this.shapes = shapes;
        usedIps.add("45.9.9.9"); // named only by unreadable rows
    }

    /**
     * A scenario with connection rows out of order within the bound B and some beyond it (late).
     */
    public static Scenario generate(long seed, int size) {
        return generate(seed, size, true);
    }

    /**
     * As {@link #generate(long, int)}; with {@code withLateRows == false} no connection row arrives
     * more than 4 minutes behind the greatest TimeGenerated before it, so nothing is late under the
     * default B = 5 min.
     */
    public static Scenario generate(long seed, int size, boolean withLateRows) {
        return generate(seed, size, withLateRows, Shapes.LEGACY);
    }

    /** As {@link #generate(long, int)}, with the given shapes of indicator input. */
    public static Scenario generate(long seed, int size, Shapes shapes) {
        return generate(seed, size, true, shapes);
    }

    /**
     * As {@link #generate(long, int, boolean)}, with the given shapes of indicator input. {@link
     * Shapes#LEGACY} gives exactly the scenario of {@link #generate(long, int, boolean)}.
     */
    public static Scenario generate(long seed, int size, boolean withLateRows, Shapes shapes) {
        return new ScenarioGenerator(seed, size, withLateRows, shapes).build(seed);
    }

    private Scenario build(long seed) {
        int k = Math.max(1, size / 250);
        for (int i = 0; i < 4 * k; i++) {
            plainStory();
        }
        for (int i = 0; i < k; i++) {
            hotIpStory();
            precedenceStories();
            twoIndicatorsSameIpStory();
            oldIndicatorStory();
            invalidIpStory(i);
        }
        for (int i = 0; i < 2 * k; i++) {
            outOfOrderVersionsStory();
            tieStory();
            revokeReactivateStory();
            ipChangeStory();
            expiryStory();
            retroStory();
        }
        excludedIpStory();
        boundaryIpStory();
        settingsDependentIpStory();
        activeVariantsStory();
        if (shapes == Shapes.ALL) {
            new Section6Stories(this).build(k);
        }
        // traffic to the IP that only unreadable indicator rows name: never an alert
        GT t45 = connTs(BASE.plus(between(Duration.ofHours(1), Duration.ofDays(2))));
        addConn(connTo(t45, "45.9.9.9"), t45, false);
        while (conns.size() < size) {
            noiseConnection();
        }

        List<String> indLines =
                shapes == Shapes.ALL
                        ? toLinesAll(sortByArrival(inds))
                        : toLines(sortByArrival(inds), true);
        List<Pending> orderedConns = dropUnusableRowsThatRaiseTheMax(sortByArrival(conns));
        List<String> connLines = toLines(orderedConns, false);
        addDeadLetters(indLines, true);
        addDeadLetters(connLines, false);

        double r = rnd.nextDouble();
        List<String> extra =
                r < 0.4
                        ? List.of()
                        : r < 0.7
                                ? List.of("100.64.0.0/10")
                                : List.of("100.64.0.0/10", "169.254.0.0/16");
        Settings settings =
                Settings.defaults()
                        .withEmitMode(rnd.nextDouble() < 0.35 ? "first" : "final")
                        .withExtraExcludedCidrs(extra);
        return new Scenario(seed, indLines, connLines, settings, indDead, connDead);
    }

    // ============================================================================== stories

    /**
     * An ordinary indicator and a burst of traffic to it, in one hour and across a window boundary.
     */
    private void plainStory() {
        byte[] ip = newIp();
        String id = newId();
        GT tg = ts(anchor());
        addInd(
                ind(
                        id,
                        tg,
                        placeIp(render(ip)),
                        trueValue(),
                        expiryAfter(tg.instant(), Duration.ofHours(6), Duration.ofDays(30)),
                        "Plain indicator"),
                tg.instant());
        Instant h = tg.instant().plus(between(Duration.ofMinutes(10), Duration.ofHours(20)));
        Instant windowStart = h.truncatedTo(ChronoUnit.HOURS);
        int n = 1 + rnd.nextInt(10);
        GT latest = null;
        for (int i = 0; i < n; i++) {
            GT t =
                    connTs(
                            windowStart.plus(
                                    between(Duration.ZERO, Duration.ofHours(1).minusNanos(1))));
            addConn(connTo(t, render(ip)), t, false);
            if (latest == null || t.instant().isAfter(latest.instant())) {
                latest = t;
            }
        }
        if (rnd.nextDouble() < 0.3) { // across the window boundary
            Instant end = windowStart.plus(Duration.ofHours(1));
            GT before = connExact(end.minusNanos(100 * (1 + rnd.nextInt(20_000_000))));
            GT at =
                    rnd.nextBoolean()
                            ? connExact(end)
                            : connTs(end.plus(between(Duration.ZERO, Duration.ofSeconds(2))));
            addConn(connTo(before, render(ip)), before, false);
            addConn(connTo(at, render(ip)), at, false);
        }
        if (rnd.nextDouble() < 0.25) { // an exact duplicate row (counts twice)
            ObjectNode dup = connTo(latest, render(ip));
            addConn(dup, latest, false);
            addConn(dup.deepCopy(), latest, false);
        }
        if (rnd.nextDouble() < 0.25) { // same TimeGenerated, different content: the tuple decides
            addConn(connTo(latest, render(ip)), latest, false);
        }
        // long before the indicator: no match
        GT early = connTs(tg.instant().minus(between(Duration.ofHours(2), Duration.ofHours(10))));
        addConn(connTo(early, render(ip)), early, false);
        // a day later
        GT later = connTs(tg.instant().plus(between(Duration.ofDays(1), Duration.ofDays(2))));
        addConn(connTo(later, render(ip)), later, false);
    }

    /** Many connections to one IP in one hour window and the next. */
    private void hotIpStory() {
        byte[] ip = newIp();
        String id = newId();
        GT tg = ts(anchor());
        addInd(
                ind(
                        id,
                        tg,
                        placeIp(render(ip)),
                        trueValue(),
                        expiryAfter(tg.instant(), Duration.ofDays(5), Duration.ofDays(20)),
                        "Hot IP"),
                tg.instant());
        Instant windowStart =
                tg.instant()
                        .truncatedTo(ChronoUnit.HOURS)
                        .plus(Duration.ofHours(1 + rnd.nextInt(5)));
        int n = 30 + rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            GT t = connTs(windowStart.plus(between(Duration.ZERO, Duration.ofMinutes(119))));
            addConn(connTo(t, render(ip)), t, false);
        }
    }

    /**
     * SPEC 1.1: the first non-empty of NetworkIP, NetworkDestinationIP, NetworkSourceIP,
     * EmailSourceIpAddress.
     */
    private void precedenceStories() {
        Instant a = anchor();
        // NetworkIP empty -> NetworkDestinationIP
        precedenceCase(a, cols("NetworkIP", "", "NetworkDestinationIP", "@x"), true);
        // NetworkIP null, NetworkDestinationIP blank -> NetworkSourceIP
        precedenceCase(
                a,
                cols("NetworkIP", JNULL, "NetworkDestinationIP", "  ", "NetworkSourceIP", "@x"),
                true);
        // only EmailSourceIpAddress
        precedenceCase(a, cols("EmailSourceIpAddress", "@x"), true);
        // all blank but the last
        precedenceCase(
                a,
                cols(
                        "NetworkIP",
                        " \t",
                        "NetworkDestinationIP",
                        JNULL,
                        "NetworkSourceIP",
                        "",
                        "EmailSourceIpAddress",
                        "@x"),
                true);
        // NetworkIP wins over NetworkDestinationIP: traffic to the other one must not match
        byte[] x = newIp();
        byte[] y = newIp();
        GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(6))));
        addInd(
                ind(
                        newId(),
                        tg,
                        cols("NetworkIP", render(x), "NetworkDestinationIP", render(y)),
                        trueValue(),
                        expiryAfter(tg.instant(), Duration.ofDays(2), Duration.ofDays(9)),
                        "Two IP columns"),
                tg.instant());
        connsAfter(tg, x, 2);
        connsAfter(tg, y, 2);
        // The first non-empty column is not an IP: the row is unusable (no fall-through to the next
        // column).
        byte[] z = newIp();
        GT tg2 = ts(a.plus(between(Duration.ZERO, Duration.ofHours(6))));
        addInd(
                ind(
                        newId(),
                        tg2,
                        cols("NetworkIP", "not-an-ip", "NetworkDestinationIP", render(z)),
                        trueValue(),
                        expiryAfter(tg2.instant(), Duration.ofDays(2), Duration.ofDays(9)),
                        "Garbage first column"),
                tg2.instant());
        connsAfter(tg2, z, 2);
        // No IP at all
        GT tg3 = ts(a);
        addInd(
                ind(
                        newId(),
                        tg3,
                        cols(
                                "NetworkIP",
                                "",
                                "NetworkDestinationIP",
                                " ",
                                "NetworkSourceIP",
                                JNULL),
                        trueValue(),
                        expiryAfter(tg3.instant(), Duration.ofDays(2), Duration.ofDays(9)),
                        "No IP"),
                tg3.instant());
    }

    private void precedenceCase(Instant a, Map<String, Object> cols, boolean withTraffic) {
        byte[] x = newIp();
        Map<String, Object> c = new LinkedHashMap<>();
        cols.forEach((k, v) -> c.put(k, "@x".equals(v) ? render(x) : v));
        GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(6))));
        addInd(
                ind(
                        newId(),
                        tg,
                        c,
                        trueValue(),
                        expiryAfter(tg.instant(), Duration.ofDays(2), Duration.ofDays(9)),
                        "Precedence"),
                tg.instant());
        if (withTraffic) {
            connsAfter(tg, x, 1 + rnd.nextInt(3));
        }
    }

    /** SPEC 2.4: two indicators for one IP (written differently) give two alerts. */
    private void twoIndicatorsSameIpStory() {
        byte[] ip = rnd.nextBoolean() ? newV6() : newV4();
        GT t1 = ts(anchor());
        GT t2 = ts(t1.instant().plus(between(Duration.ZERO, Duration.ofMinutes(30))));
        addInd(
                ind(
                        newId(),
                        t1,
                        cols("NetworkIP", render(ip)),
                        trueValue(),
                        expiryAfter(t1.instant(), Duration.ofDays(3), Duration.ofDays(10)),
                        "Same IP, first"),
                t1.instant());
        addInd(
                ind(
                        newId(),
                        t2,
                        cols("NetworkDestinationIP", render(ip)),
                        trueValue(),
                        expiryAfter(t2.instant(), Duration.ofDays(3), Duration.ofDays(10)),
                        "Same IP, second"),
                t2.instant());
        connsAfter(t2, ip, 2 + rnd.nextInt(4));
    }

    /**
     * SPEC 1.6: versions older than P are not live; exactly P old still is; a refresh brings it
     * back.
     */
    private void oldIndicatorStory() {
        Duration p = Duration.ofDays(14);
        Instant tc = anchor();
        // too old
        byte[] a = newIp();
        GT ta = ts(tc.minus(p).minus(between(Duration.ofSeconds(1), Duration.ofDays(2))));
        addInd(
                ind(
                        newId(),
                        ta,
                        cols("NetworkIP", render(a)),
                        trueValue(),
                        exactTs(tc.plus(Duration.ofDays(30))),
                        "Too old"),
                ta.instant());
        GT ca = connTs(tc);
        addConn(connTo(ca, render(a)), ca, false);
        // exactly P old at the connection: live (TimeGenerated >= t - P); one second later: not
        byte[] b = newIp();
        GT cb = connTs(tc);
        GT tb = exactTs(cb.instant().minus(p));
        addInd(
                ind(
                        newId(),
                        tb,
                        cols("NetworkIP", render(b)),
                        trueValue(),
                        exactTs(tc.plus(Duration.ofDays(30))),
                        "Exactly P old"),
                tb.instant());
        addConn(connTo(cb, render(b)), cb, false);
        GT cb2 = connExact(cb.instant().plusSeconds(1));
        addConn(connTo(cb2, render(b)), cb2, false);
        // old, refreshed within L after the connection: retro-match at the refresh
        byte[] c = newIp();
        String id = newId();
        GT t0 =
                ts(
                        Instant.parse("2026-11-05T08:00:00Z")
                                .plus(between(Duration.ZERO, Duration.ofDays(3))));
        addInd(
                ind(
                        id,
                        t0,
                        cols("NetworkIP", render(c)),
                        trueValue(),
                        exactTs(tc.plus(Duration.ofDays(30))),
                        "Old, refreshed v1"),
                t0.instant());
        GT cc = connTs(tc);
        GT t1 = ts(cc.instant().plus(between(Duration.ofMinutes(1), Duration.ofMinutes(59))));
        addInd(
                ind(
                        id,
                        t1,
                        cols("NetworkIP", render(c)),
                        trueValue(),
                        exactTs(tc.plus(Duration.ofDays(30))),
                        "Old, refreshed v2"),
                t1.instant());
        addConn(connTo(cc, render(c)), cc, false);
    }

    /**
     * SPEC 1.2 / 2.1: garbage is not an IP. CIDR text is not a connection's IP; since SPEC 6.4 the
     * two CIDR values here ("45.1.2.0/24", "2a01:4f8::/32") are ranges on the indicator side.
     */
    private void invalidIpStory(int round) {
        String[] bad = {
            "45.1.2.0/24",
            "2a01:4f8::/32",
            "1.2.3.256",
            "1.2.3",
            "not-an-ip",
            "2001:db8::g",
            "1:2:3:4:5:6:7:8:9",
            "[2a01:4f8::1]",
            "1.2.3.4:443",
            "localhost",
            "1.2.3.4.5",
            "::ffff:1.2.3",
            "1::2::3",
            "fe80::1%eth0"
        };
        Instant a = anchor();
        for (String b : bad) {
            GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(2))));
            addInd(
                    ind(
                            newId(),
                            tg,
                            cols("NetworkIP", b),
                            trueValue(),
                            exactTs(tg.instant().plus(Duration.ofDays(10))),
                            "Invalid IP"),
                    tg.instant());
            GT c = connTs(tg.instant().plus(between(Duration.ofMinutes(1), Duration.ofHours(3))));
            addConn(connTo(c, b), c, true);
        }
        // Valid indicators whose IPs a lenient parser could read out of the bad connection text.
        if (round == 0) {
            for (String good : new String[] {"45.1.2.0", "1.2.0.3", "1.2.3.4", "2a01:4f8::"}) {
                usedIps.add(good);
                GT tg = ts(a.minus(Duration.ofHours(1)));
                addInd(
                        ind(
                                newId(),
                                tg,
                                cols("NetworkIP", good),
                                trueValue(),
                                exactTs(tg.instant().plus(Duration.ofDays(10))),
                                "Valid IP near garbage"),
                        tg.instant());
            }
            GT c = connTs(a.plus(Duration.ofMinutes(30)));
            addConn(connTo(c, "45.1.2.0/32"), c, true);
        }
        // empty, blank, null and missing RemoteIp
        for (Object remote : new Object[] {"", "   ", JNULL, MISSING}) {
            GT c = connTs(a.plus(between(Duration.ZERO, Duration.ofHours(3))));
            addConn(connTo(c, remote), c, true);
        }
    }

    /** SPEC 1.5: a row that arrives after a newer version does not replace it. */
    private void outOfOrderVersionsStory() {
        byte[] a = newIp();
        String id = newId();
        GT t1 = ts(anchor());
        GT t2 =
                ts(
                        t1.instant()
                                .plus(
                                        between(
                                                Duration.ofHours(2).plusMinutes(10),
                                                Duration.ofHours(6))));
        GT exp = expiryAfter(t2.instant(), Duration.ofDays(3), Duration.ofDays(20));
        Instant lateArrival =
                t2.instant().plus(between(Duration.ofMinutes(1), Duration.ofHours(1)));
        int variant = rnd.nextInt(3);
        if (variant == 0) { // the newer row revokes; the older (active) one arrives after it
            addIndAt(
                    ind(id, t2, cols("NetworkIP", render(a)), falseValue(), exp, "v2 revoked"),
                    t2.instant());
            addIndAt(
                    ind(id, t1, cols("NetworkIP", render(a)), trueValue(), exp, "v1 active"),
                    lateArrival);
            connsBetween(
                    a,
                    t1.instant().plus(Duration.ofMinutes(5)),
                    t2.instant().minus(Duration.ofHours(1)),
                    2);
            connsBetween(
                    a,
                    t2.instant().plus(Duration.ofMinutes(10)),
                    t2.instant().plus(Duration.ofHours(2)),
                    2);
        } else if (variant == 1) { // the newer row changes the IP; the older one arrives after it
            byte[] b = newIp();
            addIndAt(
                    ind(id, t2, cols("NetworkIP", render(b)), trueValue(), exp, "v2 on B"),
                    t2.instant());
            addIndAt(
                    ind(id, t1, cols("NetworkIP", render(a)), trueValue(), exp, "v1 on A"),
                    lateArrival);
            connsBetween(
                    a,
                    t1.instant().plus(Duration.ofMinutes(5)),
                    t2.instant().minus(Duration.ofHours(1)),
                    2);
            connsBetween(
                    a,
                    t2.instant().plus(Duration.ofMinutes(10)),
                    t2.instant().plus(Duration.ofHours(2)),
                    2);
            connsBetween(
                    b,
                    t2.instant().plus(Duration.ofMinutes(10)),
                    t2.instant().plus(Duration.ofHours(2)),
                    2);
        } else { // the newer row changes only the description
            addIndAt(
                    ind(
                            id,
                            t2,
                            cols("NetworkIP", render(a)),
                            trueValue(),
                            exp,
                            "v2 newer description"),
                    t2.instant());
            addIndAt(
                    ind(
                            id,
                            t1,
                            cols("NetworkIP", render(a)),
                            trueValue(),
                            exp,
                            "v1 older description"),
                    lateArrival);
            connsBetween(
                    a,
                    t1.instant().plus(Duration.ofMinutes(5)),
                    t2.instant().minus(Duration.ofHours(1)),
                    2);
            connsBetween(
                    a,
                    t2.instant().plus(Duration.ofMinutes(10)),
                    t2.instant().plus(Duration.ofHours(2)),
                    2);
        }
    }

    /** SPEC 1.5: ties on TimeGenerated go to the row that arrived later. */
    private void tieStory() {
        byte[] a = newIp();
        String id = newId();
        Instant t0 = anchor();
        GT v0 = ts(t0);
        GT exp = expiryAfter(t0, Duration.ofDays(3), Duration.ofDays(20));
        addIndAt(
                ind(id, v0, cols("NetworkIP", render(a)), trueValue(), exp, "before the tie"),
                v0.instant());
        GT x = ts(t0.plus(between(Duration.ofHours(2), Duration.ofHours(4))));
        // the same instant, sometimes written with more digits
        GT y = rnd.nextBoolean() ? x : new GT(x.instant(), Math.max(x.digits(), 7), ZoneOffset.UTC);
        Instant arrival = x.instant().plus(between(Duration.ZERO, Duration.ofMinutes(3)));
        int variant = rnd.nextInt(4);
        byte[] b = variant == 0 ? newIp() : a;
        switch (variant) {
            case 0 -> { // IP differs
                addIndAt(
                        ind(
                                id,
                                x,
                                cols("NetworkIP", render(a)),
                                trueValue(),
                                exp,
                                "tie, first on A"),
                        arrival);
                addIndAt(
                        ind(
                                id,
                                y,
                                cols("NetworkIP", render(b)),
                                trueValue(),
                                exp,
                                "tie, second on B"),
                        arrival);
            }
            case 1 -> { // later arrival revokes
                addIndAt(
                        ind(
                                id,
                                x,
                                cols("NetworkIP", render(a)),
                                trueValue(),
                                exp,
                                "tie, first active"),
                        arrival);
                addIndAt(
                        ind(
                                id,
                                y,
                                cols("NetworkIP", render(a)),
                                falseValue(),
                                exp,
                                "tie, second revoked"),
                        arrival);
            }
            case 2 -> { // later arrival re-activates
                addIndAt(
                        ind(
                                id,
                                x,
                                cols("NetworkIP", render(a)),
                                falseValue(),
                                exp,
                                "tie, first revoked"),
                        arrival);
                addIndAt(
                        ind(
                                id,
                                y,
                                cols("NetworkIP", render(a)),
                                trueValue(),
                                exp,
                                "tie, second active"),
                        arrival);
            }
            default -> { // only the content differs
                addIndAt(
                        ind(
                                id,
                                x,
                                cols("NetworkIP", render(a)),
                                trueValue(),
                                exp,
                                "tie, first description"),
                        arrival);
                addIndAt(
                        ind(
                                id,
                                y,
                                cols("NetworkIP", render(a)),
                                trueValue(),
                                exp,
                                "tie, second description"),
                        arrival);
            }
        }
        connsBetween(
                a, t0.plus(Duration.ofMinutes(1)), x.instant().minus(Duration.ofMinutes(1)), 1);
        connsBetween(a, x.instant().minus(Duration.ofMinutes(50)), x.instant(), 1);
        connsBetween(
                a,
                x.instant().plus(Duration.ofMinutes(1)),
                x.instant().plus(Duration.ofHours(3)),
                2);
        if (b != a) {
            connsBetween(
                    b,
                    x.instant().plus(Duration.ofMinutes(1)),
                    x.instant().plus(Duration.ofHours(3)),
                    2);
        }
        GT exactly = connExact(x.instant());
        addConn(connTo(exactly, render(b)), exactly, false);
    }

    /** SPEC 1.6: Active false revokes, a later active row brings it back. */
    private void revokeReactivateStory() {
        byte[] a = newIp();
        String id = newId();
        GT t1 = ts(anchor());
        GT t2 = ts(t1.instant().plus(between(Duration.ofHours(2), Duration.ofHours(4))));
        GT t3 = ts(t2.instant().plus(between(Duration.ofHours(3), Duration.ofHours(6))));
        GT exp = exactTs(t1.instant().plus(Duration.ofDays(10)));
        addInd(ind(id, t1, cols("NetworkIP", render(a)), trueValue(), exp, "active"), t1.instant());
        addInd(
                ind(id, t2, cols("NetworkIP", render(a)), falseValue(), exp, "revoked"),
                t2.instant());
        addInd(
                ind(id, t3, cols("NetworkIP", render(a)), trueValue(), exp, "re-activated"),
                t3.instant());
        connsBetween(
                a,
                t1.instant().plus(Duration.ofMinutes(1)),
                t2.instant().minus(Duration.ofMinutes(1)),
                2);
        connsBetween(
                a,
                t2.instant().plus(Duration.ofMinutes(1)),
                t3.instant().minus(Duration.ofMinutes(61)),
                2);
        connsBetween(
                a,
                t3.instant().minus(Duration.ofMinutes(59)),
                t3.instant().minus(Duration.ofMinutes(1)),
                2);
        GT justOver = connExact(t3.instant().minus(Duration.ofHours(1)).minusSeconds(1));
        addConn(connTo(justOver, render(a)), justOver, false);
        connsBetween(
                a,
                t3.instant().plus(Duration.ofMinutes(1)),
                t3.instant().plus(Duration.ofHours(2)),
                2);
    }

    /** An indicator whose IP changes between versions. */
    private void ipChangeStory() {
        byte[] a = newIp();
        byte[] b = newIp();
        String id = newId();
        GT t1 = ts(anchor());
        GT t2 = ts(t1.instant().plus(between(Duration.ofHours(3), Duration.ofHours(5))));
        GT exp = expiryAfter(t2.instant(), Duration.ofDays(2), Duration.ofDays(10));
        addInd(ind(id, t1, cols("NetworkIP", render(a)), trueValue(), exp, "on A"), t1.instant());
        addInd(
                ind(id, t2, cols("NetworkIP", render(b)), trueValue(), exp, "moved to B"),
                t2.instant());
        Instant i2 = t2.instant();
        connsBetween(
                a,
                t1.instant().plus(Duration.ofMinutes(30)),
                t1.instant().plus(Duration.ofMinutes(90)),
                1);
        connsBetween(a, i2.minus(Duration.ofMinutes(20)), i2.minus(Duration.ofMinutes(1)), 1);
        connsBetween(a, i2.plus(Duration.ofMinutes(1)), i2.plus(Duration.ofMinutes(50)), 1);
        connsBetween(b, i2.minus(Duration.ofMinutes(40)), i2.minus(Duration.ofMinutes(1)), 1);
        connsBetween(b, i2.plus(Duration.ofMinutes(30)), i2.plus(Duration.ofMinutes(90)), 1);
        connsBetween(
                b, t1.instant().plus(Duration.ofMinutes(1)), i2.minus(Duration.ofMinutes(61)), 1);
    }

    /**
     * ExpirationDateTime: before (match), exactly at (no), after (no); unreadable; renewal within
     * L.
     */
    private void expiryStory() {
        byte[] a = newIp();
        String id = newId();
        GT t1 = ts(anchor());
        GT exp = ts(t1.instant().plus(between(Duration.ofHours(3), Duration.ofHours(8))));
        Instant e = exp.instant();
        int variant = rnd.nextInt(4);
        if (variant == 0) {
            addInd(
                    ind(id, t1, cols("NetworkIP", render(a)), trueValue(), exp, "expires"),
                    t1.instant());
            GT c1 = connTs(e.minus(between(Duration.ofMinutes(10), Duration.ofHours(1))));
            GT atExpiry = connExact(e);
            GT justBefore = connExact(e.minusNanos(100));
            GT after = connTs(e.plus(between(Duration.ofSeconds(1), Duration.ofHours(1))));
            for (GT c : List.of(c1, atExpiry, justBefore, after)) {
                addConn(connTo(c, render(a)), c, false);
            }
        } else if (variant == 1) { // unreadable or missing expiry: a version, but never live
            Object[] badExp = {
                "never",
                MISSING,
                "",
                "2026-13-01T00:00:00Z",
                1767225600,
                JNULL,
                "2026-12-01 00:00:00"
            };
            addInd(
                    ind(
                            id,
                            t1,
                            cols("NetworkIP", render(a)),
                            trueValue(),
                            badExp[rnd.nextInt(badExp.length)],
                            "unreadable expiry"),
                    t1.instant());
            connsBetween(
                    a,
                    t1.instant().plus(Duration.ofMinutes(1)),
                    t1.instant().plus(Duration.ofHours(3)),
                    2);
        } else if (variant
                == 2) { // expires 20 min after it is created; traffic 30 min before: retro-match
            GT shortExp = exactTs(t1.instant().plus(Duration.ofMinutes(20)));
            addInd(
                    ind(id, t1, cols("NetworkIP", render(a)), trueValue(), shortExp, "short-lived"),
                    t1.instant());
            GT before = connTs(t1.instant().minus(Duration.ofMinutes(30)));
            GT after = connTs(t1.instant().plus(Duration.ofMinutes(25)));
            addConn(connTo(before, render(a)), before, false);
            addConn(connTo(after, render(a)), after, false);
        } else { // expires, then renewed: traffic in the gap within L before the renewal matches
            GT t2 = ts(e.plus(between(Duration.ofHours(2), Duration.ofHours(3))));
            addInd(
                    ind(id, t1, cols("NetworkIP", render(a)), trueValue(), exp, "expires"),
                    t1.instant());
            addInd(
                    ind(
                            id,
                            t2,
                            cols("NetworkIP", render(a)),
                            trueValue(),
                            expiryAfter(t2.instant(), Duration.ofDays(1), Duration.ofDays(5)),
                            "renewed"),
                    t2.instant());
            connsBetween(
                    a,
                    e.plus(Duration.ofMinutes(1)),
                    t2.instant().minus(Duration.ofMinutes(61)),
                    1);
            connsBetween(
                    a,
                    t2.instant().minus(Duration.ofMinutes(59)),
                    t2.instant().minus(Duration.ofMinutes(1)),
                    2);
        }
    }

    /**
     * SPEC 2.2: an indicator arriving up to L after the connection (exactly L included), not
     * beyond.
     */
    private void retroStory() {
        byte[] a = newIp();
        String id = newId();
        GT ti = ts(anchor());
        Instant t = ti.instant();
        addInd(
                ind(
                        id,
                        ti,
                        cols("NetworkIP", render(a)),
                        trueValue(),
                        expiryAfter(t, Duration.ofDays(1), Duration.ofDays(10)),
                        "arrives after the traffic"),
                t);
        List<GT> cs =
                List.of(
                        connExact(t.minus(Duration.ofHours(1))),
                        connExact(t.minus(Duration.ofHours(1)).minusSeconds(1)),
                        connExact(t.minus(Duration.ofHours(1)).minusNanos(100)),
                        connTs(t.minus(between(Duration.ofMinutes(1), Duration.ofMinutes(59)))),
                        connTs(t.minus(between(Duration.ofMinutes(1), Duration.ofMinutes(59)))));
        for (GT c : cs) {
            addConn(connTo(c, render(a)), c, false);
        }
    }

    /** SPEC 1.3: excluded IPs never alert. */
    private void excludedIpStory() {
        String[] excluded = {
            "10.1.2.3",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.7.7",
            "127.0.0.1",
            "127.255.0.9",
            "fe80::1",
            "FE80::ABCD:1",
            "febf:ffff::1",
            "::1",
            "::",
            "::2",
            "::1.2.3.4",
            "fc00::5",
            "fd12:3456:789a::1",
            "FDFF::1",
            "::ffff:192.168.1.1",
            "::ffff:10.0.0.1",
            "::FFFF:127.0.0.1",
            "0:0:0:0:0:0:0:1",
            " 10.9.9.9 "
        };
        Instant a = anchor();
        for (String x : excluded) {
            GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(3))));
            addInd(
                    ind(
                            newId(),
                            tg,
                            cols("NetworkIP", x),
                            trueValue(),
                            exactTs(tg.instant().plus(Duration.ofDays(10))),
                            "Excluded IP"),
                    tg.instant());
            for (int i = 0; i < 2; i++) {
                GT c =
                        connTs(
                                tg.instant()
                                        .plus(between(Duration.ofMinutes(1), Duration.ofHours(3))));
                addConn(connTo(c, x), c, false);
            }
        }
    }

    /** Just outside the excluded ranges: these do alert. */
    private void boundaryIpStory() {
        String[] near = {
            "172.15.255.255",
            "172.32.0.1",
            "11.0.0.1",
            "9.255.255.255",
            "192.169.0.1",
            "192.167.255.255",
            "126.255.255.255",
            "128.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "fec0::1",
            "fe7f::1",
            "fbff::1",
            "fe00::1",
            "::1:0:0:1",
            "::ffff:8.8.8.8",
            "64:ff9b::1.2.3.4",
            "FE00::0001"
        };
        Instant a = anchor();
        for (String x : near) {
            String canonical = RefIp.canonical(x);
            if (!usedIps.add(canonical)) {
                continue;
            }
            GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(3))));
            addInd(
                    ind(
                            newId(),
                            tg,
                            cols("NetworkIP", x),
                            trueValue(),
                            exactTs(tg.instant().plus(Duration.ofDays(10))),
                            "Near an excluded range"),
                    tg.instant());
            GT c = connTs(tg.instant().plus(between(Duration.ofMinutes(1), Duration.ofHours(3))));
            addConn(connTo(c, rnd.nextBoolean() ? x : canonical), c, false);
        }
    }

    /** Ranges the rule does not exclude but a setting may add (100.64.0.0/10, 169.254.0.0/16). */
    private void settingsDependentIpStory() {
        Instant a = anchor();
        for (String x :
                new String[] {
                    "100.64.5.5", "100.127.255.1", "169.254.10.10", "::ffff:100.64.0.1"
                }) {
            usedIps.add(RefIp.canonical(x));
            GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(3))));
            addInd(
                    ind(
                            newId(),
                            tg,
                            cols("NetworkIP", x),
                            trueValue(),
                            exactTs(tg.instant().plus(Duration.ofDays(10))),
                            "Settings-dependent"),
                    tg.instant());
            GT c = connTs(tg.instant().plus(between(Duration.ofMinutes(1), Duration.ofHours(3))));
            addConn(connTo(c, RefIp.canonical(x)), c, false);
        }
    }

    /** Active as JSON true, as strings of any case, and values that are not true. */
    private void activeVariantsStory() {
        Object[] values = {
            true, "true", "TRUE", "True", " true", "yes", 1, "1", false, "false", MISSING, JNULL
        };
        Instant a = anchor();
        for (Object v : values) {
            byte[] ip = newIp();
            GT tg = ts(a.plus(between(Duration.ZERO, Duration.ofHours(3))));
            addInd(
                    ind(
                            newId(),
                            tg,
                            cols("NetworkIP", render(ip)),
                            v,
                            exactTs(tg.instant().plus(Duration.ofDays(10))),
                            "Active variant"),
                    tg.instant());
            connsAfter(tg, ip, 1);
        }
    }

    private void noiseConnection() {
        double r = rnd.nextDouble();
        String remote;
        if (r < 0.45) {
            remote = "198.51.100." + rnd.nextInt(256);
        } else if (r < 0.7) {
            remote = "203.0.113." + rnd.nextInt(256);
        } else if (r < 0.85) {
            remote = "2001:db8:ffff::" + Integer.toHexString(1 + rnd.nextInt(0xffff));
        } else if (r < 0.95) {
            remote = LOCAL_IPS[rnd.nextInt(LOCAL_IPS.length)];
        } else {
            remote = "fe80::" + Integer.toHexString(1 + rnd.nextInt(0xffff));
        }
        GT t =
                connTs(
                        BASE.minus(Duration.ofHours(12))
                                .plus(between(Duration.ZERO, Duration.ofDays(4))));
        addConn(connTo(t, remote), t, false);
    }

    // ============================================================================== traffic
    // helpers

    void connsAfter(GT tg, byte[] ip, int n) {
        connsBetween(
                ip,
                tg.instant().plus(Duration.ofMinutes(1)),
                tg.instant().plus(Duration.ofHours(5)),
                n);
    }

    void connsBetween(byte[] ip, Instant from, Instant to, int n) {
        if (!to.isAfter(from)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            GT t = connTs(from.plus(between(Duration.ZERO, Duration.between(from, to))));
            if (t.instant().isBefore(from)) { // truncation may step below the lower bound
                t = connExact(from);
            }
            addConn(connTo(t, render(ip)), t, false);
        }
    }

    // ============================================================================== row builders

    ObjectNode ind(
            String id,
            GT tg,
            Map<String, Object> ipCols,
            Object active,
            Object expiry,
            String description) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TenantId", TENANT);
        r.put("TimeGenerated", tg.text());
        r.put("SourceSystem", pick("SecurityGraph", "Azure Sentinel", "TAXII"));
        r.put("Action", "alert");
        r.put("Description", description);
        r.put(
                "ActivityGroupNames",
                pick("", "[\"APT28\"]", "Storm-0558", "[\"FIN7\",\"Carbanak\"]"));
        r.put("IndicatorId", id);
        r.put("ThreatType", pick("Botnet", "C2", "MaliciousUrl", "WatchList"));
        r.put(
                "Url",
                rnd.nextDouble() < 0.4
                        ? ""
                        : "http://bad-" + rnd.nextInt(1000) + ".example/path?q=1");
        double s = rnd.nextDouble();
        int score = 50 + rnd.nextInt(50);
        if (s < 0.55) {
            r.put("ConfidenceScore", score);
        } else if (s < 0.85) {
            r.put("ConfidenceScore", Integer.toString(score));
        } else if (s < 0.9) {
            r.put("ConfidenceScore", " " + score + " ");
        } else if (s < 0.95) {
            r.put("ConfidenceScore", score + ".5");
        } else {
            r.putNull("ConfidenceScore");
        }
        put(r, "ExpirationDateTime", expiry);
        put(r, "Active", active);
        r.put("TrafficLightProtocolLevel", pick("white", "green", "amber"));
        put(r, "ThreatSeverity", rnd.nextBoolean() ? (Object) 3 : "3");
        ipCols.forEach((k, v) -> put(r, k, v));
        r.put("DomainName", "");
        r.put("Type", "ThreatIntelligenceIndicator");
        return r;
    }

    ObjectNode connTo(GT tg, Object remote) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TenantId", TENANT);
        r.put("TimeGenerated", tg.text());
        String computer = COMPUTERS[rnd.nextInt(COMPUTERS.length)];
        r.put("Computer", computer);
        r.put("AgentId", "agent-" + rnd.nextInt(8));
        r.put("Machine", "m!" + computer);
        String process = PROCESSES[rnd.nextInt(PROCESSES.length)];
        r.put("Process", process + "-" + rnd.nextInt(5));
        if (rnd.nextDouble() >= 0.03) {
            r.put("ProcessName", process);
        }
        boolean outbound = rnd.nextDouble() < 0.7;
        String local = LOCAL_IPS[rnd.nextInt(LOCAL_IPS.length)];
        String remoteText = remote instanceof String s ? s.strip() : null;
        r.put("Direction", outbound ? "outbound" : "inbound");
        putNullable(r, "SourceIp", outbound ? local : remoteText);
        putNullable(r, "DestinationIp", outbound ? remoteText : local);
        int port = outbound ? pickInt(443, 80, 53, 8080, 22) : pickInt(3389, 22, 443, 1433);
        double p = rnd.nextDouble();
        if (p < 0.6) {
            r.put("DestinationPort", port);
        } else if (p < 0.93) {
            r.put("DestinationPort", Integer.toString(port));
        } else if (p < 0.97) {
            r.put("DestinationPort", " " + port + " ");
        } else {
            r.putNull("DestinationPort");
        }
        r.put("Protocol", rnd.nextDouble() < 0.85 ? "tcp" : "udp");
        put(r, "RemoteIp", remote);
        r.put("SourcePort", 1024 + rnd.nextInt(60000));
        putNumberMaybeString(r, "BytesSent", rnd.nextInt(1_000_000));
        putNumberMaybeString(r, "BytesReceived", rnd.nextInt(1_000_000));
        putNumberMaybeString(r, "LinksEstablished", rnd.nextInt(3));
        putNumberMaybeString(r, "LinksTerminated", rnd.nextInt(3));
        r.put("LinksLive", rnd.nextInt(2));
        r.put("LinksFailed", 0);
        r.put("Responses", rnd.nextInt(20));
        r.put("RemoteCountry", pick("", "Netherlands", "United States", "Russia"));
        r.put("Type", "VMConnection");
        return r;
    }

    static Map<String, Object> cols(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Puts the indicator IP text into the IP columns in one of the shapes SPEC 1.1 allows. */
    Map<String, Object> placeIp(String ip) {
        double r = rnd.nextDouble();
        if (r < 0.55) {
            return cols("NetworkIP", ip);
        } else if (r < 0.65) {
            return cols("NetworkIP", ip, "NetworkDestinationIP", "", "NetworkSourceIP", "");
        } else if (r < 0.75) {
            return cols("NetworkIP", "", "NetworkDestinationIP", ip);
        } else if (r < 0.83) {
            return cols("NetworkIP", JNULL, "NetworkDestinationIP", "  ", "NetworkSourceIP", ip);
        } else if (r < 0.9) {
            return cols("EmailSourceIpAddress", ip);
        } else if (r < 0.95) {
            byte[] other = newIp();
            return cols("NetworkDestinationIP", ip, "NetworkSourceIP", render(other));
        }
        return cols(
                "NetworkIP",
                " \t",
                "NetworkDestinationIP",
                JNULL,
                "NetworkSourceIP",
                "",
                "EmailSourceIpAddress",
                ip);
    }

    void put(ObjectNode r, String field, Object v) {
        if (v == MISSING) {
            return;
        }
        if (v == JNULL || v == null) {
            r.putNull(field);
        } else if (v instanceof String s) {
            r.put(field, s);
        } else if (v instanceof Integer i) {
            r.put(field, i);
        } else if (v instanceof Long l) {
            r.put(field, l);
        } else if (v instanceof Boolean b) {
            r.put(field, b);
        } else if (v instanceof GT g) {
            r.put(field, g.text());
        } else {
            throw new IllegalArgumentException(String.valueOf(v));
        }
    }

    private static void putNullable(ObjectNode r, String field, String v) {
        if (v == null) {
            r.putNull(field);
        } else {
            r.put(field, v);
        }
    }

    private void putNumberMaybeString(ObjectNode r, String field, int v) {
        if (rnd.nextDouble() < 0.7) {
            r.put(field, v);
        } else {
            r.put(field, Integer.toString(v));
        }
    }

    Object trueValue() {
        double r = rnd.nextDouble();
        return r < 0.6 ? Boolean.TRUE : r < 0.8 ? "true" : r < 0.9 ? "TRUE" : "True";
    }

    Object falseValue() {
        Object[] v = {false, false, "false", "False", MISSING, "no", 0, JNULL};
        return v[rnd.nextInt(v.length)];
    }

    GT expiryAfter(Instant t, Duration min, Duration max) {
        return ts(t.plus(between(min, max)));
    }

    // ============================================================================== IPs

    byte[] newIp() {
        return rnd.nextDouble() < 0.7 ? newV4() : newV6();
    }

    byte[] newV4() {
        while (true) {
            byte[] a = {
                (byte) V4_FIRST_OCTETS[rnd.nextInt(V4_FIRST_OCTETS.length)],
                (byte) rnd.nextInt(256),
                (byte) rnd.nextInt(256),
                (byte) (1 + rnd.nextInt(254))
            };
            if (usedIps.add(RefIp.format(a))) {
                return a;
            }
        }
    }

    byte[] newV6() {
        while (true) {
            int[] g = new int[8];
            g[0] = 0x2a00 + rnd.nextInt(16);
            g[1] = rnd.nextInt(0x10000);
            for (int i = 2; i < 8; i++) {
                g[i] =
                        rnd.nextDouble() < 0.45
                                ? 0
                                : rnd.nextDouble() < 0.3 ? rnd.nextInt(0x10) : rnd.nextInt(0x10000);
            }
            if (g[7] == 0) {
                g[7] = 1 + rnd.nextInt(0xff);
            }
            byte[] a = new byte[16];
            for (int i = 0; i < 8; i++) {
                a[2 * i] = (byte) (g[i] >> 8);
                a[2 * i + 1] = (byte) g[i];
            }
            if (usedIps.add(RefIp.format(a))) {
                return a;
            }
        }
    }

    /** The same address written in one of several equivalent ways. */
    String render(byte[] a) {
        double r = rnd.nextDouble();
        if (a.length == 4) {
            String ip = RefIp.format(a);
            String hex =
                    String.format(
                            "%x:%x",
                            ((a[0] & 0xff) << 8) | (a[1] & 0xff),
                            ((a[2] & 0xff) << 8) | (a[3] & 0xff));
            if (r < 0.62) {
                return ip;
            } else if (r < 0.70) {
                return pick(" " + ip + " ", "\t" + ip, ip + "  ");
            } else if (r < 0.80) {
                return "::ffff:" + ip;
            } else if (r < 0.85) {
                return "::FFFF:" + ip;
            } else if (r < 0.90) {
                return "0:0:0:0:0:ffff:" + hex;
            } else if (r < 0.95) {
                return "::FFFF:" + hex.toUpperCase();
            }
            return "0000:0000:0000:0000:0000:ffff:" + ip;
        }
        String canonical = RefIp.format(a);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        if (r < 0.45) {
            return canonical;
        } else if (r < 0.60) {
            return canonical.toUpperCase();
        } else if (r < 0.75) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(i == 0 ? "" : ":").append(String.format("%04x", g[i]));
            }
            return rnd.nextBoolean() ? sb.toString() : sb.toString().toUpperCase();
        } else if (r < 0.85) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
            }
            return sb.toString();
        } else if (r < 0.95) {
            return pick(" " + canonical, canonical + "\t", "  " + canonical + " ");
        }
        // "::" on the last run of zero groups (valid, not RFC 5952 when another run is longer)
        int start = -1;
        int len = 0;
        for (int i = 0; i < 8; i++) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                start = i;
                len = j - i;
                i = j;
            }
        }
        if (start < 0) {
            return canonical;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < start; i++) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
        }
        sb.append("::");
        for (int i = start + len; i < 8; i++) {
            sb.append(i == start + len ? "" : ":").append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    // ============================================================================== time helpers

    Instant anchor() {
        return BASE.plus(between(Duration.ZERO, Duration.ofDays(3)));
    }

    Duration between(Duration min, Duration max) {
        long span = max.minus(min).toNanos();
        return span <= 0 ? min : min.plusNanos(rnd.nextLong(span + 1));
    }

    private int pickDigits() {
        double r = rnd.nextDouble();
        return r < 0.55 ? 7 : r < 0.75 ? 3 : r < 0.92 ? 0 : r < 0.96 ? 9 : r < 0.98 ? 1 : 6;
    }

    private ZoneOffset pickOffset() {
        if (rnd.nextDouble() >= 0.04) {
            return ZoneOffset.UTC;
        }
        return pick(
                ZoneOffset.ofHours(1), ZoneOffset.ofHours(-5), ZoneOffset.ofHoursMinutes(5, 30));
    }

    private static Instant truncate(Instant t, int digits) {
        long unit = (long) Math.pow(10, 9 - digits);
        return t.minusNanos(t.getNano() % unit);
    }

    static int minDigits(Instant t) {
        int n = t.getNano();
        if (n == 0) {
            return 0;
        }
        int d = 9;
        while (n % 10 == 0) {
            n /= 10;
            d--;
        }
        return d;
    }

    /** A time near raw, at a random precision. */
    GT ts(Instant raw) {
        int d = pickDigits();
        return new GT(truncate(raw, d), d, pickOffset());
    }

    /** Exactly t, at a random precision fine enough to show it. */
    GT exactTs(Instant t) {
        return new GT(t, Math.max(minDigits(t), pickDigits()), pickOffset());
    }

    /** Connection times: one precision per instant, so equal instants never print differently. */
    GT connTs(Instant raw) {
        return sameDigitsAsBefore(ts(raw));
    }

    GT connExact(Instant t) {
        return sameDigitsAsBefore(exactTs(t));
    }

    private GT sameDigitsAsBefore(GT g) {
        Integer prev = connDigits.putIfAbsent(g.instant(), g.digits());
        return prev == null || prev == g.digits() ? g : new GT(g.instant(), prev, g.offset());
    }

    // ============================================================================== arrival order

    /** Indicators arrive in TimeGenerated order, some up to 10 minutes after. */
    void addInd(ObjectNode row, Instant arrivalKey) {
        Instant key = arrivalKey;
        if (rnd.nextDouble() < 0.2) {
            key = key.plus(between(Duration.ZERO, Duration.ofMinutes(10)));
        }
        inds.add(new Pending(key, seq++, row, null, false, false));
    }

    /**
     * An indicator that arrives exactly at the given key (rows with equal keys keep creation
     * order).
     */
    void addIndAt(ObjectNode row, Instant arrivalKey) {
        inds.add(new Pending(arrivalKey, seq++, row, null, false, false));
    }

    /** A STIX object that arrives at its key, some up to 10 minutes after. */
    void addStix(ObjectNode object, Instant arrivalKey) {
        Instant key = arrivalKey;
        if (rnd.nextDouble() < 0.2) {
            key = key.plus(between(Duration.ZERO, Duration.ofMinutes(10)));
        }
        inds.add(new Pending(key, seq++, object, null, false, true));
    }

    /** A STIX object that arrives exactly at the given key. */
    void addStixAt(ObjectNode object, Instant arrivalKey) {
        inds.add(new Pending(arrivalKey, seq++, object, null, false, true));
    }

    /**
     * Connections arrive mostly in order, some up to 4 minutes behind (on time), some 6 to 45
     * minutes behind (late). Rows without a usable RemoteIp are always a little behind, so that
     * they rarely raise the maximum.
     */
    void addConn(ObjectNode row, GT tg, boolean unusable) {
        Duration delay;
        double r = rnd.nextDouble();
        if (unusable) {
            delay = between(Duration.ofSeconds(30), Duration.ofMinutes(4));
        } else if (r < 0.82) {
            delay = Duration.ZERO;
        } else if (r < 0.95 || !withLateRows) {
            delay = between(Duration.ofSeconds(1), Duration.ofMinutes(4));
        } else {
            delay = between(Duration.ofMinutes(6), Duration.ofMinutes(45));
        }
        conns.add(new Pending(tg.instant().plus(delay), seq++, row, tg.instant(), unusable, false));
    }

    private static List<Pending> sortByArrival(List<Pending> rows) {
        List<Pending> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Pending::key).thenComparingInt(Pending::seq));
        return out;
    }

    /**
     * Whether rows with an unusable RemoteIp take part in the late marking (SPEC 4.4) is not
     * something the job should be tested on: drop the ones that would raise the running maximum, so
     * the answer is the same either way.
     */
    private static List<Pending> dropUnusableRowsThatRaiseTheMax(List<Pending> ordered) {
        List<Pending> out = new ArrayList<>();
        Instant max = null;
        for (Pending p : ordered) {
            if (p.unusable()) {
                if (max != null && !p.tg().isAfter(max)) {
                    out.add(p);
                }
                continue;
            }
            out.add(p);
            if (max == null || p.tg().isAfter(max)) {
                max = p.tg();
            }
        }
        return out;
    }

    /** JSON Lines; some consecutive rows packed into {"records": [...]} envelopes. */
    private List<String> toLines(List<Pending> ordered, boolean indicators) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < ordered.size()) {
            if (rnd.nextDouble() < 0.06 && i + 1 < ordered.size()) {
                int n = Math.min(ordered.size() - i, 2 + rnd.nextInt(4));
                ObjectNode env = MAPPER.createObjectNode();
                ArrayNode records = env.putArray("records");
                for (int j = 0; j < n; j++) {
                    records.add(ordered.get(i + j).row());
                }
                if (rnd.nextDouble() < 0.2) { // an unreadable row inside the envelope
                    ObjectNode bad = MAPPER.createObjectNode();
                    bad.put("Computer", "no-time.contoso.com");
                    bad.put("RemoteIp", "45.9.9.9");
                    records.insert(
                            rnd.nextInt(records.size() + 1),
                            rnd.nextBoolean() ? MAPPER.getNodeFactory().numberNode(17) : bad);
                    if (indicators) {
                        indDead++;
                    } else {
                        connDead++;
                    }
                }
                lines.add(json(env));
                i += n;
            } else {
                lines.add(json(ordered.get(i).row()));
                i++;
            }
        }
        return lines;
    }

    /**
     * JSON Lines of the indicator input in {@link Shapes#ALL}: rows as {@link #toLines}, some in
     * {"records": [...]} envelopes; STIX objects alone or, some, in bundles or TAXII envelopes,
     * with objects of other STIX types and now and then a dead element among them; and empty pages.
     */
    private List<String> toLinesAll(List<Pending> ordered) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < ordered.size()) {
            Pending p = ordered.get(i);
            int run = 1;
            while (i + run < ordered.size() && ordered.get(i + run).stix() == p.stix()) {
                run++;
            }
            if (!p.stix() && run > 1 && rnd.nextDouble() < 0.08) {
                int n = Math.min(run, 2 + rnd.nextInt(4));
                ObjectNode env = MAPPER.createObjectNode();
                ArrayNode records = env.putArray("records");
                for (int j = 0; j < n; j++) {
                    records.add(ordered.get(i + j).row());
                }
                if (rnd.nextDouble() < 0.2) { // an unreadable row inside the envelope
                    ObjectNode bad = MAPPER.createObjectNode();
                    bad.put("Id", "indicator--no-time");
                    bad.put("ObservableKey", "ipv4-addr:value");
                    bad.put("ObservableValue", "45.9.9.9");
                    records.insert(
                            rnd.nextInt(records.size() + 1),
                            rnd.nextBoolean() ? MAPPER.getNodeFactory().numberNode(17) : bad);
                    indDead++;
                }
                lines.add(json(env));
                i += n;
            } else if (p.stix() && rnd.nextDouble() < 0.4) {
                int n = Math.min(run, 1 + rnd.nextInt(5));
                List<ObjectNode> objects = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    objects.add(ordered.get(i + j).row());
                }
                lines.add(json(Section6Stories.envelope(this, objects)));
                i += n;
            } else {
                lines.add(json(p.row()));
                i++;
            }
        }
        for (String page : Section6Stories.emptyPages()) {
            lines.add(rnd.nextInt(lines.size() + 1), page);
        }
        return lines;
    }

    /** Counts a dead letter of the indicator input that an envelope holds. */
    void countIndicatorDeadLetter() {
        indDead++;
    }

    private void addDeadLetters(List<String> lines, boolean indicators) {
        List<String> bad =
                new ArrayList<>(
                        List.of(
                                "this is not json",
                                "[{\"TimeGenerated\":\"2026-11-25T10:00:00Z\"}]",
                                "42",
                                "null",
                                "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",",
                                "{\"TimeGenerated\":\"2026-11-31T10:00:00Z\",\"IndicatorId\":\"dl-bad-date\",\"NetworkIP\":\"45.9.9.9\","
                                        + "\"RemoteIp\":\"45.9.9.9\",\"Active\":true,\"ExpirationDateTime\":\"2026-12-30T00:00:00Z\"}",
                                "{\"TimeGenerated\":1764064800,\"IndicatorId\":\"dl-number-time\",\"RemoteIp\":\"45.9.9.9\"}",
                                "{\"TimeGenerated\":\"yesterday\",\"IndicatorId\":\"dl-word-time\",\"RemoteIp\":\"45.9.9.9\"}",
                                "{\"IndicatorId\":\"dl-no-time\",\"NetworkIP\":\"45.9.9.9\",\"RemoteIp\":\"45.9.9.9\"}",
                                "{\"records\":\"not an array\"}"));
        if (indicators) {
            bad.add(
                    "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"NetworkIP\":\"45.9.9.9\",\"Active\":true,"
                            + "\"ExpirationDateTime\":\"2026-12-30T00:00:00Z\"}");
            bad.add(
                    "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"IndicatorId\":\"   \",\"NetworkIP\":\"45.9.9.9\","
                            + "\"Active\":true,\"ExpirationDateTime\":\"2026-12-30T00:00:00Z\"}");
            bad.add(
                    "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"IndicatorId\":null,\"NetworkIP\":\"45.9.9.9\"}");
            if (shapes == Shapes.ALL) {
                bad.addAll(Section6Stories.deadLetterLines());
            }
        }
        for (String b : bad) {
            lines.add(rnd.nextInt(lines.size() + 1), b);
            if (indicators) {
                indDead++;
            } else {
                connDead++;
            }
        }
    }

    static String json(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ============================================================================== small helpers

    String newId() {
        return String.format("indicator--%08x-%04d", rnd.nextInt(), idCounter++);
    }

    /** A number no other id of the scenario has. */
    int nextIdNumber() {
        return idCounter++;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    int pickInt(int... options) {
        return options[rnd.nextInt(options.length)];
    }
}

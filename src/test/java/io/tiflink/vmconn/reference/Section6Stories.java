package io.tiflink.vmconn.reference;

import static io.tiflink.vmconn.reference.ScenarioGenerator.JNULL;
import static io.tiflink.vmconn.reference.ScenarioGenerator.MAPPER;
import static io.tiflink.vmconn.reference.ScenarioGenerator.MISSING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.RefIp.Cidr;
import io.tiflink.vmconn.reference.ScenarioGenerator.GT;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The stories of SPEC section 6 that {@link ScenarioGenerator} adds in {@link
 * ScenarioGenerator.Shapes#ALL}: ThreatIntelIndicators rows, STIX 2.1 indicators and other STIX
 * objects, and ranges of every kind, on the indicator input beside the legacy rows. Like the
 * generator, they only build situations around the SPEC's edges; the oracle decides what they give.
 *
 * <p>Ranges of these stories lie in their own address space (IPv4 first octets {@link
 * #RANGE_V4_OCTETS}, IPv6 2a10::/12), apart from one another and from every address of the other
 * stories, except where a story overlaps targets on purpose. The stories keep clear of what the
 * brief's decisions leave open: no blank or JSON null ValidFrom / ValidUntil / valid_from /
 * valid_until, no white space inside a pattern's quotes, no bundle inside a {"records"} envelope,
 * no unreadable {@code modified} beside a readable {@code created}, no ids shared between kinds, no
 * version time equal to a ValidFrom unless written alike.
 */
final class Section6Stories {

    private static final Duration L = Duration.ofHours(1);
    private static final Duration P = Duration.ofDays(14);

    /** First octets of this class's IPv4 ranges: no address of the legacy stories has them. */
    static final int[] RANGE_V4_OCTETS = {37, 51, 81, 95, 109, 151, 176, 188};

    private enum Kind {
        LEGACY,
        TI,
        STIX
    }

    /** A value as written, and an address it names (the address, or one inside the range). */
    private record Val(String written, byte[] hit) {}

    /**
     * Ranges at SPEC 6.4's edges: the value, then connection addresses in and around it. Too broad
     * (defaults /8, /32), wholly excluded, excluded only under the extra ranges a scenario may set,
     * partly excluded, host bits set, IPv4-mapped, /32 and /128, exactly /8 and /32.
     */
    private static final String[][] EDGES = {
        {"0.0.0.0/0", "5.9.9.9"},
        {"10.0.0.0/7", "11.9.9.9", "10.9.9.9"},
        {"5.0.0.0/7", "4.9.9.9", "5.9.9.8"},
        {"::ffff:5.0.0.0/103", "5.1.9.9"},
        {"::/0", "2a1f:9::9"},
        {"2a10::/31", "2a10:1::9"},
        {"10.20.0.0/16", "10.20.9.9"},
        {"172.16.0.0/12", "172.20.9.9"},
        {"192.168.4.0/24", "192.168.4.9"},
        {"127.0.0.0/8", "127.0.0.9"},
        {"fe80::/64", "fe80::9"},
        {"fd00:1::/48", "fd00:1::9"},
        {"::/100", "::9"},
        {"::ffff:10.1.0.0/112", "10.1.9.9"},
        {"100.64.0.0/12", "100.64.9.9", "100.79.0.1"},
        {"169.254.0.0/16", "169.254.9.9"},
        {"172.0.0.0/8", "172.5.9.9", "172.16.9.9", "::ffff:172.5.9.10"},
        {"192.168.0.0/15", "192.169.9.9", "192.168.9.9"},
        {"::/95", "::1:0:9", "::9", "::2:0:9"},
        {"100.0.0.0/8", "100.1.9.9", "100.64.9.10"},
        {"51.67.89.10/24", "51.67.89.200", "51.67.90.1"},
        {"2a10:1:2:3::7/64", "2a10:1:2:3::abcd", "2a10:1:2:4::1"},
        {"::ffff:51.68.1.1/112", "51.68.7.7", "51.69.0.1"},
        {"::FFFF:51.69.1.1/120", "51.69.1.77"},
        {"::ffff:51.70.1.1/128", "51.70.1.1", "51.70.1.2"},
        {"51.71.1.1/32", "51.71.1.1", "51.71.1.2"},
        {"2a10:5::1/128", "2a10:5::1", "2a10:5::2"},
        {"176.0.0.0/8", "176.1.2.3"},
        {"2a11::/32", "2a11:0:1::1", "2a12::1"},
        {"203.0.113.0/25", "203.0.113.1"}
    };

    /** STIX patterns with a construct SPEC 6.3b does not support; %1 and %2 are addresses. */
    private static final String[] UNSUPPORTED_PATTERNS = {
        "[ipv4-addr:value != '%1']",
        "[ipv4-addr:value NOT = '%1']",
        "[ipv4-addr:value = '%1'] AND [ipv4-addr:value = '%2']",
        "[ipv4-addr:value = '%1'] FOLLOWEDBY [ipv4-addr:value = '%2']",
        "[ipv4-addr:value = '%1'] WITHIN 300 SECONDS",
        "[ipv4-addr:value = '%1'] REPEATS 3 TIMES",
        "[ipv4-addr:value = '%1'] START t'2026-11-01T00:00:00Z' STOP t'2026-12-31T00:00:00Z'",
        "[ipv4-addr:value LIKE '%1']",
        "[ipv4-addr:value MATCHES '^%1$']",
        "[ipv4-addr:value IN ('%1', '%2')]",
        "[ipv4-addr:value ISSUPERSET '%1']",
        "[ipv4-addr:value > '%1']",
        "[network-traffic:dst_ref.value = '%1' AND network-traffic:dst_port = 443]",
        "[ipv4-addr:value = '%1' AND ipv4-addr:value = '%2']",
        "[ipv4-addr:value = '%1'] OR [domain-name:value LIKE '%.bad.example']",
        "[ipv4-addr:value = '%1'",
        "[ipv4-addr:value = 17] OR [ipv4-addr:value = '%1']"
    };

    private static final String[] OTHER_STIX_TYPES = {
        "identity",
        "relationship",
        "marking-definition",
        "malware",
        "attack-pattern",
        "sighting",
        "threat-actor"
    };

    private final ScenarioGenerator g;
    private final Random rnd;
    private final List<Cidr> usedRanges = new ArrayList<>();

    Section6Stories(ScenarioGenerator g) {
        this.g = g;
        this.rnd = g.rnd;
        for (String[] e : EDGES) {
            Cidr c = RefIp.parseValue(e[0]);
            if (inOwnSpace(c)) {
                usedRanges.add(c);
            }
        }
    }

    /**
     * The stories; {@code k} grows with the scenario's size. Every variant of a story runs at least
     * once (then variants at random), so that every scenario holds every case.
     */
    void build(int k) {
        rangeEdgesStory();
        legacyBlockStory();
        for (int i = 0; i < 2 * k; i++) {
            rangeStory();
        }
        for (int i = 0; i < Math.max(TI_VARIANTS, 2 * k); i++) {
            tiStory(i < TI_VARIANTS ? i : rnd.nextInt(TI_VARIANTS));
        }
        for (int i = 0; i < Math.max(STIX_VARIANTS, 2 * k); i++) {
            stixStory(i < STIX_VARIANTS ? i : rnd.nextInt(STIX_VARIANTS));
        }
        for (int i = 0; i < Math.max(TIMING_VARIANTS, k); i++) {
            int variant = i < TIMING_VARIANTS ? i : rnd.nextInt(TIMING_VARIANTS);
            tiTimingStory(variant);
            stixTimingStory(variant);
        }
        for (int i = 0; i < Math.max(2, k); i++) {
            stixVersionsStory(i == 0 ? true : i == 1 ? false : rnd.nextBoolean());
        }
        for (int i = 0; i < k; i++) {
            overlappingTargetsStory();
            tiSeveralIpsStory();
            tiSkippedStory(i == 0);
            stixSkippedStory(i == 0);
        }
        otherStixTypesStory();
    }

    private static final int TI_VARIANTS = 8;
    private static final int STIX_VARIANTS = 7;
    private static final int TIMING_VARIANTS = 3;

    // ============================================================================== ranges

    /** SPEC 6.4: the fixed edge ranges, each on an indicator of a random kind, with traffic. */
    private void rangeEdgesStory() {
        Instant a = g.anchor();
        for (String[] e : EDGES) {
            GT tg = g.ts(a.plus(g.between(Duration.ZERO, Duration.ofHours(3))));
            live(pickKind(), tg, List.of(e[0]), "Edge range " + e[0]);
            for (int i = 1; i < e.length; i++) {
                GT c =
                        g.connTs(
                                tg.instant()
                                        .plus(
                                                g.between(
                                                        Duration.ofMinutes(1),
                                                        Duration.ofHours(3))));
                g.addConn(g.connTo(c, e[i]), c, false);
            }
        }
    }

    /**
     * SPEC 1.1: legacy rows whose four IP columns are empty (blank, null, missing) and whose
     * NetworkCidrBlock holds a range, or an address; and one whose NetworkIP wins over its block.
     */
    private void legacyBlockStory() {
        for (int i = 0; i < 3; i++) {
            Cidr c = i == 2 ? null : freshRange(i == 0, i == 0 ? 24 : 64);
            byte[] a = c == null ? g.newIp() : null;
            String block = c == null ? g.render(a) : writeRange(c, false);
            GT tg = g.ts(g.anchor());
            Map<String, Object> cols =
                    ScenarioGenerator.cols(
                            "NetworkIP",
                            g.pick("", "  ", JNULL),
                            "NetworkDestinationIP",
                            g.pick("", JNULL, MISSING),
                            "NetworkSourceIP",
                            g.pick(" ", MISSING),
                            "EmailSourceIpAddress",
                            g.pick("", MISSING),
                            "NetworkCidrBlock",
                            block);
            g.addInd(
                    g.ind(
                            g.newId(),
                            tg,
                            cols,
                            g.trueValue(),
                            g.expiryAfter(tg.instant(), Duration.ofDays(1), Duration.ofDays(20)),
                            "Block only"),
                    tg.instant());
            g.connsAfter(tg, c == null ? a : inside(c), 2);
        }
        byte[] a = g.newIp();
        Cidr other = freshRange(true, 20);
        GT tg = g.ts(g.anchor());
        g.addInd(
                g.ind(
                        g.newId(),
                        tg,
                        ScenarioGenerator.cols(
                                "NetworkIP", g.render(a), "NetworkCidrBlock", other.canonical()),
                        g.trueValue(),
                        g.expiryAfter(tg.instant(), Duration.ofDays(1), Duration.ofDays(20)),
                        "Address and block"),
                tg.instant());
        g.connsAfter(tg, a, 1);
        g.connsAfter(tg, inside(other), 1);
    }

    /**
     * SPEC 6.4: a range of random family and prefix, written in one of its forms, on any kind of
     * indicator; traffic inside, at both ends and just outside.
     */
    private void rangeStory() {
        Kind kind = pickKind();
        boolean v4 = rnd.nextDouble() < 0.6;
        int prefix =
                v4
                        ? g.pickInt(8, 12, 16, 16, 20, 22, 24, 24, 24, 26, 28, 30, 31)
                        : g.pickInt(32, 40, 48, 48, 56, 64, 64, 64, 96, 112, 120, 126, 127);
        Cidr c = freshRange(v4, prefix);
        GT tg = g.ts(g.anchor());
        live(kind, tg, List.of(writeRange(c, kind == Kind.STIX)), "Range");
        Instant from = tg.instant().plus(Duration.ofMinutes(1));
        Instant to = tg.instant().plus(Duration.ofHours(5));
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            g.connsBetween(inside(c), from, to, 1);
        }
        g.connsBetween(c.network(), from, to, 1);
        g.connsBetween(last(c), from, to, 1);
        g.connsBetween(step(c.network(), -1), from, to, 1);
        g.connsBetween(step(last(c), 1), from, to, 1);
    }

    /**
     * Decision 7: targets of one indicator that overlap: a ThreatIntelIndicators Id with an
     * address, its /24 and its /16 (later the address is deactivated), and a STIX object with a
     * /16, a /24 written with host bits and the same /24 written canonically.
     */
    private void overlappingTargetsStory() {
        Cidr wide = freshRange(true, 16);
        byte[] a = inside(wide);
        Cidr narrow = new Cidr(RefIp.masked(a, 24), 24);
        String id = stixId("indicator");
        GT tg = g.ts(g.anchor());
        Instant t = tg.instant();
        addTi(id, tg, ipKey(RefIp.format(a)), g.render(a), plainTi(tg));
        addTi(id, tg, "ipv4-addr:value", writeRange(narrow, false), plainTi(tg));
        addTi(id, tg, "network-traffic:dst_ref.value", writeRange(wide, false), plainTi(tg));
        GT t2 = g.ts(t.plus(g.between(Duration.ofHours(2), Duration.ofHours(3))));
        addTi(
                id,
                t2,
                "ipv4-addr:value",
                g.render(a),
                with(plainTi(t2), "IsActive", g.pick(false, "false")));
        Instant from = t.plus(Duration.ofMinutes(1));
        Instant before = t2.instant().minus(Duration.ofMinutes(1));
        g.connsBetween(a, from, before, 1);
        g.connsBetween(inside(narrow), from, before, 1);
        g.connsBetween(inside(wide), from, before, 1);
        g.connsBetween(
                a,
                t2.instant().plus(Duration.ofMinutes(1)),
                t2.instant().plus(Duration.ofHours(2)),
                2);

        Cidr wide2 = freshRange(true, 16);
        Cidr narrow2 = new Cidr(RefIp.masked(inside(wide2), 24), 24);
        List<String> values =
                new ArrayList<>(
                        List.of(
                                RefIp.format(inside(narrow2)) + "/24",
                                narrow2.canonical(),
                                wide2.canonical()));
        if (rnd.nextBoolean()) {
            Collections.reverse(values);
        }
        String id2 = stixId("indicator");
        GT ts = g.ts(g.anchor());
        g.addStix(stixObject(id2, ts, patternOf(values), liveStix(ts)), ts.instant());
        g.connsAfter(ts, inside(narrow2), 2);
        g.connsAfter(ts, inside(wide2), 1);
    }

    // ============================================================================== TI rows

    /** SPEC 6.2b, d: one ThreatIntelIndicators IP row, and a liveness case around it. */
    private void tiStory(int variant) {
        Val v = value(false);
        byte[] hit = v.hit();
        String id = stixId("indicator");
        GT tg = g.ts(g.anchor());
        Instant t = tg.instant();
        String key = ipKey(v.written());
        switch (variant) {
            case 0 -> {
                addTi(id, tg, key, v.written(), liveTi(tg));
                g.connsBetween(hit, t.plus(Duration.ofMinutes(1)), t.plus(Duration.ofHours(5)), 2);
            }
            case 1 -> { // no ValidUntil: never expires, TimeGenerated >= t - P still bounds it
                addTi(id, tg, key, v.written(), with(liveTi(tg), "ValidUntil", MISSING));
                g.connsBetween(hit, t.plus(Duration.ofMinutes(1)), t.plus(Duration.ofHours(3)), 1);
                g.connsBetween(hit, t.plus(Duration.ofDays(2)), t.plus(Duration.ofDays(3)), 1);
            }
            case 2 -> { // ValidUntil: before, 100 ns before, exactly at, after
                GT until = g.ts(t.plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
                addTi(id, tg, key, v.written(), with(liveTi(tg), "ValidUntil", until));
                Instant u = until.instant();
                g.connsBetween(
                        hit, u.minus(Duration.ofHours(1)), u.minus(Duration.ofMinutes(1)), 1);
                connAt(hit, u.minusNanos(100));
                connAt(hit, u);
                g.connsBetween(hit, u.plusSeconds(1), u.plus(Duration.ofHours(1)), 1);
            }
            case 3 -> { // ValidFrom after the row: traffic before it within L is detected at it
                GT vf = g.ts(t.plus(g.between(Duration.ofHours(1), Duration.ofHours(3))));
                addTi(id, tg, key, v.written(), with(liveTi(tg), "ValidFrom", vf));
                Instant f = vf.instant();
                connAt(hit, f.minus(L));
                connAt(hit, f.minus(L).minusSeconds(1));
                g.connsBetween(
                        hit, f.minus(Duration.ofMinutes(59)), f.minus(Duration.ofMinutes(1)), 2);
                g.connsBetween(hit, f.plus(Duration.ofMinutes(1)), f.plus(Duration.ofHours(2)), 1);
            }
            case 4 -> { // deleted, revoked or inactive: never live
                Object[][] flags = {
                    {"IsDeleted", g.pick(true, "true")},
                    {"Revoked", g.pick(true, "true")},
                    {"IsActive", g.pick(false, "false", MISSING)}
                };
                for (Object[] f : flags) {
                    Val w = f == flags[0] ? v : value(false);
                    addTi(
                            f == flags[0] ? id : stixId("indicator"),
                            tg,
                            ipKey(w.written()),
                            w.written(),
                            with(liveTi(tg), (String) f[0], f[1]));
                    g.connsBetween(
                            w.hit(), t.plus(Duration.ofMinutes(1)), t.plus(Duration.ofHours(3)), 2);
                }
            }
            case 5 -> { // an unreadable bound: still a version (it replaces v0), never live
                GT t0 = g.ts(t.minus(g.between(Duration.ofHours(2), Duration.ofHours(3))));
                addTi(id, t0, key, v.written(), plainTi(t0));
                Object bad =
                        g.pick("never", "2026-13-01T00:00:00Z", 1767225600, "2026-12-01 00:00");
                addTi(
                        id,
                        tg,
                        key,
                        v.written(),
                        with(plainTi(tg), g.pick("ValidUntil", "ValidFrom"), bad));
                g.connsBetween(
                        hit,
                        t0.instant().plus(Duration.ofMinutes(1)),
                        t.minus(Duration.ofMinutes(61)),
                        1);
                g.connsBetween(hit, t.plus(Duration.ofMinutes(1)), t.plus(Duration.ofHours(3)), 2);
            }
            case 6 -> { // deactivated, then active again; traffic in each gap
                GT t2 = g.ts(t.plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
                GT t3 =
                        g.ts(
                                t2.instant()
                                        .plus(g.between(Duration.ofHours(3), Duration.ofHours(6))));
                addTi(id, tg, key, v.written(), plainTi(tg));
                addTi(id, t2, key, v.written(), with(plainTi(t2), "IsActive", false));
                addTi(id, t3, key, v.written(), plainTi(t3));
                Instant i2 = t2.instant();
                Instant i3 = t3.instant();
                g.connsBetween(
                        hit, t.plus(Duration.ofMinutes(1)), i2.minus(Duration.ofMinutes(1)), 1);
                g.connsBetween(
                        hit, i2.plus(Duration.ofMinutes(1)), i3.minus(Duration.ofMinutes(61)), 1);
                g.connsBetween(
                        hit, i3.minus(Duration.ofMinutes(59)), i3.minus(Duration.ofMinutes(1)), 1);
                g.connsBetween(
                        hit, i3.plus(Duration.ofMinutes(1)), i3.plus(Duration.ofHours(2)), 1);
            }
            default -> { // exactly P old at the connection: live; one second later: not
                GT tc = g.connTs(t);
                GT old = g.exactTs(tc.instant().minus(P));
                addTi(
                        id,
                        old,
                        key,
                        v.written(),
                        with(plainTi(old), "ValidUntil", g.ts(t.plus(Duration.ofDays(10)))));
                g.addConn(g.connTo(tc, g.render(hit)), tc, false);
                connAt(hit, tc.instant().plusSeconds(1));
            }
        }
    }

    /**
     * SPEC 6.2c: one Id with several IPs (one deactivated later, one rewritten in another form),
     * and a Pattern-only row with several IPs.
     */
    private void tiSeveralIpsStory() {
        String id = stixId("indicator");
        Val a = value(false);
        Val b = value(false);
        GT t1 = g.ts(g.anchor());
        GT t1b =
                rnd.nextBoolean()
                        ? t1
                        : g.ts(t1.instant().plus(g.between(Duration.ZERO, Duration.ofMinutes(20))));
        addTi(id, t1, ipKey(a.written()), a.written(), plainTi(t1));
        addTi(id, t1b, ipKey(b.written()), b.written(), plainTi(t1b));
        GT t2 = g.ts(t1b.instant().plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
        addTi(
                id,
                t2,
                ipKey(a.written()),
                a.written(),
                with(plainTi(t2), "IsActive", g.pick(false, "false", MISSING)));
        Instant i2 = t2.instant();
        if (rnd.nextBoolean()) { // b again, written another way: the same (Id, IP) timeline
            GT t3 = g.ts(i2.plus(g.between(Duration.ofMinutes(30), Duration.ofHours(2))));
            Cidr cb = RefIp.parseValue(b.written());
            String again = cb.isAddress() ? g.render(cb.network()) : writeRange(cb, false);
            addTi(
                    id,
                    t3,
                    ipKey(again),
                    again,
                    with(plainTi(t3), "Data", data(id, "", "Seen again")));
        }
        g.connsBetween(
                a.hit(),
                t1b.instant().plus(Duration.ofMinutes(1)),
                i2.minus(Duration.ofMinutes(1)),
                2);
        g.connsBetween(a.hit(), i2.plus(Duration.ofMinutes(1)), i2.plus(Duration.ofHours(3)), 2);
        g.connsBetween(b.hit(), i2.plus(Duration.ofMinutes(1)), i2.plus(Duration.ofHours(3)), 2);

        String id2 = stixId("indicator");
        Val c = value(true);
        Val d = value(true);
        GT tp = g.ts(g.anchor());
        Object empty = g.pick("", JNULL, MISSING);
        addTi(
                id2,
                tp,
                empty,
                empty,
                with(plainTi(tp), "Pattern", patternOf(List.of(c.written(), d.written()))));
        g.connsAfter(tp, c.hit(), 1);
        g.connsAfter(tp, d.hit(), 1);
    }

    /**
     * SPEC 1.5, 2.2 on ThreatIntelIndicators rows: a row after the traffic (L exactly, just over),
     * an older row arriving after a newer one, ties.
     */
    private void tiTimingStory(int variant) {
        Val v = value(false);
        byte[] hit = v.hit();
        String id = stixId("indicator");
        String key = ipKey(v.written());
        switch (variant) {
            case 0 -> { // after the traffic
                GT tg = g.ts(g.anchor());
                addTi(id, tg, key, v.written(), plainTi(tg));
                Instant t = tg.instant();
                connAt(hit, t.minus(L));
                connAt(hit, t.minus(L).minusSeconds(1));
                connAt(hit, t.minus(L).minusNanos(100));
                g.connsBetween(
                        hit, t.minus(Duration.ofMinutes(59)), t.minus(Duration.ofMinutes(1)), 2);
            }
            case 1 -> { // the newer row deactivates; the older active one arrives after it
                GT t1 = g.ts(g.anchor());
                GT t2 =
                        g.ts(
                                t1.instant()
                                        .plus(
                                                g.between(
                                                        Duration.ofHours(2).plusMinutes(10),
                                                        Duration.ofHours(6))));
                Instant i2 = t2.instant();
                g.addIndAt(
                        tiRow(id, t2, key, v.written(), with(plainTi(t2), "IsActive", false)), i2);
                g.addIndAt(
                        tiRow(id, t1, key, v.written(), plainTi(t1)),
                        i2.plus(g.between(Duration.ofMinutes(1), Duration.ofHours(1))));
                g.connsBetween(hit, t1.instant().plus(Duration.ofMinutes(5)), i2.minus(L), 2);
                g.connsBetween(
                        hit, i2.plus(Duration.ofMinutes(10)), i2.plus(Duration.ofHours(2)), 2);
            }
            default -> { // two rows with one TimeGenerated: the later arrival is in force
                Instant t0 = g.anchor();
                GT v0 = g.ts(t0);
                addTi(id, v0, key, v.written(), plainTi(v0));
                GT x = g.ts(t0.plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
                GT y =
                        rnd.nextBoolean()
                                ? x
                                : new GT(x.instant(), Math.max(x.digits(), 7), ZoneOffset.UTC);
                Instant arrival = x.instant().plus(g.between(Duration.ZERO, Duration.ofMinutes(3)));
                boolean firstActive = rnd.nextBoolean();
                g.addIndAt(
                        tiRow(
                                id,
                                x,
                                key,
                                v.written(),
                                firstActive ? plainTi(x) : with(plainTi(x), "IsActive", false)),
                        arrival);
                g.addIndAt(
                        tiRow(
                                id,
                                y,
                                key,
                                v.written(),
                                firstActive ? with(plainTi(y), "IsActive", false) : plainTi(y)),
                        arrival);
                g.connsBetween(
                        hit,
                        t0.plus(Duration.ofMinutes(1)),
                        x.instant().minus(Duration.ofMinutes(61)),
                        1);
                g.connsBetween(hit, x.instant().minus(Duration.ofMinutes(50)), x.instant(), 1);
                g.connsBetween(
                        hit,
                        x.instant().plus(Duration.ofMinutes(1)),
                        x.instant().plus(Duration.ofHours(3)),
                        2);
                connAt(hit, x.instant());
            }
        }
    }

    /**
     * SPEC 6.2b and decisions 3, 4, 9: rows that are no versions (non-IP keys, empty values,
     * unsupported or IP-less patterns, invalid, excluded and too broad values), with traffic to
     * every address they name; and a row whose key wins over its pattern.
     */
    private void tiSkippedStory(boolean all) {
        GT tg = g.ts(g.anchor());
        Instant t = tg.instant();
        List<Runnable> cases = new ArrayList<>();
        cases.add(
                () -> skippedTi(tg, "domain-name:value", "bad-" + rnd.nextInt(1000) + ".example"));
        cases.add(
                () -> {
                    byte[] a = g.newIp();
                    skippedTi(tg, "url:value", "http://" + RefIp.format(a) + "/x");
                    g.connsAfter(tg, a, 1);
                });
        cases.add(
                () ->
                        skippedTi(
                                tg,
                                "file:hashes.'SHA-256'",
                                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        cases.add(() -> skippedTi(tg, "email-addr:value", "x@bad.example"));
        cases.add(
                () -> { // an IP under a non-IP key, and an IP without a key
                    byte[] a = g.newIp();
                    skippedTi(tg, g.pick("domain-name:value", ""), g.render(a));
                    g.connsAfter(tg, a, 1);
                });
        cases.add(() -> skippedTi(tg, ipKey("45.0.0.1"), g.pick("", "  ", JNULL, MISSING)));
        cases.add(
                () ->
                        addTi(
                                stixId("indicator"),
                                tg,
                                g.pick("", JNULL),
                                g.pick("", JNULL),
                                with(plainTi(tg), "Pattern", g.pick("", JNULL))));
        cases.add(
                () -> { // Pattern-only rows: unsupported, and without an IP
                    byte[] a = g.newV4();
                    byte[] b = g.newV4();
                    String p =
                            UNSUPPORTED_PATTERNS[rnd.nextInt(UNSUPPORTED_PATTERNS.length)]
                                    .replace("%1", RefIp.format(a))
                                    .replace("%2", RefIp.format(b));
                    addTi(stixId("indicator"), tg, "", "", with(plainTi(tg), "Pattern", p));
                    addTi(
                            stixId("indicator"),
                            tg,
                            "",
                            "",
                            with(plainTi(tg), "Pattern", "[domain-name:value = 'c2.bad.example']"));
                    g.connsAfter(tg, a, 1);
                    g.connsAfter(tg, b, 1);
                });
        cases.add(
                () ->
                        skippedTi(
                                tg,
                                "ipv4-addr:value",
                                g.pick("not-an-ip", "45.1.2.300", "1.2.3.4/33", "2001:db8::g/64")));
        cases.add(
                () -> { // excluded and too broad
                    String x = g.pick("10.9.8.7", "::ffff:192.168.5.5", "172.16.0.0/12");
                    skippedTi(tg, ipKey(x), x);
                    GT c = g.connTs(t.plus(g.between(Duration.ofMinutes(1), Duration.ofHours(2))));
                    g.addConn(g.connTo(c, "10.9.8.7"), c, false);
                    String y = g.pick("fe80::9", "fc00::/7");
                    skippedTi(tg, ipKey(y), y);
                    skippedTi(tg, "ipv4-addr:value", "4.0.0.0/6");
                    GT d = g.connTs(t.plus(g.between(Duration.ofMinutes(1), Duration.ofHours(2))));
                    g.addConn(g.connTo(d, "4.1.2.3"), d, false);
                });
        cases.add(
                () -> { // key and value set: the pattern is not read
                    byte[] a = g.newIp();
                    byte[] b = g.newV4();
                    addTi(
                            stixId("indicator"),
                            tg,
                            ipKey(RefIp.format(a)),
                            g.render(a),
                            with(
                                    plainTi(tg),
                                    "Pattern",
                                    "[ipv4-addr:value = '" + RefIp.format(b) + "']"));
                    g.connsAfter(tg, a, 1);
                    g.connsAfter(tg, b, 1);
                });
        for (Runnable r : cases) {
            if (all || rnd.nextDouble() < 0.4) {
                r.run();
            }
        }
    }

    private void skippedTi(GT tg, Object key, Object value) {
        addTi(stixId("indicator"), tg, key, value, plainTi(tg));
    }

    // ============================================================================== STIX

    /** SPEC 6.3: a STIX indicator with one to three values and a liveness case. */
    private void stixStory(int variant) {
        int n = rnd.nextDouble() < 0.5 ? 1 : rnd.nextDouble() < 0.6 ? 2 : 3;
        List<Val> vals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vals.add(value(true));
        }
        List<String> written = new ArrayList<>(vals.stream().map(Val::written).toList());
        String id = stixId("indicator");
        GT tg = g.ts(g.anchor());
        Instant t = tg.instant();
        Map<String, Object> f = liveStix(tg);
        Instant from = t.plus(Duration.ofMinutes(1));
        Instant to = t.plus(Duration.ofHours(4));
        byte[] first = vals.get(0).hit();
        switch (variant) {
            case 0 -> {}
            case 1 -> f.put("valid_until", MISSING); // P after modified applies
            case 2 -> { // valid_until: before, 100 ns before, exactly at, after
                GT until = g.ts(t.plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
                f.put("valid_until", until);
                Instant u = until.instant();
                connAt(first, u.minusNanos(100));
                connAt(first, u);
                g.connsBetween(first, u.plusSeconds(1), u.plus(Duration.ofHours(1)), 1);
                to = u.minus(Duration.ofMinutes(1));
            }
            case 3 -> { // valid_from after modified: detection at valid_from
                GT vf = g.ts(t.plus(g.between(Duration.ofHours(1), Duration.ofHours(3))));
                f.put("valid_from", vf);
                Instant i = vf.instant();
                connAt(first, i.minus(L));
                connAt(first, i.minus(L).minusSeconds(1));
                g.connsBetween(
                        first, i.minus(Duration.ofMinutes(59)), i.minus(Duration.ofMinutes(1)), 2);
            }
            case 4 -> f.put("revoked", g.pick(true, "true"));
            case 5 -> {
                if (rnd.nextBoolean()) {
                    f.put("valid_from", MISSING);
                } else {
                    f.put("valid_until", g.pick("never", "2026-02-30T00:00:00Z"));
                }
            }
            default -> { // excluded and too broad values dropped one by one
                String x = g.pick("192.168.3.3", "10.7.0.0/16", "fe80::3", "::ffff:127.0.0.3");
                String y = g.pick("0.0.0.0/0", "2a10::/24", "5.0.0.0/7");
                written.add(rnd.nextInt(written.size() + 1), x);
                written.add(rnd.nextInt(written.size() + 1), y);
                GT c = g.connTs(t.plus(g.between(Duration.ofMinutes(1), Duration.ofHours(2))));
                g.addConn(g.connTo(c, "192.168.3.3"), c, false);
            }
        }
        g.addStix(stixObject(id, tg, patternOf(written), f), t);
        for (Val v : vals) {
            g.connsBetween(v.hit(), from, to, 1 + rnd.nextInt(2));
        }
    }

    /**
     * SPEC 6.3c: a newer version that drops an address (sometimes arriving before the older one),
     * and sometimes a third that revokes.
     */
    private void stixVersionsStory(boolean outOfOrder) {
        Val a = value(true);
        Val b = value(true);
        String id = stixId("indicator");
        GT t1 = g.ts(g.anchor());
        GT t2 = g.ts(t1.instant().plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
        Map<String, Object> f = liveStix(t1);
        f.put("description", "v1");
        ObjectNode v1 = stixObject(id, t1, patternOf(List.of(a.written(), b.written())), f);
        Map<String, Object> f2 = new LinkedHashMap<>(f);
        f2.put("description", "v2: " + b.written() + " only");
        ObjectNode v2 = stixObject(id, t2, patternOf(List.of(b.written())), f2);
        Instant i2 = t2.instant();
        if (outOfOrder) {
            g.addStixAt(v2, i2);
            g.addStixAt(v1, i2.plus(g.between(Duration.ofMinutes(1), Duration.ofHours(1))));
        } else {
            g.addStix(v1, t1.instant());
            g.addStix(v2, i2);
        }
        g.connsBetween(
                a.hit(),
                t1.instant().plus(Duration.ofMinutes(1)),
                i2.minus(Duration.ofMinutes(1)),
                2);
        g.connsBetween(a.hit(), i2.plus(Duration.ofMinutes(1)), i2.plus(Duration.ofHours(2)), 2);
        g.connsBetween(b.hit(), i2.plus(Duration.ofMinutes(1)), i2.plus(Duration.ofHours(2)), 1);
        if (rnd.nextDouble() < 0.4) {
            GT t3 = g.ts(i2.plus(g.between(Duration.ofHours(2), Duration.ofHours(3))));
            Map<String, Object> f3 = new LinkedHashMap<>(f2);
            f3.put("revoked", g.pick(true, "true"));
            g.addStix(stixObject(id, t3, patternOf(List.of(b.written())), f3), t3.instant());
            g.connsBetween(
                    b.hit(),
                    t3.instant().plus(Duration.ofMinutes(1)),
                    t3.instant().plus(Duration.ofHours(2)),
                    1);
        }
    }

    /**
     * SPEC 1.5, 2.2, 6.3d on STIX objects: a version after the traffic (L exactly, just over), ties
     * on modified, and the P bound when valid_until is absent.
     */
    private void stixTimingStory(int variant) {
        Val a = value(true);
        String id = stixId("indicator");
        switch (variant) {
            case 0 -> { // after the traffic
                GT tg = g.ts(g.anchor());
                g.addStix(
                        stixObject(id, tg, patternOf(List.of(a.written())), liveStix(tg)),
                        tg.instant());
                Instant t = tg.instant();
                connAt(a.hit(), t.minus(L));
                connAt(a.hit(), t.minus(L).minusSeconds(1));
                connAt(a.hit(), t.minus(L).minusNanos(100));
                g.connsBetween(
                        a.hit(),
                        t.minus(Duration.ofMinutes(59)),
                        t.minus(Duration.ofMinutes(1)),
                        2);
            }
            case 1 -> { // two versions with one modified: the later arrival is in force
                Val b = value(true);
                Instant t0 = g.anchor();
                GT v0 = g.ts(t0);
                Map<String, Object> f = liveStix(v0);
                g.addStixAt(stixObject(id, v0, patternOf(List.of(a.written())), f), t0);
                GT x = g.ts(t0.plus(g.between(Duration.ofHours(2), Duration.ofHours(4))));
                GT y =
                        rnd.nextBoolean()
                                ? x
                                : new GT(x.instant(), Math.max(x.digits(), 7), ZoneOffset.UTC);
                Instant arrival = x.instant().plus(g.between(Duration.ZERO, Duration.ofMinutes(3)));
                Map<String, Object> fy = new LinkedHashMap<>(f);
                if (rnd.nextBoolean()) {
                    fy.put("revoked", true);
                }
                g.addStixAt(stixObject(id, x, patternOf(List.of(a.written())), f), arrival);
                g.addStixAt(stixObject(id, y, patternOf(List.of(b.written())), fy), arrival);
                g.connsBetween(a.hit(), x.instant().minus(Duration.ofMinutes(50)), x.instant(), 1);
                for (byte[] h : List.of(a.hit(), b.hit())) {
                    g.connsBetween(
                            h,
                            x.instant().plus(Duration.ofMinutes(1)),
                            x.instant().plus(Duration.ofHours(3)),
                            2);
                    connAt(h, x.instant());
                }
            }
            default -> { // no valid_until: live while t < modified + P
                Instant tc = g.anchor();
                GT m =
                        g.exactTs(
                                tc.minus(P)
                                        .plus(
                                                g.between(
                                                        Duration.ofMinutes(1),
                                                        Duration.ofHours(1))));
                Map<String, Object> f = liveStix(m);
                f.put("valid_from", m);
                f.put("valid_until", MISSING);
                g.addStix(stixObject(id, m, patternOf(List.of(a.written())), f), m.instant());
                Instant end = m.instant().plus(P);
                connAt(a.hit(), end.minusNanos(100));
                connAt(a.hit(), end);
                g.connsBetween(a.hit(), end.plusSeconds(1), end.plus(Duration.ofHours(1)), 1);
                g.connsBetween(a.hit(), end.minus(Duration.ofHours(3)), end.minus(L), 1);
            }
        }
    }

    /**
     * SPEC 6.3a-b and decisions 3, 4, 11: objects that are no versions (unsupported patterns,
     * pattern_type other than stix, no IP, every value excluded or too broad, an invalid value),
     * with traffic to every address they name.
     */
    private void stixSkippedStory(boolean all) {
        GT tg = g.ts(g.anchor());
        List<String> patterns = new ArrayList<>();
        List<byte[]> named = new ArrayList<>();
        for (String u : UNSUPPORTED_PATTERNS) {
            if (all || rnd.nextDouble() < 0.3) {
                byte[] a = g.newV4();
                byte[] b = g.newV4();
                patterns.add(u.replace("%1", RefIp.format(a)).replace("%2", RefIp.format(b)));
                named.add(a);
                named.add(b);
            }
        }
        byte[] c = g.newIp();
        named.add(c);
        patterns.add("[url:value = 'http://" + RefIp.format(c) + "/x']");
        patterns.add("[domain-name:value = 'c2.bad.example'] OR [file:name = 'x.exe']");
        patterns.add("[ipv4-addr:value = '10.2.3.4'] OR [ipv6-addr:value = 'fc00::9']");
        patterns.add("[ipv4-addr:value = '4.0.0.0/6'] OR [ipv4-addr:value = '192.168.9.1']");
        byte[] d = g.newV4();
        named.add(d);
        patterns.add(
                "[ipv4-addr:value = '" + RefIp.format(d) + "' OR ipv4-addr:value = '1.2.3.999']");
        for (String p : patterns) {
            String id = stixId("indicator");
            g.addStix(stixObject(id, tg, p, liveStix(tg)), tg.instant());
        }
        for (String type : new String[] {"sigma", "snort", "yara", "suricata", "pcre"}) {
            if (all || rnd.nextDouble() < 0.3) {
                byte[] e = g.newIp();
                named.add(e);
                Map<String, Object> f = liveStix(tg);
                f.put("pattern_type", type);
                g.addStix(
                        stixObject(
                                stixId("indicator"),
                                tg,
                                patternOf(List.of(g.render(e).strip())),
                                f),
                        tg.instant());
            }
        }
        for (byte[] a : named) {
            g.connsAfter(tg, a, 1);
        }
        for (String x : List.of("10.2.3.4", "4.1.2.3", "192.168.9.1")) {
            GT t =
                    g.connTs(
                            tg.instant()
                                    .plus(g.between(Duration.ofMinutes(1), Duration.ofHours(2))));
            g.addConn(g.connTo(t, x), t, false);
        }
    }

    /** SPEC 6.1: objects of other STIX types on their own lines. */
    private void otherStixTypesStory() {
        for (String type : OTHER_STIX_TYPES) {
            GT t = g.ts(g.anchor());
            g.addStix(otherObject(rnd, type, t.text(), g.nextIdNumber()), t.instant());
        }
    }

    // ============================================================================== indicators

    private Kind pickKind() {
        double r = rnd.nextDouble();
        return r < 0.25 ? Kind.LEGACY : r < 0.6 ? Kind.TI : Kind.STIX;
    }

    /** A live indicator of the kind naming the values as written (legacy: the first only). */
    private void live(Kind kind, GT tg, List<String> written, String description) {
        switch (kind) {
            case LEGACY -> {
                String w = written.get(0);
                Map<String, Object> ipCols;
                double r = rnd.nextDouble();
                if (w.contains("/") && r < 0.3) { // the four columns empty: NetworkCidrBlock
                    ipCols =
                            ScenarioGenerator.cols(
                                    "NetworkIP", g.pick("", "  ", JNULL), "NetworkCidrBlock", w);
                } else if (w.contains("/") && r < 0.4) {
                    ipCols = ScenarioGenerator.cols("NetworkCidrBlock", w);
                } else {
                    ipCols = g.placeIp(w);
                }
                g.addInd(
                        g.ind(
                                g.newId(),
                                tg,
                                ipCols,
                                g.trueValue(),
                                g.expiryAfter(
                                        tg.instant(), Duration.ofDays(1), Duration.ofDays(20)),
                                description),
                        tg.instant());
            }
            case TI -> {
                String id = stixId("indicator");
                if (written.size() > 1 && rnd.nextBoolean()) {
                    addTi(id, tg, "", "", with(liveTi(tg), "Pattern", patternOf(strip(written))));
                } else {
                    for (String w : written) {
                        addTi(id, tg, ipKey(w), w, liveTi(tg));
                    }
                }
            }
            default -> {
                String id = stixId("indicator");
                g.addStix(
                        stixObject(id, tg, patternOf(strip(written)), liveStix(tg)), tg.instant());
            }
        }
    }

    private void addTi(String id, GT tg, Object key, Object value, Map<String, Object> fields) {
        g.addInd(tiRow(id, tg, key, value, fields), tg.instant());
    }

    /** Live ThreatIntelIndicators fields, with the ways they may be written. */
    private Map<String, Object> liveTi(GT tg) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("IsActive", g.pick(true, true, "true", "TRUE", "True"));
        f.put("IsDeleted", g.pick(false, false, "false", MISSING));
        f.put("Revoked", g.pick(false, false, "False", MISSING));
        double r = rnd.nextDouble();
        f.put(
                "ValidFrom",
                r < 0.5
                        ? MISSING
                        : r < 0.8
                                ? tg
                                : g.ts(
                                        tg.instant()
                                                .minus(
                                                        g.between(
                                                                Duration.ofDays(1),
                                                                Duration.ofDays(30)))));
        f.put(
                "ValidUntil",
                rnd.nextDouble() < 0.8
                        ? g.expiryAfter(tg.instant(), Duration.ofDays(1), Duration.ofDays(30))
                        : MISSING);
        return f;
    }

    /** Live, and valid for days: the fields stories with versions build on. */
    private Map<String, Object> plainTi(GT tg) {
        Map<String, Object> f = liveTi(tg);
        f.put("ValidFrom", rnd.nextBoolean() ? MISSING : tg);
        f.put("ValidUntil", g.expiryAfter(tg.instant(), Duration.ofDays(2), Duration.ofDays(30)));
        return f;
    }

    /** Live STIX fields: valid from modified or before, until a far date or (P) without one. */
    private Map<String, Object> liveStix(GT modified) {
        Map<String, Object> f = new LinkedHashMap<>();
        GT created =
                rnd.nextDouble() < 0.6
                        ? modified
                        : g.ts(
                                modified.instant()
                                        .minus(g.between(Duration.ofDays(1), Duration.ofDays(10))));
        f.put("created", created);
        f.put(
                "valid_from",
                rnd.nextDouble() < 0.6
                        ? created
                        : g.ts(created.instant().minus(Duration.ofDays(1))));
        f.put(
                "valid_until",
                rnd.nextDouble() < 0.7
                        ? g.expiryAfter(modified.instant(), Duration.ofDays(2), Duration.ofDays(60))
                        : MISSING);
        f.put("revoked", g.pick(false, MISSING));
        return f;
    }

    private static Map<String, Object> with(Map<String, Object> f, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(f);
        out.put(key, value);
        return out;
    }

    // ============================================================================== builders

    /** A ThreatIntelIndicators row; {@code fields} override the defaults (MISSING removes). */
    private ObjectNode tiRow(
            String id, GT tg, Object key, Object value, Map<String, Object> fields) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TenantId", ScenarioGenerator.TENANT);
        r.put("TimeGenerated", tg.text());
        r.put(
                "SourceSystem",
                g.pick("Microsoft Defender Threat Intelligence", "TAXII", "Microsoft Sentinel"));
        r.put("Id", id);
        set(r, "ObservableKey", key);
        set(r, "ObservableValue", value);
        String pattern = "";
        if (key instanceof String k && value instanceof String v && !k.isBlank() && !v.isBlank()) {
            String path = k.replace("[", "").replace("]", "").replace("\"", "").strip();
            pattern = "[" + path + " = '" + v.strip() + "']";
        }
        r.put("Pattern", pattern);
        r.put("Created", tg.text());
        r.put("Modified", tg.text());
        r.put("IsActive", true);
        r.put("IsDeleted", false);
        r.put("Revoked", false);
        double s = rnd.nextDouble();
        int confidence = 40 + rnd.nextInt(60);
        if (s < 0.6) {
            r.put("Confidence", confidence);
        } else if (s < 0.85) {
            r.put("Confidence", Integer.toString(confidence));
        }
        r.set("Data", toNode(data(id, pattern, null)));
        r.put("Tags", g.pick("[]", "[\"c2\"]"));
        r.putObject("AdditionalFields").put("TLPLevel", g.pick("white", "green", "amber"));
        r.put("LastUpdateMethod", g.pick("Upload", "TAXII"));
        r.put("Type", "ThreatIntelIndicators");
        fields.forEach((k, v) -> set(r, k, v));
        return r;
    }

    /**
     * A row's Data: the STIX object, as an object or (some) as a JSON string, with a description
     * (or none) and labels with or without an ActivityGroup, not always first, not always strings.
     */
    private Object data(String id, String pattern, String description) {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("type", "indicator");
        d.put("spec_version", "2.1");
        d.put("id", id);
        if (description != null || rnd.nextDouble() < 0.85) {
            d.put(
                    "description",
                    description != null
                            ? description
                            : g.pick(
                                    "C2 server",
                                    "Botnet node",
                                    "Scanner seen in honeypots",
                                    "Phishing infrastructure"));
        }
        labels(d);
        d.put("pattern", pattern);
        d.put("pattern_type", "stix");
        return rnd.nextDouble() < 0.3 ? ScenarioGenerator.json(d) : d;
    }

    private void labels(ObjectNode o) {
        double r = rnd.nextDouble();
        if (r < 0.25) {
            return;
        }
        ArrayNode labels = o.putArray("labels");
        String group = g.pick("APT28", "FIN7", "Storm-0558", "BARIUM");
        if (r < 0.5) {
            labels.add("malicious-activity");
        } else if (r < 0.8) {
            labels.add("malicious-activity")
                    .add("ActivityGroup:" + group)
                    .add("ActivityGroup:Other");
        } else {
            labels.add(7).add("ActivityGroup:" + group);
        }
    }

    /** A STIX indicator; {@code fields} override the defaults (MISSING removes). */
    private ObjectNode stixObject(
            String id, GT modified, String pattern, Map<String, Object> fields) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("type", "indicator");
        r.put("spec_version", "2.1");
        r.put("id", id);
        r.put("created", modified.text());
        r.put("modified", modified.text());
        r.put("name", "Indicator " + id.substring(11, 19));
        if (rnd.nextDouble() < 0.85) {
            r.put("description", g.pick("C2 server", "TOR exit node", "Cobalt Strike team server"));
        }
        r.putArray("indicator_types").add("malicious-activity");
        labels(r);
        double s = rnd.nextDouble();
        int confidence = 30 + rnd.nextInt(70);
        if (s < 0.6) {
            r.put("confidence", confidence);
        } else if (s < 0.8) {
            r.put("confidence", Integer.toString(confidence));
        }
        r.put("pattern", pattern);
        if (rnd.nextDouble() < 0.85) {
            r.put("pattern_type", "stix");
        }
        r.put("pattern_version", "2.1");
        r.put("created_by_ref", "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff");
        r.putArray("object_marking_refs")
                .add("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9");
        fields.forEach((k, v) -> set(r, k, v));
        return r;
    }

    private void set(ObjectNode r, String field, Object v) {
        if (v == MISSING) {
            r.remove(field);
        } else if (v instanceof JsonNode n) {
            r.set(field, n);
        } else {
            g.put(r, field, v);
        }
    }

    private static JsonNode toNode(Object o) {
        return o instanceof JsonNode n ? n : MAPPER.getNodeFactory().textNode((String) o);
    }

    /** A STIX 2.1 id of the given type, unique in the scenario. */
    private String stixId(String type) {
        return stixId(rnd, type, g.nextIdNumber());
    }

    private static String stixId(Random rnd, String type, int unique) {
        return String.format(
                "%s--%08x-%04x-4%03x-a%03x-%012d",
                type,
                rnd.nextInt(),
                rnd.nextInt(0x10000),
                rnd.nextInt(0x1000),
                rnd.nextInt(0x1000),
                unique);
    }

    private static ObjectNode otherObject(Random rnd, String type, String time, int unique) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", type);
        o.put("spec_version", "2.1");
        o.put("id", stixId(rnd, type, unique));
        o.put("created", time);
        o.put("modified", time);
        switch (type) {
            case "identity" ->
                    o.put("name", "ACME Threat Intel").put("identity_class", "organization");
            case "relationship" ->
                    o.put("relationship_type", "indicates")
                            .put("source_ref", stixId(rnd, "indicator", unique))
                            .put("target_ref", stixId(rnd, "malware", unique));
            case "marking-definition" ->
                    o.put("definition_type", "tlp").putObject("definition").put("tlp", "white");
            case "sighting" -> o.put("sighting_of_ref", stixId(rnd, "indicator", unique));
            default -> o.put("name", type + " " + unique);
        }
        return o;
    }

    // ============================================================================== patterns

    /**
     * A STIX pattern naming the values: one observation expression with OR inside, one per value
     * joined by OR, or a mix with parentheses; a comparison on network-traffic is sometimes AND-ed
     * with a type test, and an ignored disjunct about another object type is sometimes added.
     */
    private String patternOf(List<String> values) {
        List<String> cmps = new ArrayList<>();
        for (String v : values) {
            cmps.add(comparison(v));
        }
        if (rnd.nextDouble() < 0.2) {
            cmps.add(
                    rnd.nextInt(cmps.size() + 1),
                    g.pick(
                            "domain-name:value = 'c2-" + rnd.nextInt(100) + ".bad.example'",
                            "url:value = 'http://bad.example/gate.php'"));
        }
        double r = rnd.nextDouble();
        if (r < 0.4 || cmps.size() == 1) {
            String inner = String.join(" OR ", cmps);
            return rnd.nextDouble() < 0.2 ? "([" + inner + "])" : "[" + inner + "]";
        }
        if (r < 0.8) {
            return String.join(" OR ", cmps.stream().map(c -> "[" + c + "]").toList());
        }
        return "(["
                + cmps.get(0)
                + "] OR ["
                + String.join(" OR ", cmps.subList(1, cmps.size()))
                + "])";
    }

    private String comparison(String value) {
        boolean v4 = isV4(value);
        String op = value.contains("/") && rnd.nextBoolean() ? " ISSUBSET " : " = ";
        if (rnd.nextDouble() < 0.5) {
            return (v4 ? "ipv4-addr:value" : "ipv6-addr:value") + op + "'" + value + "'";
        }
        String ref = g.pick("src_ref", "dst_ref");
        String cmp = "network-traffic:" + ref + ".value" + op + "'" + value + "'";
        if (rnd.nextBoolean()) {
            return cmp;
        }
        String typed =
                "network-traffic:"
                        + ref
                        + ".type = '"
                        + (v4 ? "ipv4-addr" : "ipv6-addr")
                        + "' AND "
                        + cmp;
        return rnd.nextBoolean() ? "(" + typed + ")" : typed;
    }

    private String ipKey(String written) {
        boolean v4 = isV4(written);
        double r = rnd.nextDouble();
        if (r < 0.4) {
            return v4 ? "ipv4-addr:value" : "ipv6-addr:value";
        } else if (r < 0.65) {
            return "network-traffic:dst_ref.value";
        } else if (r < 0.9) {
            return "network-traffic:src_ref.value";
        }
        return v4 ? "[ipv4-addr:value]" : "\"ipv6-addr\":value";
    }

    private static boolean isV4(String written) {
        Cidr c = RefIp.parseValue(written);
        return c != null ? c.network().length == 4 : written.indexOf(':') < 0;
    }

    private static List<String> strip(List<String> written) {
        return written.stream().map(String::strip).toList();
    }

    // ============================================================================== values

    /** An address (three in four) or a range of this class's space, written in one of its forms. */
    private Val value(boolean stix) {
        if (rnd.nextDouble() < 0.75) {
            byte[] a = g.newIp();
            String w = g.render(a);
            if (rnd.nextDouble() < 0.05) {
                w = RefIp.format(a) + (a.length == 4 ? "/32" : "/128");
            }
            return new Val(stix ? w.strip() : w, a);
        }
        boolean v4 = rnd.nextDouble() < 0.6;
        Cidr c =
                freshRange(
                        v4,
                        v4
                                ? g.pickInt(16, 20, 24, 24, 28, 30)
                                : g.pickInt(48, 56, 64, 64, 112, 120));
        return new Val(writeRange(c, stix), inside(c));
    }

    /** A range not overlapping an earlier one of these stories (longer prefixes when crowded). */
    private Cidr freshRange(boolean v4, int prefix) {
        for (int attempt = 0; ; attempt++) {
            int p = Math.min(prefix + (attempt / 40) * 4, v4 ? 32 : 128);
            byte[] a;
            if (v4) {
                a =
                        new byte[] {
                            (byte) RANGE_V4_OCTETS[rnd.nextInt(RANGE_V4_OCTETS.length)],
                            (byte) rnd.nextInt(256),
                            (byte) rnd.nextInt(256),
                            (byte) rnd.nextInt(256)
                        };
            } else {
                a = new byte[16];
                rnd.nextBytes(a);
                int g0 = 0x2a10 + rnd.nextInt(16);
                a[0] = (byte) (g0 >> 8);
                a[1] = (byte) g0;
            }
            Cidr c = new Cidr(RefIp.masked(a, p), p);
            if (usedRanges.stream().noneMatch(u -> overlap(u, c))) {
                usedRanges.add(c);
                return c;
            }
        }
    }

    private static boolean overlap(Cidr x, Cidr y) {
        return x.network().length == y.network().length
                && (x.contains(y.network()) || y.contains(x.network()));
    }

    private static boolean inOwnSpace(Cidr c) {
        if (c == null) {
            return false;
        }
        if (c.network().length == 4) {
            for (int o : RANGE_V4_OCTETS) {
                if ((c.network()[0] & 0xff) == o && c.prefix() >= 8) {
                    return true;
                }
            }
            return false;
        }
        int g0 = ((c.network()[0] & 0xff) << 8) | (c.network()[1] & 0xff);
        return g0 >= 0x2a10 && g0 <= 0x2a1f && c.prefix() >= 32;
    }

    /** The range as it may be written: canonical, host bits set, IPv4-mapped, upper case... */
    private String writeRange(Cidr c, boolean stix) {
        String net = RefIp.format(c.network());
        int p = c.prefix();
        double r = rnd.nextDouble();
        String w;
        if (c.network().length == 4) {
            if (r < 0.45) {
                w = net + "/" + p;
            } else if (r < 0.7) {
                w = RefIp.format(inside(c)) + "/" + p;
            } else if (r < 0.85) {
                w = "::ffff:" + net + "/" + (96 + p);
            } else {
                w = "::FFFF:" + RefIp.format(inside(c)) + "/" + (96 + p);
            }
        } else {
            if (r < 0.45) {
                w = net + "/" + p;
            } else if (r < 0.6) {
                w = net.toUpperCase() + "/" + p;
            } else if (r < 0.8) {
                w = RefIp.format(inside(c)) + "/" + p;
            } else {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 16; i += 2) {
                    sb.append(i == 0 ? "" : ":")
                            .append(
                                    String.format(
                                            "%04x",
                                            ((c.network()[i] & 0xff) << 8)
                                                    | (c.network()[i + 1] & 0xff)));
                }
                w = sb + "/" + p;
            }
        }
        if (!stix && rnd.nextDouble() < 0.1) {
            w = " " + w + " ";
        }
        return w;
    }

    /** An address of the range, host bits at random. */
    private byte[] inside(Cidr c) {
        byte[] a = c.network().clone();
        for (int bit = c.prefix(); bit < a.length * 8; bit++) {
            if (rnd.nextBoolean()) {
                a[bit / 8] |= (byte) (0x80 >> (bit % 8));
            }
        }
        return a;
    }

    private static byte[] last(Cidr c) {
        byte[] a = c.network().clone();
        for (int bit = c.prefix(); bit < a.length * 8; bit++) {
            a[bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        return a;
    }

    /** The address {@code delta} after a (wrapping around). */
    private static byte[] step(byte[] a, int delta) {
        BigInteger mod = BigInteger.ONE.shiftLeft(a.length * 8);
        BigInteger v = new BigInteger(1, a).add(BigInteger.valueOf(delta)).mod(mod);
        byte[] raw = v.toByteArray();
        byte[] out = new byte[a.length];
        int n = Math.min(raw.length, a.length);
        System.arraycopy(raw, raw.length - n, out, a.length - n, n);
        return out;
    }

    private void connAt(byte[] ip, Instant t) {
        GT c = g.connExact(t);
        g.addConn(g.connTo(c, g.render(ip)), c, false);
    }

    // ============================================================================== lines

    /**
     * STIX objects in one line: a bundle, or a TAXII envelope (with "more" and "next" or without);
     * now and then with an object of another STIX type, or a dead element (a non-object, or a
     * nested bundle whose indicator names 45.9.9.9), which the generator counts.
     */
    static ObjectNode envelope(ScenarioGenerator g, List<ObjectNode> objects) {
        Random rnd = g.rnd;
        ObjectNode env = MAPPER.createObjectNode();
        boolean bundle = rnd.nextDouble() < 0.6;
        if (bundle) {
            env.put("type", "bundle");
            env.put("id", stixId(rnd, "bundle", g.nextIdNumber()));
        }
        ArrayNode arr = env.putArray("objects");
        objects.forEach(arr::add);
        if (rnd.nextDouble() < 0.3) {
            arr.insert(
                    rnd.nextInt(arr.size() + 1),
                    otherObject(
                            rnd,
                            rnd.nextBoolean() ? "identity" : "marking-definition",
                            "2026-11-20T00:00:00.000Z",
                            g.nextIdNumber()));
        }
        if (rnd.nextDouble() < 0.15) {
            JsonNode dead;
            double r = rnd.nextDouble();
            if (r < 0.3) {
                dead = MAPPER.getNodeFactory().numberNode(17);
            } else if (r < 0.5) {
                dead = MAPPER.getNodeFactory().textNode("not an object");
            } else {
                ObjectNode nested = MAPPER.createObjectNode();
                nested.put("type", "bundle");
                nested.put("id", stixId(rnd, "bundle", g.nextIdNumber()));
                nested.putArray("objects").add(hiddenIndicator(rnd, g.nextIdNumber()));
                dead = nested;
            }
            arr.insert(rnd.nextInt(arr.size() + 1), dead);
            g.countIndicatorDeadLetter();
        }
        if (!bundle && rnd.nextBoolean()) {
            boolean more = rnd.nextBoolean();
            env.put("more", more);
            if (more) {
                env.put("next", "page-" + rnd.nextInt(100));
            }
        }
        return env;
    }

    /** A readable, live STIX indicator for 45.9.9.9: only ever inside something dead. */
    private static ObjectNode hiddenIndicator(Random rnd, int unique) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "indicator");
        o.put("spec_version", "2.1");
        o.put("id", stixId(rnd, "indicator", unique));
        o.put("created", "2026-11-20T00:00:00.000Z");
        o.put("modified", "2026-11-20T00:00:00.000Z");
        o.put("pattern", "[ipv4-addr:value = '45.9.9.9']");
        o.put("pattern_type", "stix");
        o.put("valid_from", "2026-11-20T00:00:00.000Z");
        return o;
    }

    /** Lines that hold nothing: TAXII pages without objects and an empty bundle. Not dead. */
    static List<String> emptyPages() {
        return List.of(
                "{\"more\":false}",
                "{\"more\":true,\"next\":\"page-7\"}",
                "{\"objects\":[],\"more\":false}",
                "{\"type\":\"bundle\",\"id\":\"bundle--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\",\"objects\":[]}");
    }

    /** SPEC 5.3 and decision 2: indicator lines of section 6 that are one dead letter each. */
    static List<String> deadLetterLines() {
        String stix =
                "\"type\":\"indicator\",\"spec_version\":\"2.1\",\"pattern\":\"[ipv4-addr:value ="
                        + " '45.9.9.9']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-01T00:00:00Z\"";
        String time =
                "\"created\":\"2026-11-25T10:00:00.000Z\",\"modified\":\"2026-11-25T10:00:00.000Z\"";
        String ti =
                "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\"45.9.9.9\",\"IsActive\":true";
        return List.of(
                "{\"Id\":\"indicator--dl-ti-no-time\"," + ti + "}",
                "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Id\":\"  \"," + ti + "}",
                "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Id\":null," + ti + "}",
                "{\"TimeGenerated\":\"2026-11-25 10:00:00\",\"Id\":\"indicator--dl-ti-bad-time\","
                        + ti
                        + "}",
                "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"IndicatorId\":\"dl-looks-legacy\","
                        + ti
                        + "}",
                "{" + stix + "," + time + "}",
                "{" + stix + ",\"id\":\" \"," + time + "}",
                "{" + stix + ",\"id\":7," + time + "}",
                "{" + stix + ",\"id\":\"indicator--dl-bad-modified\",\"modified\":\"2026-11-25\"}",
                "{" + stix + ",\"id\":\"indicator--dl-bad-created\",\"created\":\"yesterday\"}",
                "{" + stix + ",\"id\":\"indicator--dl-no-time\"}",
                "{\"type\":\"bundle\",\"id\":\"bundle--dl\",\"objects\":[\"not an object\"]}",
                "{\"objects\":[{\"type\":\"bundle\",\"id\":\"bundle--nested\",\"objects\":[{"
                        + stix
                        + ",\"id\":\"indicator--dl-nested\","
                        + time
                        + "}]}],\"more\":false}");
    }
}

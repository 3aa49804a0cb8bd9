package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorTimeline;
import io.tiflink.vmconn.model.IpIndicators;
import io.tiflink.vmconn.model.Match;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges one connection against the indicators whose targets may hold its address (SPEC 2.2-2.4):
 * at most one match per indicator, at the pair's least detection time. An indicator may have
 * several timelines (a ThreatIntelIndicators Id, one per target: SPEC 6.2c); the pair's detection
 * time is the least over them, and on a tie the match reports the target with the longest prefix,
 * then the lowest text.
 */
final class Detector {

    private final long lookbackNanos;
    private final long indicatorLookbackNanos;

    Detector(long lookbackNanos, long indicatorLookbackNanos) {
        this.lookbackNanos = lookbackNanos;
        this.indicatorLookbackNanos = indicatorLookbackNanos;
    }

    /**
     * Adds to {@code out} the matches of connection {@code c} (address {@code ip}) whose least
     * detection time lies in [from, upTo]; {@code onlyIndicator}: that indicator's alone (a probe's
     * retro-match), or null for every indicator. {@code entries}: the state's entries of the
     * targets that may hold the address.
     */
    void detect(
            Connection c,
            IpAddress ip,
            boolean excluded,
            List<IpIndicators> entries,
            long from,
            long upTo,
            String onlyIndicator,
            List<Match> out) {
        for (List<IndicatorTimeline> timelines : byIndicator(entries, onlyIndicator).values()) {
            long best = MatchRules.NONE;
            Indicator bestVersion = null;
            int bestTarget = -1;
            for (IndicatorTimeline t : timelines) {
                long tau =
                        MatchRules.detectionTime(
                                c.timeGenerated,
                                ip,
                                excluded,
                                t.versions,
                                lookbackNanos,
                                indicatorLookbackNanos,
                                upTo);
                if (tau == MatchRules.NONE || best != MatchRules.NONE && tau > best) {
                    continue;
                }
                Indicator v = MatchRules.inForce(t.versions, tau);
                int target = MatchRules.coveringTarget(v, ip, excluded);
                if (best == MatchRules.NONE
                        || tau < best
                        || preferred(v, target, bestVersion, bestTarget)) {
                    best = tau;
                    bestVersion = v;
                    bestTarget = target;
                }
            }
            if (best != MatchRules.NONE && best >= from) {
                out.add(match(c, bestVersion, bestTarget, best));
            }
        }
    }

    /** The timelines of the entries, each once, by indicator id (sorted: a fixed order). */
    private static Map<String, List<IndicatorTimeline>> byIndicator(
            List<IpIndicators> entries, String onlyIndicator) {
        Map<String, IndicatorTimeline> distinct = new LinkedHashMap<>();
        for (IpIndicators e : entries) {
            for (IndicatorTimeline t : e.timelines) {
                if (t.versions.length > 0
                        && (onlyIndicator == null
                                || onlyIndicator.equals(t.versions[0].indicatorId))) {
                    distinct.putIfAbsent(t.indicatorId, t);
                }
            }
        }
        Map<String, List<IndicatorTimeline>> out = new TreeMap<>();
        for (IndicatorTimeline t : distinct.values()) {
            out.computeIfAbsent(t.versions[0].indicatorId, k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /** The longer prefix, then the lower text. */
    private static boolean preferred(Indicator v, int target, Indicator other, int otherTarget) {
        String a = v.targetList()[target];
        String b = other.targetList()[otherTarget];
        int pa = Target.parse(a).prefix128();
        int pb = Target.parse(b).prefix128();
        return pa > pb || pa == pb && a.compareTo(b) < 0;
    }

    private static Match match(Connection c, Indicator v, int target, long tau) {
        int digits =
                tau == c.timeGenerated
                        ? c.timeGeneratedDigits
                        : tau == v.timeGenerated ? v.timeGeneratedDigits : v.validFromDigits;
        Match m = Match.of(c, v, tau, digits);
        m.target = v.targetList()[target];
        m.targetAsWritten =
                v.targetsAsWritten != null && target < v.targetsAsWritten.length
                        ? v.targetsAsWritten[target]
                        : null;
        return m;
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import io.tiflink.vmconn.model.Indicator;
import java.util.Arrays;

/**
 * SPEC 1.5, 1.6, 2.2, 2.3, 6.2d, 6.3d and 6.4c as pure functions over one timeline's versions
 * (sorted by version time, later arrival last on ties). All times are nanoseconds since the epoch.
 */
public final class MatchRules {

    /** No detection time. */
    public static final long NONE = Long.MIN_VALUE;

    private MatchRules() {}

    /**
     * SPEC 1.5: the version in force at tau, the last one with version time <= tau; null if none.
     */
    public static Indicator inForce(Indicator[] versions, long tau) {
        Indicator found = null;
        for (Indicator v : versions) {
            if (v.timeGenerated > tau) {
                break;
            }
            found = v;
        }
        return found;
    }

    /**
     * Whether v (the version in force at tau) is live at tau: SPEC 1.6 for a legacy row, 6.2d for a
     * ThreatIntelIndicators row (active, not deleted or revoked, ValidFrom <= tau, tau < ValidUntil
     * when given, within P of its time), 6.3d for a STIX object (not revoked, valid_from <= tau,
     * tau < valid_until, or tau < its time + P when there is no valid_until).
     */
    public static boolean isLive(Indicator v, long tau, long indicatorLookbackNanos) {
        if (v == null || !v.active || tau < v.validFrom) {
            return false;
        }
        if (v.shape == Indicator.STIX && !v.hasValidUntil) {
            return tau < saturatedAdd(v.timeGenerated, indicatorLookbackNanos);
        }
        if (v.shape == Indicator.STIX) {
            return tau < v.expiration;
        }
        return tau < v.expiration && v.timeGenerated >= tau - indicatorLookbackNanos;
    }

    /**
     * Whether v is live at some instant of [from, until): its liveness is one interval, from its
     * ValidFrom to the first of its expiry and the end of P after its time.
     */
    public static boolean liveSomewhereIn(
            Indicator v, long from, long until, long indicatorLookbackNanos) {
        if (!v.active) {
            return false;
        }
        long lo = Math.max(from, v.validFrom);
        long hi = until;
        boolean stix = v.shape == Indicator.STIX;
        if (!stix || v.hasValidUntil) {
            hi = Math.min(hi, v.expiration);
        }
        if (stix && !v.hasValidUntil) {
            hi = Math.min(hi, saturatedAdd(v.timeGenerated, indicatorLookbackNanos));
        } else if (!stix) {
            // live while time >= t - P, that is t <= time + P
            hi =
                    Math.min(
                            hi,
                            saturatedAdd(saturatedAdd(v.timeGenerated, indicatorLookbackNanos), 1));
        }
        return lo < hi;
    }

    /**
     * SPEC 2.2's condition on the connection's time: before the version's ExpirationDateTime
     * (legacy; an unreadable one has passed), or its ValidUntil / valid_until when given.
     */
    public static boolean beforeExpiry(Indicator v, long tc) {
        return v.shape == Indicator.LEGACY
                ? tc < v.expiration
                : !v.hasValidUntil || tc < v.expiration;
    }

    /**
     * The index in {@link Indicator#targetList()} of the target of v that holds ip (SPEC 6.4c: an
     * address equal to it, or a range it lies in unless it is excluded); when several do, the
     * longest prefix, then the lowest text. -1 when none does.
     */
    public static int coveringTarget(Indicator v, IpAddress ip, boolean excluded) {
        String[] targets = v.targetList();
        int best = -1;
        int bestPrefix = -1;
        for (int k = 0; k < targets.length; k++) {
            Target t = Target.parse(targets[k]);
            if (t == null || !t.contains(ip) || !t.isAddress() && excluded) {
                continue;
            }
            int p = t.prefix128();
            if (p > bestPrefix || p == bestPrefix && targets[k].compareTo(targets[best]) < 0) {
                best = k;
                bestPrefix = p;
            }
        }
        return best;
    }

    /**
     * Whether a connection at tc with this address matches the timeline's version in force at tau.
     */
    public static boolean matchesAt(
            Indicator[] versions,
            long tau,
            long tc,
            IpAddress ip,
            boolean excluded,
            long indicatorLookbackNanos) {
        Indicator v = inForce(versions, tau);
        return isLive(v, tau, indicatorLookbackNanos)
                && beforeExpiry(v, tc)
                && coveringTarget(v, ip, excluded) >= 0;
    }

    /**
     * SPEC 2.2/2.3: the least instant tau in [tc, tc + L], and not after {@code upTo}, at which the
     * timeline's version in force is live, holds the address and had not expired at tc; NONE when
     * there is none. Candidates are tc, and in (tc, tc + L] the time and the ValidFrom of each
     * version: the instants at which a version can become live.
     */
    public static long detectionTime(
            long tc,
            IpAddress ip,
            boolean excluded,
            Indicator[] versions,
            long lookbackNanos,
            long indicatorLookbackNanos,
            long upTo) {
        if (tc <= upTo && matchesAt(versions, tc, tc, ip, excluded, indicatorLookbackNanos)) {
            return tc;
        }
        long last = Math.min(saturatedAdd(tc, lookbackNanos), upTo);
        long[] instants = new long[versions.length * 2];
        int n = 0;
        for (Indicator v : versions) {
            if (v.timeGenerated > tc && v.timeGenerated <= last) {
                instants[n++] = v.timeGenerated;
            }
            if (v.validFrom > tc && v.validFrom <= last) {
                instants[n++] = v.validFrom;
            }
        }
        Arrays.sort(instants, 0, n);
        for (int k = 0; k < n; k++) {
            if (k > 0 && instants[k] == instants[k - 1]) {
                continue;
            }
            if (matchesAt(versions, instants[k], tc, ip, excluded, indicatorLookbackNanos)) {
                return instants[k];
            }
        }
        return NONE;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }
}

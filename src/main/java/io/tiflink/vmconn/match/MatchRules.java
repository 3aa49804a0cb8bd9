package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Indicator;

/**
 * SPEC 1.5, 1.6, 2.2 and 2.3 as pure functions over one indicator's versions (sorted by
 * TimeGenerated, later arrival last on ties). All times are nanoseconds since the epoch.
 */
public final class MatchRules {

    /** No detection time. */
    public static final long NONE = Long.MIN_VALUE;

    private MatchRules() {}

    /**
     * SPEC 1.5: the version in force at tau, the last one with TimeGenerated <= tau; null if none.
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

    /** SPEC 1.6: v live at tau (v being the version in force at tau). */
    public static boolean isLive(Indicator v, long tau, long indicatorLookbackNanos) {
        return v != null
                && v.active
                && tau < v.expiration
                && v.timeGenerated >= tau - indicatorLookbackNanos;
    }

    /**
     * SPEC 2.2/2.3: the least instant tau in [tc, tc + L], and not after {@code upTo}, at which the
     * indicator's version in force is live, has this IP and had not expired at tc; NONE when there
     * is none. Candidates are tc and the TimeGenerated of each version in (tc, tc + L].
     */
    public static long detectionTime(
            long tc,
            String ip,
            Indicator[] versions,
            long lookbackNanos,
            long indicatorLookbackNanos,
            long upTo) {
        if (tc <= upTo && matchesAt(versions, tc, tc, ip, indicatorLookbackNanos)) {
            return tc;
        }
        long last = Math.min(tc + lookbackNanos, upTo);
        for (int k = 0; k < versions.length; k++) {
            long tau = versions[k].timeGenerated;
            if (tau <= tc) {
                continue;
            }
            if (tau > last) {
                break;
            }
            // Among versions tied on tau only the last is in force: judge tau once, there.
            if (k + 1 < versions.length && versions[k + 1].timeGenerated == tau) {
                continue;
            }
            if (matchesAt(versions, tau, tc, ip, indicatorLookbackNanos)) {
                return tau;
            }
        }
        return NONE;
    }

    /** Whether connection time tc and IP match the indicator's version in force at tau. */
    public static boolean matchesAt(
            Indicator[] versions, long tau, long tc, String ip, long indicatorLookbackNanos) {
        Indicator v = inForce(versions, tau);
        return isLive(v, tau, indicatorLookbackNanos) && ip.equals(v.ip) && tc < v.expiration;
    }
}

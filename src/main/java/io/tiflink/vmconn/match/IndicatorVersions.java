package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Indicator;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * How one indicator's kept versions change: a new row is placed by TimeGenerated (after its ties,
 * SPEC 1.5), and versions that can no longer be in force, or never live again, are dropped once the
 * watermark has passed them (the indicator's time to live, SPEC 1.6). Arrays in, new arrays out:
 * state values are never changed in place.
 */
public final class IndicatorVersions {

    private IndicatorVersions() {}

    /** The versions with {@code row} added after every version with TimeGenerated <= its own. */
    public static Indicator[] insert(Indicator[] versions, Indicator row) {
        int at = versions.length;
        while (at > 0 && versions[at - 1].timeGenerated > row.timeGenerated) {
            at--;
        }
        Indicator[] out = new Indicator[versions.length + 1];
        System.arraycopy(versions, 0, out, 0, at);
        out[at] = row;
        System.arraycopy(versions, at, out, at + 1, versions.length - at);
        return out;
    }

    /**
     * Drops what no instant >= horizon can use: versions superseded before the horizon, and all of
     * them when none is live at any instant >= horizon and the latest is older than the horizon. A
     * version at or after the horizon stays even when it is not live (revoked, expired): an older
     * row may still arrive on time and is in force only until that version (SPEC 1.5). Returns the
     * same array when nothing changes, an empty array when the indicator leaves the state.
     */
    public static Indicator[] prune(
            Indicator[] versions, long horizon, long indicatorLookbackNanos) {
        if (versions.length == 0) {
            return versions;
        }
        int first = 0;
        while (first + 1 < versions.length && versions[first + 1].timeGenerated <= horizon) {
            first++;
        }
        boolean anyLive = versions[versions.length - 1].timeGenerated >= horizon;
        for (int k = first; k < versions.length && !anyLive; k++) {
            Indicator v = versions[k];
            long next = k + 1 < versions.length ? versions[k + 1].timeGenerated : Long.MAX_VALUE;
            long from = Math.max(v.timeGenerated, horizon);
            anyLive = MatchRules.liveSomewhereIn(v, from, next, indicatorLookbackNanos);
        }
        if (!anyLive) {
            return new Indicator[0];
        }
        return first == 0 ? versions : Arrays.copyOfRange(versions, first, versions.length);
    }

    /** The distinct targets of the versions (addresses and ranges), sorted. */
    public static String[] ips(Indicator[] versions) {
        TreeSet<String> ips = new TreeSet<>();
        for (Indicator v : versions) {
            for (String t : v.targetList()) {
                ips.add(t);
            }
        }
        return ips.toArray(new String[0]);
    }
}

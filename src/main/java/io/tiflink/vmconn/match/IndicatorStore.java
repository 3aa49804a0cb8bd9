package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorTimeline;
import io.tiflink.vmconn.model.IpIndicators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * The broadcast indicator state (SPEC 1.5, 1.6): every kept version of every indicator, found by
 * canonical IP. Three maps, the same on every matcher task: {@code byIp} (IP -> the timelines of
 * the indicators with a version for it), {@code ipsById} (IndicatorId -> those IPs) and {@code
 * tombstones} (IndicatorId -> the TimeGenerated of the version with which it left the state).
 *
 * <p>It keeps versions in TimeGenerated order ({@link IndicatorVersions#insert}) and drops what no
 * pending or kept connection can use ({@link #sweep}): broadcast state has no TTL, so the sweep is
 * the indicators' time to live. Values are replaced, never changed in place.
 */
public final class IndicatorStore {

    /** What {@link #add} did with a row. */
    public enum Added {
        /** A version of an indicator already in the state. */
        VERSION,
        /** The first version of an indicator not in the state. */
        NEW_INDICATOR,
        /** Older than the version with which the indicator left the state: dropped (SPEC 1.5). */
        SUPERSEDED
    }

    private final BroadcastState<String, IpIndicators> byIp;
    private final BroadcastState<String, String[]> ipsById;
    private final BroadcastState<String, Long> tombstones;
    private final TargetIndex index;

    /** A store over the three states; {@code index} (may be null) learns every target change. */
    IndicatorStore(
            BroadcastState<String, IpIndicators> byIp,
            BroadcastState<String, String[]> ipsById,
            BroadcastState<String, Long> tombstones,
            TargetIndex index) {
        this.byIp = byIp;
        this.ipsById = ipsById;
        this.tombstones = tombstones;
        this.index = index;
    }

    public IndicatorStore(
            BroadcastState<String, IpIndicators> byIp,
            BroadcastState<String, String[]> ipsById,
            BroadcastState<String, Long> tombstones) {
        this(byIp, ipsById, tombstones, null);
    }

    /** Adds an indicator row (a usable version) to its timeline. */
    public Added add(Indicator row) throws Exception {
        String key = row.timelineKey();
        String[] oldIps = ipsById.get(key);
        Indicator[] versions = oldIps == null ? new Indicator[0] : timelineOf(byIp, oldIps, key);
        if (oldIps == null) {
            Long latest = tombstones.get(key);
            if (latest != null) {
                if (latest > row.timeGenerated) {
                    // Older than the version that took the timeline out of the state: it was in
                    // force only before that version, at instants no pending work asks about.
                    return Added.SUPERSEDED;
                }
                tombstones.remove(key);
            }
        }
        writeTimeline(key, oldIps, IndicatorVersions.insert(versions, row));
        return oldIps == null ? Added.NEW_INDICATOR : Added.VERSION;
    }

    /** Tells {@code index} every target the state holds (after a restore). */
    static void indexAll(ReadOnlyBroadcastState<String, IpIndicators> byIp, TargetIndex index)
            throws Exception {
        for (Map.Entry<String, IpIndicators> e : byIp.immutableEntries()) {
            index.add(e.getKey());
        }
    }

    /**
     * Drops what no instant at or after {@code horizonNanos} can use ({@link
     * IndicatorVersions#prune}), and tombstones no longer needed; an indicator that leaves while an
     * older row of it could still arrive gets a tombstone, kept for P. Returns how many indicators
     * are left.
     */
    public long sweep(long horizonNanos, long indicatorLookbackNanos) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> e : tombstones.entries()) {
            if (horizonNanos == Long.MAX_VALUE
                    || e.getValue() + indicatorLookbackNanos < horizonNanos) {
                expired.add(e.getKey()); // an older row is no longer live at any instant >= horizon
            }
        }
        for (String id : expired) {
            tombstones.remove(id);
        }
        List<Map.Entry<String, String[]>> all = new ArrayList<>();
        ipsById.entries().forEach(all::add);
        long kept = 0;
        for (Map.Entry<String, String[]> e : all) {
            Indicator[] versions = timelineOf(byIp, e.getValue(), e.getKey());
            Indicator[] pruned =
                    IndicatorVersions.prune(versions, horizonNanos, indicatorLookbackNanos);
            if (pruned != versions) {
                writeTimeline(e.getKey(), e.getValue(), pruned);
                long latest = versions[versions.length - 1].timeGenerated;
                if (pruned.length == 0
                        && horizonNanos != Long.MAX_VALUE
                        && latest + indicatorLookbackNanos >= horizonNanos) {
                    tombstones.put(e.getKey(), latest);
                }
            }
            if (pruned.length > 0) {
                kept++;
            }
        }
        return kept;
    }

    /** How many indicators the state holds (one entry each in {@code ipsById}). */
    public static long count(ReadOnlyBroadcastState<String, String[]> ipsById) throws Exception {
        long n = 0;
        for (Map.Entry<String, String[]> ignored : ipsById.immutableEntries()) {
            n++;
        }
        return n;
    }

    /** The timelines with a kept version naming this target (canonical text); null if none. */
    public static IpIndicators forIp(
            ReadOnlyBroadcastState<String, IpIndicators> byIp, String canonicalIp)
            throws Exception {
        return byIp.get(canonicalIp);
    }

    /**
     * Whether a version with this timeline key and time is older than the version with which the
     * timeline left the state (and so is in force at no instant that pending work asks about).
     */
    public static boolean isSuperseded(
            ReadOnlyBroadcastState<String, Long> tombstones,
            String timelineKey,
            long timeGeneratedNanos)
            throws Exception {
        Long latest = tombstones.get(timelineKey);
        return latest != null && latest > timeGeneratedNanos;
    }

    private static Indicator[] timelineOf(
            ReadOnlyBroadcastState<String, IpIndicators> byIp, String[] ips, String indicatorId)
            throws Exception {
        IpIndicators entry = byIp.get(ips[0]);
        IndicatorTimeline t = entry == null ? null : entry.find(indicatorId);
        return t == null ? new Indicator[0] : t.versions;
    }

    /** Stores the indicator's versions under each of their IPs and removes it from IPs it left. */
    private void writeTimeline(String indicatorId, String[] oldIps, Indicator[] versions)
            throws Exception {
        String[] newIps = IndicatorVersions.ips(versions);
        IndicatorTimeline timeline = new IndicatorTimeline(indicatorId, versions);
        for (String ip : newIps) {
            IpIndicators before = byIp.get(ip);
            byIp.put(ip, withTimeline(before, timeline));
            if (before == null && index != null) {
                index.add(ip);
            }
        }
        if (oldIps != null) {
            for (String ip : oldIps) {
                if (Arrays.binarySearch(newIps, ip) < 0) {
                    IpIndicators rest = withoutTimeline(byIp.get(ip), indicatorId);
                    if (rest == null) {
                        byIp.remove(ip); // no timeline has a version naming this target any more
                        if (index != null) {
                            index.remove(ip);
                        }
                    } else {
                        byIp.put(ip, rest);
                    }
                }
            }
        }
        if (newIps.length == 0) {
            ipsById.remove(indicatorId); // the indicator's time to live has passed
        } else {
            ipsById.put(indicatorId, newIps);
        }
    }

    private static IpIndicators withTimeline(IpIndicators entry, IndicatorTimeline timeline) {
        IndicatorTimeline[] old = entry == null ? new IndicatorTimeline[0] : entry.timelines;
        int at = 0;
        while (at < old.length && old[at].indicatorId.compareTo(timeline.indicatorId) < 0) {
            at++;
        }
        boolean replace = at < old.length && old[at].indicatorId.equals(timeline.indicatorId);
        IndicatorTimeline[] out = new IndicatorTimeline[replace ? old.length : old.length + 1];
        System.arraycopy(old, 0, out, 0, at);
        out[at] = timeline;
        System.arraycopy(
                old, replace ? at + 1 : at, out, at + 1, old.length - (replace ? at + 1 : at));
        return new IpIndicators(out);
    }

    private static IpIndicators withoutTimeline(IpIndicators entry, String indicatorId) {
        if (entry == null) {
            return null;
        }
        IndicatorTimeline[] kept =
                Arrays.stream(entry.timelines)
                        .filter(t -> !t.indicatorId.equals(indicatorId))
                        .toArray(IndicatorTimeline[]::new);
        return kept.length == 0 ? null : new IpIndicators(kept);
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorTimeline;
import io.tiflink.vmconn.model.IpIndicators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * Finds, for an address, the entries of the broadcast indicator state whose targets hold it: the
 * address itself, and every range around it (SPEC 6.4c), one lookup per prefix length present
 * ({@link TargetIndex}).
 */
final class IndicatorLookup {

    private final TargetIndex index;
    private final IpExclusions exclusions;
    private final List<String> candidates = new ArrayList<>();

    IndicatorLookup(TargetIndex index, IpExclusions exclusions) {
        this.index = index;
        this.exclusions = exclusions;
    }

    boolean isExcluded(IpAddress ip) {
        return exclusions.isExcluded(ip);
    }

    /** Whether some target may hold the address (cheap; may say yes wrongly, never no wrongly). */
    boolean mayMatch(IpAddress ip, boolean excluded) {
        return index.mayCover(ip, excluded);
    }

    /** The state's entries of the targets that hold the address; empty when none. */
    List<IpIndicators> entries(
            ReadOnlyBroadcastState<String, IpIndicators> byIp, IpAddress ip, boolean excluded)
            throws Exception {
        candidates.clear();
        index.candidates(ip, excluded, candidates);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<IpIndicators> out = new ArrayList<>(candidates.size());
        for (String target : candidates) {
            IpIndicators e = byIp.get(target);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The entries with these probes' versions in their timelines: a probe may reach the keyed side
     * before its copy reaches the broadcast state (a late row), and is judged with it all the same.
     * The merged timelines come first, so that they win over the state's copies of the same
     * timelines.
     */
    static List<IpIndicators> withProbes(List<IpIndicators> entries, List<Indicator> probes) {
        List<IndicatorTimeline> merged = new ArrayList<>();
        for (Indicator p : probes) {
            String key = p.timelineKey();
            IndicatorTimeline t = find(merged, key);
            if (t == null) {
                for (IpIndicators e : entries) {
                    IndicatorTimeline s = e.find(key);
                    if (s != null) {
                        t = new IndicatorTimeline(key, s.versions);
                        break;
                    }
                }
                if (t == null) {
                    t = new IndicatorTimeline(key, new Indicator[0]);
                }
                merged.add(t);
            }
            if (!Arrays.asList(t.versions).contains(p)) {
                t.versions = IndicatorVersions.insert(t.versions, p);
            }
        }
        List<IpIndicators> out = new ArrayList<>(entries.size() + 1);
        out.add(new IpIndicators(merged.toArray(new IndicatorTimeline[0])));
        out.addAll(entries);
        return out;
    }

    private static IndicatorTimeline find(List<IndicatorTimeline> timelines, String key) {
        for (IndicatorTimeline t : timelines) {
            if (t.indicatorId.equals(key)) {
                return t;
            }
        }
        return null;
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IpIndicators;
import io.tiflink.vmconn.model.Match;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.TimerService;

/**
 * The matcher's keyed side for a bucket of addresses ({@link MatcherKeys}): the connections it
 * keeps for L ({@link KeptConnections}), the copies due to be judged at their own time, and the
 * probes waiting for their instant. Work happens in event-time order: a connection is judged at tau
 * = t_c when the watermark passes t_c, a probe against the connections of the L before its instant
 * when the watermark passes that (SPEC 2.2, 2.3).
 */
final class BucketMatching {

    private final KeptConnections kept;
    private final KeptConnections due;
    private final PendingProbes probes;
    private final IndicatorLookup lookup;
    private final Detector detector;
    private final DetectionSettings settings;

    BucketMatching(
            KeptConnections kept,
            KeptConnections due,
            PendingProbes probes,
            IndicatorLookup lookup,
            Detector detector,
            DetectionSettings settings) {
        this.kept = kept;
        this.due = due;
        this.probes = probes;
        this.lookup = lookup;
        this.detector = detector;
        this.settings = settings;
    }

    /**
     * A connection: judged now when it is behind the watermark (SPEC 4.4), else due at t_c when a
     * target holds its address; kept for L (SPEC 2.2). Returns the span it is kept in, or
     * Long.MIN_VALUE when it is not kept (late by more than L).
     */
    long connection(
            Connection c,
            long watermark,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        IpAddress ip = IpAddress.parse(c.ip);
        boolean excluded = lookup.isExcluded(ip);
        long ts = EventTimes.toMillis(c.timeGenerated);
        long judgedThrough = Long.MIN_VALUE;
        if (ts <= watermark) {
            // Behind the watermark (SPEC 4.4): judge it now on what is known, mark it late.
            c.judgedLate = true;
            judgedThrough = watermark;
            List<IpIndicators> entries = lookup.entries(byIp, ip, excluded);
            if (!entries.isEmpty()) {
                long upTo = EventTimes.millisToNanos(watermark + 1) - 1;
                detector.detect(c, ip, excluded, entries, c.timeGenerated, upTo, null, found);
            }
            if (ts + settings.lookbackMillis() <= watermark) {
                return Long.MIN_VALUE; // no indicator can still arrive in time for it
            }
        } else if (lookup.mayMatch(ip, excluded) && !lookup.entries(byIp, ip, excluded).isEmpty()) {
            // A target holds this address: judge the connection at t_c. For the other 99.9% no
            // timer: if a version for it arrives later, its probe schedules the judgement.
            due.add(c, ip, ts, Long.MIN_VALUE);
            timers.registerEventTimeTimer(ts);
        }
        kept.add(c, ip, ts, judgedThrough);
        long span = kept.spanOf(ts);
        timers.registerEventTimeTimer(dropInstant(span));
        return span;
    }

    /** When a span's connections leave: when no indicator can arrive in time for them (L). */
    long dropInstant(long span) {
        return span + KeptConnections.SPAN_MILLIS - 1 + settings.lookbackMillis();
    }

    /** A probe: pending until its instants, or retro-matched now when it is late. */
    void probe(
            Indicator probe,
            long watermark,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        for (long instant : instantsOf(probe)) {
            if (instant > watermark) {
                probes.add(instant, probe);
                timers.registerEventTimeTimer(instant);
            } else {
                // A late indicator row: retro-match it now against what is kept (best effort).
                retroMatch(List.of(probe), instant, watermark, byIp, found);
                scheduleJudgements(List.of(probe), watermark, timers, Long.MIN_VALUE);
            }
        }
    }

    /** The instants a version can start matching at: its time, and its ValidFrom when later. */
    static long[] instantsOf(Indicator v) {
        long t = EventTimes.toMillis(v.timeGenerated);
        long from = EventTimes.toMillis(v.validFrom);
        return v.validFrom > v.timeGenerated && from != t ? new long[] {t, from} : new long[] {t};
    }

    /**
     * A bucket's timer: the probes of this instant (retro-match), the connections due at it (SPEC
     * 2.2, tau = t_c), and the connections whose look-back has passed.
     */
    void onTimer(
            long timestamp,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        List<Indicator> list = probes.take(timestamp);
        if (!list.isEmpty()) {
            retroMatch(list, timestamp, timestamp, byIp, found);
            // From this instant on: a connection of this very instant is judged below.
            scheduleJudgements(list, timestamp - 1, timers, timestamp);
        }
        judgeAt(timestamp, byIp, found);
        long span = timestamp + 1 - KeptConnections.SPAN_MILLIS - settings.lookbackMillis();
        if (kept.spanOf(span) == span) {
            kept.drop(span); // no indicator can arrive in time for these connections any more
        }
    }

    /** Detections at tau = t_c for the connections due at this instant (SPEC 2.2, tau = t_c). */
    private void judgeAt(
            long instant, ReadOnlyBroadcastState<String, IpIndicators> byIp, List<Match> found)
            throws Exception {
        due.scan(
                instant,
                instant,
                r -> {
                    if (r.judgedThroughMillis >= instant) {
                        return;
                    }
                    IpAddress ip = r.address();
                    boolean excluded = lookup.isExcluded(ip);
                    List<IpIndicators> entries = lookup.entries(byIp, ip, excluded);
                    if (!entries.isEmpty()) {
                        Connection c = r.connection();
                        detector.detect(
                                c,
                                ip,
                                excluded,
                                entries,
                                c.timeGenerated,
                                c.timeGenerated,
                                null,
                                found);
                    }
                });
        due.drop(instant);
    }

    /**
     * Detections at the instant the probes' versions start matching, for the connections kept here
     * in the L before it (SPEC 2.2, tau > t_c): only those of the probes' indicators, and only
     * where that instant is the pair's least detection time (SPEC 2.3). Judged up to {@code upTo}.
     */
    private void retroMatch(
            List<Indicator> arrived,
            long instantMillis,
            long upToMillis,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            List<Match> found)
            throws Exception {
        Map<String, List<Indicator>> byIndicator = new LinkedHashMap<>();
        for (Indicator p : arrived) {
            byIndicator.computeIfAbsent(p.indicatorId, k -> new ArrayList<>()).add(p);
        }
        long from = EventTimes.millisToNanos(instantMillis);
        long upTo = EventTimes.millisToNanos(upToMillis + 1) - 1;
        long earliest = from - settings.lookbackNanos();
        for (Map.Entry<String, List<Indicator>> e : byIndicator.entrySet()) {
            List<Target> targets = targetsOf(e.getValue());
            kept.scan(
                    EventTimes.toMillis(earliest),
                    instantMillis,
                    r -> {
                        if (r.timeNanos < earliest
                                || r.timeNanos >= from
                                || r.judgedThroughMillis >= upToMillis
                                || !holds(targets, r)) {
                            return;
                        }
                        IpAddress ip = r.address();
                        boolean excluded = lookup.isExcluded(ip);
                        List<IpIndicators> entries =
                                IndicatorLookup.withProbes(
                                        lookup.entries(byIp, ip, excluded), e.getValue());
                        detector.detect(
                                r.connection(),
                                ip,
                                excluded,
                                entries,
                                from,
                                upTo,
                                e.getKey(),
                                found);
                    });
        }
    }

    /**
     * New versions for addresses kept here: connections ahead of the watermark may have been kept
     * without a judgement due (no target held their address then), so every instant at which a
     * version's target holds one gets its judgement at t_c now: the instant's due copies are made
     * again from the kept connections (each once, whatever was due before), and its timer set
     * (unless it is the instant whose timer is firing: it is judged at once, after this).
     */
    private void scheduleJudgements(
            List<Indicator> arrived, long after, TimerService timers, long firingNow)
            throws Exception {
        List<Target> targets = targetsOf(arrived);
        Set<Long> needed = new TreeSet<>();
        kept.scanFrom(
                after,
                r -> {
                    long ts = EventTimes.toMillis(r.timeNanos);
                    if (ts > after && r.judgedThroughMillis < ts && holds(targets, r)) {
                        needed.add(ts);
                    }
                });
        if (needed.isEmpty()) {
            return;
        }
        for (long ts : needed) {
            due.drop(ts);
        }
        kept.scanFrom(
                after,
                r -> {
                    long ts = EventTimes.toMillis(r.timeNanos);
                    if (needed.contains(ts) && r.judgedThroughMillis < ts) {
                        due.add(r.connection(), r.address(), ts, Long.MIN_VALUE);
                    }
                });
        for (long ts : needed) {
            if (ts != firingNow) {
                timers.registerEventTimeTimer(ts);
            }
        }
    }

    private static List<Target> targetsOf(List<Indicator> versions) {
        List<Target> out = new ArrayList<>();
        for (Indicator v : versions) {
            for (String t : v.targetList()) {
                Target parsed = Target.parse(t);
                if (parsed != null) {
                    out.add(parsed);
                }
            }
        }
        return out;
    }

    private boolean holds(List<Target> targets, KeptConnections.Record r) {
        IpAddress ip = r.address();
        for (Target t : targets) {
            if (t.contains(ip) && (t.isAddress() || !lookup.isExcluded(ip))) {
                return true;
            }
        }
        return false;
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorEvent;
import io.tiflink.vmconn.model.IpIndicators;
import io.tiflink.vmconn.model.KeyedInput;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.workflow.StateDescriptors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Matches connections, kept per bucket of addresses ({@link MatcherKeys}), against the indicators
 * in broadcast state ({@link IndicatorStore}) (SPEC 2, 6.4). Work happens in event-time order: a
 * connection is judged at tau = t_c when the watermark passes t_c, and an indicator version's probe
 * is judged against the connections kept in its buckets when the watermark passes the version's
 * time, or its ValidFrom (retro-match). By then every indicator row up to that instant has arrived,
 * so the result does not depend on which input ran ahead (SPEC 4.3). Each match is emitted once, at
 * its detection time (SPEC 2.3).
 */
public class IndicatorMatcher
        extends KeyedBroadcastProcessFunction<String, KeyedInput, IndicatorEvent, Match> {

    private static final long serialVersionUID = 1L;

    /** Sweep expired indicators from broadcast state at most once per this much event time. */
    public static final long SWEEP_INTERVAL_MILLIS = 60_000L;

    /**
     * And, for large sets, at most once per this much event time per 1,000 timelines held: a sweep
     * visits every timeline, and sweeping only frees memory (matching checks liveness itself), so a
     * large set is swept less often.
     */
    public static final long SWEEP_MILLIS_PER_THOUSAND_INDICATORS = 600L;

    /**
     * The order matches of one timer leave in: the one to report first comes first (SPEC 3.2, 4.2).
     */
    public static final Comparator<Match> EMIT_ORDER =
            Comparator.<Match, String>comparing(m -> m.indicator.indicatorId)
                    .thenComparingLong(m -> m.detectionTime)
                    .thenComparing(
                            Comparator.<Match, Connection>comparing(
                                            m -> m.connection, ConnectionOrder.PREFERENCE)
                                    .reversed());

    private final DetectionSettings settings;

    private transient KeptConnections kept;

    /** Copies of the kept connections due to be judged at their own time, by millisecond. */
    private transient KeptConnections due;

    private transient MapState<Long, Indicator[]> probes;
    private transient LegacyIpKeys legacy;
    private transient TargetIndex index;
    private transient IndicatorLookup lookup;
    private transient Detector detector;
    private transient long lastSweepHorizon;

    /** Connections this task kept, by minute, for the keptConnections metric. */
    private transient java.util.TreeMap<Long, long[]> keptByMinute;

    /** The metric's value, written by the task's thread only. */
    private transient volatile long keptConnections;

    private transient long countedAtMinute;
    private transient long liveIndicators;

    /** Whether the restored broadcast state has been counted and indexed since open. */
    private transient boolean restoredStateRead;

    private transient StateStrings strings;
    private transient Counter connectionsProcessed;
    private transient Counter lateConnections;
    private transient Counter lateIndicatorRows;
    private transient Counter supersededIndicatorRows;
    private transient Counter matchesEmitted;
    private transient LongCounter matchesTotal;
    private transient LongCounter lateConnectionsTotal;

    public IndicatorMatcher(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        kept =
                new KeptConnections(
                        getRuntimeContext().getMapState(StateDescriptors.KEPT_CONNECTIONS),
                        KeptConnections.SPAN_MILLIS);
        due =
                new KeptConnections(
                        getRuntimeContext().getMapState(StateDescriptors.JUDGEMENTS_DUE), 1);
        probes = getRuntimeContext().getMapState(StateDescriptors.PENDING_PROBES);
        index = new TargetIndex();
        lookup = new IndicatorLookup(index, settings.exclusions());
        detector = new Detector(settings.lookbackNanos(), settings.indicatorLookbackNanos());
        legacy =
                new LegacyIpKeys(
                        getRuntimeContext().getMapState(StateDescriptors.BUFFERED_CONNECTIONS),
                        probes,
                        lookup,
                        detector,
                        settings);
        lastSweepHorizon = Long.MIN_VALUE;
        restoredStateRead = false;
        strings = new StateStrings();
        var metrics = getRuntimeContext().getMetricGroup();
        connectionsProcessed = metrics.counter("connectionsProcessed");
        lateConnections = metrics.counter("lateConnections");
        lateIndicatorRows = metrics.counter("lateIndicatorRows");
        supersededIndicatorRows = metrics.counter("supersededIndicatorRows");
        matchesEmitted = metrics.counter("matches");
        // The same counts as accumulators, summed over subtasks, for the replay's summary.
        matchesTotal = getRuntimeContext().getLongCounter("matches");
        lateConnectionsTotal = getRuntimeContext().getLongCounter("connections.late");
        metrics.gauge("liveIndicators", () -> liveIndicators);
        keptByMinute = new java.util.TreeMap<>();
        countedAtMinute = Long.MIN_VALUE + 1;
        metrics.gauge("keptConnections", () -> keptConnections);
    }

    /**
     * The broadcast state is not reachable in open(): the first element after it counts and indexes
     * what a restore brought, so that the metric, the sweep interval and the lookups start from the
     * restored set.
     */
    private void readRestoredState(
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            ReadOnlyBroadcastState<String, String[]> ipsById)
            throws Exception {
        if (!restoredStateRead) {
            liveIndicators = IndicatorStore.count(ipsById);
            IndicatorStore.indexAll(byIp, index);
            restoredStateRead = true;
        }
    }

    /** The liveIndicators metric's value: the timelines the state holds. */
    long liveIndicators() {
        return liveIndicators;
    }

    // ---------------------------------------------------------------- broadcast side

    @Override
    public void processBroadcastElement(IndicatorEvent event, Context ctx, Collector<Match> out)
            throws Exception {
        readRestoredState(
                ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP),
                ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS));
        long watermark = ctx.currentWatermark();
        IndicatorStore store =
                new IndicatorStore(
                        ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP),
                        ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS),
                        ctx.getBroadcastState(StateDescriptors.INDICATOR_TOMBSTONES),
                        index);
        if (!event.isTick()) {
            Indicator row = event.indicator;
            if (EventTimes.toMillis(row.timeGenerated) <= watermark) {
                lateIndicatorRows.inc();
            }
            IndicatorStore.Added added = store.add(strings.share(row));
            if (added == IndicatorStore.Added.NEW_INDICATOR) {
                liveIndicators++;
            } else if (added == IndicatorStore.Added.SUPERSEDED) {
                supersededIndicatorRows.inc();
            }
        }
        sweepIfDue(store, watermark);
    }

    /**
     * Sweeps the store when due. The horizon stays L + allowed lateness behind the watermark,
     * because a kept connection is judged from its own time t_c (>= watermark - L) onwards.
     */
    private void sweepIfDue(IndicatorStore store, long watermark) throws Exception {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        long horizonMillis =
                watermark == Long.MAX_VALUE
                        ? Long.MAX_VALUE
                        : watermark
                                - settings.lookbackMillis()
                                - settings.allowedLatenessMillis()
                                + 1;
        long interval =
                Math.max(
                        SWEEP_INTERVAL_MILLIS,
                        liveIndicators / 1000 * SWEEP_MILLIS_PER_THOUSAND_INDICATORS);
        if (horizonMillis < lastSweepHorizon + interval && watermark != Long.MAX_VALUE) {
            return;
        }
        lastSweepHorizon = horizonMillis;
        long horizonNanos =
                horizonMillis >= Long.MAX_VALUE / 1_000_000L
                        ? Long.MAX_VALUE
                        : EventTimes.millisToNanos(horizonMillis);
        liveIndicators = store.sweep(horizonNanos, settings.indicatorLookbackNanos());
    }

    // ---------------------------------------------------------------- keyed side

    @Override
    public void processElement(KeyedInput in, ReadOnlyContext ctx, Collector<Match> out)
            throws Exception {
        ReadOnlyBroadcastState<String, IpIndicators> byIp =
                ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP);
        readRestoredState(byIp, ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS));
        long watermark = ctx.timerService().currentWatermark();
        List<Match> found = new ArrayList<>();
        if (!MatcherKeys.isBucket(ctx.getCurrentKey())) {
            legacy.processProbe(
                    in.probe, ctx.getCurrentKey(), watermark, byIp, ctx.timerService(), found);
        } else if (in.connection != null) {
            processConnection(in.connection, watermark, byIp, ctx.timerService(), found);
        } else {
            processProbe(in.probe, watermark, byIp, ctx.timerService(), found);
        }
        emit(found, out);
    }

    private void processConnection(
            Connection c,
            long watermark,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        connectionsProcessed.inc();
        IpAddress ip = IpAddress.parse(c.ip);
        boolean excluded = lookup.isExcluded(ip);
        long ts = EventTimes.toMillis(c.timeGenerated);
        long judgedThrough = Long.MIN_VALUE;
        if (ts <= watermark) {
            // Behind the watermark (SPEC 4.4): judge it now on what is known, mark it late.
            c.judgedLate = true;
            lateConnections.inc();
            lateConnectionsTotal.add(1L);
            judgedThrough = watermark;
            List<IpIndicators> entries = lookup.entries(byIp, ip, excluded);
            if (!entries.isEmpty()) {
                long upTo = EventTimes.millisToNanos(watermark + 1) - 1;
                detector.detect(c, ip, excluded, entries, c.timeGenerated, upTo, null, found);
            }
            if (ts + settings.lookbackMillis() <= watermark) {
                return; // no indicator can still arrive in time for it
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
        keptByMinute.computeIfAbsent(span, k -> new long[1])[0]++;
        countKept(watermark);
    }

    /**
     * The keptConnections metric: the connections this task kept whose minute has not left yet.
     * Those a restore brought are not counted, so the figure is exact from L after a restore on.
     */
    private void countKept(long watermark) {
        long minute = Math.floorDiv(watermark, 60_000L);
        if (minute == countedAtMinute) {
            keptConnections++;
            return;
        }
        countedAtMinute = minute;
        if (watermark != Long.MIN_VALUE) {
            keptByMinute.headMap(watermark - dropInstant(0)).clear();
        }
        long n = 0;
        for (long[] count : keptByMinute.values()) {
            n += count[0];
        }
        keptConnections = n;
    }

    /** When a span's connections leave: when no indicator can arrive in time for them (L). */
    private long dropInstant(long span) {
        return span + KeptConnections.SPAN_MILLIS - 1 + settings.lookbackMillis();
    }

    private void processProbe(
            Indicator probe,
            long watermark,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        for (long instant : instantsOf(probe)) {
            if (instant > watermark) {
                Indicator[] pending = probes.get(instant);
                probes.put(instant, append(pending, probe));
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Match> out) throws Exception {
        ReadOnlyBroadcastState<String, IpIndicators> byIp =
                ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP);
        readRestoredState(byIp, ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS));
        List<Match> found = new ArrayList<>();
        if (!MatcherKeys.isBucket(ctx.getCurrentKey())) {
            legacy.onTimer(timestamp, ctx.getCurrentKey(), byIp, ctx.timerService(), found);
            emit(found, out);
            return;
        }
        Indicator[] arrived = probes.get(timestamp);
        if (arrived != null) {
            probes.remove(timestamp);
            List<Indicator> list = List.of(arrived);
            retroMatch(list, timestamp, timestamp, byIp, found);
            // From this instant on: a connection of this very instant is judged below.
            scheduleJudgements(list, timestamp - 1, ctx.timerService(), timestamp);
        }
        judgeAt(timestamp, byIp, found);
        long span = timestamp + 1 - KeptConnections.SPAN_MILLIS - settings.lookbackMillis();
        if (kept.spanOf(span) == span) {
            kept.drop(span); // no indicator can arrive in time for these connections any more
        }
        emit(found, out);
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
            List<io.tiflink.vmconn.ip.Target> targets = targetsOf(e.getValue());
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
        List<io.tiflink.vmconn.ip.Target> targets = targetsOf(arrived);
        Map<Long, List<Object[]>> byInstant = new java.util.TreeMap<>();
        java.util.Set<Long> needed = new java.util.HashSet<>();
        kept.scanFrom(
                after,
                r -> {
                    long ts = EventTimes.toMillis(r.timeNanos);
                    if (ts <= after || r.judgedThroughMillis >= ts) {
                        return;
                    }
                    byInstant
                            .computeIfAbsent(ts, k -> new ArrayList<>())
                            .add(new Object[] {r.connection(), r.address()});
                    if (holds(targets, r)) {
                        needed.add(ts);
                    }
                });
        for (long ts : needed) {
            due.drop(ts);
            for (Object[] c : byInstant.get(ts)) {
                due.add((Connection) c[0], (IpAddress) c[1], ts, Long.MIN_VALUE);
            }
            if (ts != firingNow) {
                timers.registerEventTimeTimer(ts);
            }
        }
    }

    private static List<io.tiflink.vmconn.ip.Target> targetsOf(List<Indicator> versions) {
        List<io.tiflink.vmconn.ip.Target> out = new ArrayList<>();
        for (Indicator v : versions) {
            for (String t : v.targetList()) {
                io.tiflink.vmconn.ip.Target parsed = io.tiflink.vmconn.ip.Target.parse(t);
                if (parsed != null) {
                    out.add(parsed);
                }
            }
        }
        return out;
    }

    private boolean holds(List<io.tiflink.vmconn.ip.Target> targets, KeptConnections.Record r) {
        IpAddress ip = r.address();
        for (io.tiflink.vmconn.ip.Target t : targets) {
            if (t.contains(ip) && (t.isAddress() || !lookup.isExcluded(ip))) {
                return true;
            }
        }
        return false;
    }

    private void emit(List<Match> found, Collector<Match> out) {
        if (found.isEmpty()) {
            return;
        }
        found.sort(EMIT_ORDER);
        for (Match m : found) {
            out.collect(m);
        }
        matchesEmitted.inc(found.size());
        matchesTotal.add((long) found.size());
    }

    static Indicator[] append(Indicator[] a, Indicator b) {
        if (a == null) {
            return new Indicator[] {b};
        }
        Indicator[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}

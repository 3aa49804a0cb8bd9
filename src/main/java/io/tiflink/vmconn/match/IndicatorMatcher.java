package io.tiflink.vmconn.match;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorEvent;
import io.tiflink.vmconn.model.IndicatorTimeline;
import io.tiflink.vmconn.model.IpIndicators;
import io.tiflink.vmconn.model.KeyedInput;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.workflow.StateDescriptors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Matches connections, keyed by canonical IP, against the indicators in broadcast state (SPEC 2).
 * Work happens in event-time order: a connection is judged at tau = t_c when the watermark passes
 * t_c, and an indicator version's probe is judged against the connections buffered for its IP when
 * the watermark passes its TimeGenerated (retro-match). By then every indicator row up to that
 * instant has arrived, so the result does not depend on which input ran ahead (SPEC 4.3). Each
 * match is emitted exactly once, at its detection time (SPEC 2.3).
 */
public class IndicatorMatcher
        extends KeyedBroadcastProcessFunction<String, KeyedInput, IndicatorEvent, Match> {

    private static final long serialVersionUID = 1L;

    /** Sweep expired indicators from broadcast state at most once per this much event time. */
    public static final long SWEEP_INTERVAL_MILLIS = 60_000L;

    /**
     * And, for large sets, at most once per this much event time per 1,000 indicators held: a sweep
     * visits every indicator (0.36 s at 1M on one core), and sweeping only frees memory (matching
     * checks liveness itself), so a large set is swept less often: every 10 minutes at 1M.
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

    private transient MapState<Long, BufferedConnection[]> buffered;
    private transient MapState<Long, Indicator[]> probes;
    private transient long lastSweepHorizon;
    private transient long liveIndicators;

    /** Whether liveIndicators has counted the (restored) broadcast state since open. */
    private transient boolean liveCounted;

    private transient StateStrings strings;
    private transient DataOutputSerializer packBuffer;
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
        buffered = getRuntimeContext().getMapState(StateDescriptors.BUFFERED_CONNECTIONS);
        probes = getRuntimeContext().getMapState(StateDescriptors.PENDING_PROBES);
        lastSweepHorizon = Long.MIN_VALUE;
        liveCounted = false;
        strings = new StateStrings();
        packBuffer = new DataOutputSerializer(256);
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
    }

    // ---------------------------------------------------------------- broadcast side

    @Override
    public void processBroadcastElement(IndicatorEvent event, Context ctx, Collector<Match> out)
            throws Exception {
        if (!liveCounted) {
            countLiveIndicators(ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS));
        }
        long watermark = ctx.currentWatermark();
        IndicatorStore store = store(ctx);
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

    private static IndicatorStore store(Context ctx) {
        return new IndicatorStore(
                ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP),
                ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS),
                ctx.getBroadcastState(StateDescriptors.INDICATOR_TOMBSTONES));
    }

    /**
     * The broadcast state is not reachable in open(): the first element after it counts what a
     * restore brought (one entry per indicator), so that the metric and the sweep interval start
     * from the restored set, not from 0.
     */
    private void countLiveIndicators(ReadOnlyBroadcastState<String, String[]> ipsById)
            throws Exception {
        liveIndicators = IndicatorStore.count(ipsById);
        liveCounted = true;
    }

    /** The liveIndicators metric's value. */
    long liveIndicators() {
        return liveIndicators;
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
        if (!liveCounted) {
            countLiveIndicators(ctx.getBroadcastState(StateDescriptors.INDICATOR_IPS));
        }
        long watermark = ctx.timerService().currentWatermark();
        if (in.connection != null) {
            processConnection(in.connection, watermark, ctx, out);
        } else {
            processProbe(in.probe, watermark, ctx, out);
        }
    }

    private void processConnection(
            Connection c, long watermark, ReadOnlyContext ctx, Collector<Match> out)
            throws Exception {
        connectionsProcessed.inc();
        long ts = EventTimes.toMillis(c.timeGenerated);
        long judgedThrough = Long.MIN_VALUE;
        if (ts <= watermark) {
            // Behind the watermark (SPEC 4.4): judge it now on what is known, mark it late.
            c.judgedLate = true;
            lateConnections.inc();
            lateConnectionsTotal.add(1L);
            judgedThrough = watermark;
            IpIndicators entry = ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP).get(c.ip);
            if (entry != null) {
                long upTo = EventTimes.millisToNanos(watermark + 1) - 1;
                List<Match> found = new ArrayList<>();
                for (IndicatorTimeline t : entry.timelines) {
                    addIfDetected(found, c, t.versions, upTo);
                }
                emit(found, out);
            }
            if (ts + settings.lookbackMillis() <= watermark) {
                return; // no indicator can still arrive in time for it
            }
        } else if (ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP).get(c.ip) != null) {
            // An indicator has a version for this IP: judge the connection at t_c. For the other
            // 99.9% no timer: if a version for this IP arrives later, its probe schedules the
            // judgement of every connection kept here (scheduleJudgements).
            ctx.timerService().registerEventTimeTimer(ts);
        }
        BufferedConnection[] at = buffered.get(ts);
        buffered.put(ts, append(at, BufferedConnection.packed(c, judgedThrough, packBuffer)));
        ctx.timerService().registerEventTimeTimer(ts + settings.lookbackMillis());
    }

    private void processProbe(
            Indicator probe, long watermark, ReadOnlyContext ctx, Collector<Match> out)
            throws Exception {
        long ts = EventTimes.toMillis(probe.timeGenerated);
        if (ts > watermark) {
            Indicator[] pending = probes.get(ts);
            probes.put(ts, pending == null ? new Indicator[] {probe} : append(pending, probe));
            ctx.timerService().registerEventTimeTimer(ts);
            return;
        }
        // A late indicator row: retro-match it now against what is buffered (best effort).
        IpIndicators entry =
                ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP).get(ctx.getCurrentKey());
        IndicatorTimeline t = entry == null ? null : entry.find(probe.indicatorId);
        if (t == null
                && IndicatorStore.isSuperseded(
                        ctx.getBroadcastState(StateDescriptors.INDICATOR_TOMBSTONES),
                        probe.indicatorId,
                        probe.timeGenerated)) {
            return; // superseded by a version that already left the state (IndicatorStore.add)
        }
        Indicator[] versions = t == null ? new Indicator[0] : t.versions;
        if (!Arrays.asList(versions).contains(probe)) {
            versions = IndicatorVersions.insert(versions, probe);
        }
        List<Match> found = new ArrayList<>();
        retroMatch(found, probe, versions, Long.MAX_VALUE);
        emit(found, out);
        scheduleJudgements(ctx.timerService(), watermark);
    }

    /**
     * A version for this IP arrived: connections kept here with a time after {@code judgedThrough}
     * may have been stored without a timer (no indicator had a version for the IP then), so each
     * gets its judgement at t_c now. The timer service keeps one timer per key and instant, and a
     * connection is judged once (judgedThroughMillis), so scheduling twice is harmless.
     */
    private void scheduleJudgements(TimerService timers, long judgedThrough) throws Exception {
        for (Long ts : buffered.keys()) {
            if (ts > judgedThrough) {
                timers.registerEventTimeTimer(ts);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Match> out) throws Exception {
        IpIndicators entry =
                ctx.getBroadcastState(StateDescriptors.INDICATORS_BY_IP).get(ctx.getCurrentKey());
        List<Match> found = new ArrayList<>();
        if (entry != null) {
            // Detections at tau = t_c for the connections of this instant.
            BufferedConnection[] now = buffered.get(timestamp);
            if (now != null) {
                String ip = ctx.getCurrentKey();
                for (BufferedConnection b : now) {
                    if (b.judgedThroughMillis < timestamp) {
                        long tc = b.time();
                        for (IndicatorTimeline t : entry.timelines) {
                            if (MatchRules.matchesAt(
                                    t.versions, tc, tc, ip, settings.indicatorLookbackNanos())) {
                                Connection c = b.connection();
                                found.add(
                                        Match.of(
                                                c,
                                                MatchRules.inForce(t.versions, tc),
                                                tc,
                                                c.timeGeneratedDigits));
                            }
                        }
                    }
                }
            }
            // Detections at tau = TimeGenerated of the versions that arrived for this IP.
            Indicator[] arrived = probes.get(timestamp);
            if (arrived != null) {
                for (Indicator probe : distinctByIdAndTime(arrived)) {
                    IndicatorTimeline t = entry.find(probe.indicatorId);
                    if (t != null) {
                        retroMatch(found, probe, t.versions, timestamp);
                    }
                }
                scheduleJudgements(ctx.timerService(), timestamp);
            }
        }
        probes.remove(timestamp);
        // Connections whose look-back has passed: no indicator can arrive in time for them now.
        buffered.remove(timestamp - settings.lookbackMillis());
        emit(found, out);
    }

    /** Matches whose least detection time is this probe's TimeGenerated (SPEC 2.3). */
    private void retroMatch(
            List<Match> found, Indicator probe, Indicator[] versions, long judgedBefore)
            throws Exception {
        long tau = probe.timeGenerated;
        long from = tau - settings.lookbackNanos();
        for (Map.Entry<Long, BufferedConnection[]> e : buffered.entries()) {
            for (BufferedConnection b : e.getValue()) {
                long tc = b.time();
                if (tc >= from && tc < tau && b.judgedThroughMillis < judgedBefore) {
                    long detected =
                            MatchRules.detectionTime(
                                    tc,
                                    probe.ip,
                                    versions,
                                    settings.lookbackNanos(),
                                    settings.indicatorLookbackNanos(),
                                    tau);
                    if (detected == tau) {
                        found.add(
                                Match.of(
                                        b.connection(),
                                        MatchRules.inForce(versions, tau),
                                        tau,
                                        probe.timeGeneratedDigits));
                    }
                }
            }
        }
    }

    private void addIfDetected(List<Match> found, Connection c, Indicator[] versions, long upTo) {
        long tau =
                MatchRules.detectionTime(
                        c.timeGenerated,
                        c.ip,
                        versions,
                        settings.lookbackNanos(),
                        settings.indicatorLookbackNanos(),
                        upTo);
        if (tau != MatchRules.NONE) {
            Indicator v = MatchRules.inForce(versions, tau);
            int digits = tau == c.timeGenerated ? c.timeGeneratedDigits : v.timeGeneratedDigits;
            found.add(Match.of(c, v, tau, digits));
        }
    }

    private void emit(List<Match> found, Collector<Match> out) {
        found.sort(EMIT_ORDER);
        for (Match m : found) {
            out.collect(m);
        }
        matchesEmitted.inc(found.size());
        if (!found.isEmpty()) {
            matchesTotal.add((long) found.size());
        }
    }

    /**
     * One probe per (IndicatorId, TimeGenerated): tied rows are judged once, on the version in
     * force.
     */
    private static Iterable<Indicator> distinctByIdAndTime(Indicator[] arrived) {
        Map<String, Indicator> distinct = new TreeMap<>();
        for (Indicator p : arrived) {
            distinct.putIfAbsent(p.indicatorId + '\u0000' + p.timeGenerated, p);
        }
        return distinct.values();
    }

    private static BufferedConnection[] append(BufferedConnection[] a, BufferedConnection b) {
        if (a == null) {
            return new BufferedConnection[] {b};
        }
        BufferedConnection[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static Indicator[] append(Indicator[] a, Indicator b) {
        Indicator[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.config.DetectionSettings;
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
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
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

    private transient BucketMatching buckets;
    private transient LegacyIpKeys legacy;
    private transient TargetIndex index;
    private transient IndicatorLookup lookup;
    private transient Detector detector;
    private transient long lastSweepHorizon;

    private transient KeptCount keptCount;
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
        PendingProbes probes =
                new PendingProbes(
                        getRuntimeContext().getMapState(StateDescriptors.PENDING_PROBES),
                        getRuntimeContext().getMapState(StateDescriptors.PENDING_PROBE_CHUNKS),
                        getRuntimeContext()
                                .getMapState(StateDescriptors.PENDING_PROBE_CHUNK_COUNT));
        index = new TargetIndex();
        lookup = new IndicatorLookup(index, settings.exclusions());
        detector = new Detector(settings.lookbackNanos(), settings.indicatorLookbackNanos());
        buckets =
                new BucketMatching(
                        new KeptConnections(
                                getRuntimeContext().getMapState(StateDescriptors.KEPT_CONNECTIONS),
                                KeptConnections.SPAN_MILLIS),
                        new KeptConnections(
                                getRuntimeContext().getMapState(StateDescriptors.JUDGEMENTS_DUE),
                                1),
                        probes,
                        lookup,
                        detector,
                        settings);
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
        keptCount = new KeptCount(buckets);
        metrics.gauge("keptConnections", keptCount::value);
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
            connectionsProcessed.inc();
            if (EventTimes.toMillis(in.connection.timeGenerated) <= watermark) {
                lateConnections.inc();
                lateConnectionsTotal.add(1L);
            }
            long span =
                    buckets.connection(in.connection, watermark, byIp, ctx.timerService(), found);
            if (span != Long.MIN_VALUE) {
                keptCount.kept(span, watermark);
            }
        } else {
            buckets.probe(in.probe, watermark, byIp, ctx.timerService(), found);
        }
        emit(found, out);
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
        buckets.onTimer(timestamp, byIp, ctx.timerService(), found);
        emit(found, out);
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
}

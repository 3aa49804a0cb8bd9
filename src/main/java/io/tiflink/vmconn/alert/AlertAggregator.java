package io.tiflink.vmconn.alert;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.workflow.StateDescriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the latest match per (IndicatorId, RemoteIp, window) and emits one alert per group (SPEC 3,
 * 4). {@code final}: when the watermark passes the window's end. {@code first}: on the group's
 * first match. A group is kept for the allowed lateness after its window ends, so that a late match
 * updates it: the alert is emitted again with the same id, marked late.
 */
public class AlertAggregator extends KeyedProcessFunction<String, Match, Alert> {

    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;

    private transient MapState<Long, AlertGroup> groups;
    private transient Counter alertsEmitted;
    private transient Counter lateAlerts;
    private transient TreeMap<Long, Long> openWindows;
    private transient LongCounter alertsTotal;
    private transient LongCounter lateAlertsTotal;

    public AlertAggregator(DetectionSettings settings) {
        this.settings = settings;
    }

    /** The aggregator's key: canonical IP and IndicatorId (an IP has no space in it). */
    public static String groupKey(Match m) {
        return m.connection.ip + ' ' + m.indicator.indicatorId;
    }

    @Override
    public void open(OpenContext openContext) {
        groups = getRuntimeContext().getMapState(StateDescriptors.ALERT_GROUPS);
        openWindows = new TreeMap<>();
        var metrics = getRuntimeContext().getMetricGroup();
        alertsEmitted = metrics.counter("alertsEmitted");
        lateAlerts = metrics.counter("lateAlerts");
        alertsTotal = getRuntimeContext().getLongCounter("alerts.emitted");
        lateAlertsTotal = getRuntimeContext().getLongCounter("alerts.late");
        metrics.gauge(
                "oldestOpenWindowStart",
                () -> openWindows.isEmpty() ? -1L : openWindows.firstKey());
    }

    @Override
    public void processElement(Match m, Context ctx, Collector<Alert> out) throws Exception {
        long window = settings.windowMillis();
        long start = AlertGroups.windowStart(m, window);
        long lastInstant = start + window - 1;
        long watermark = ctx.timerService().currentWatermark();
        boolean closed = lastInstant <= watermark;
        AlertGroup group = groups.get(start);
        if (group == null) {
            openWindows.merge(start, 1L, Long::sum);
            ctx.timerService()
                    .registerEventTimeTimer(lastInstant + settings.allowedLatenessMillis());
        }
        if (settings.emitMode() == EmitMode.FIRST) {
            if (group != null && group.emitted) {
                return; // the group has alerted already
            }
            group = AlertGroups.merge(null, m);
            group.afterWindowClosed |= closed;
            group.late |= closed;
            emit(group, start, out);
        } else {
            group = AlertGroups.merge(group, m);
            group.afterWindowClosed |= closed;
            group.late |= closed;
            // Emit at the window's end, or at the next watermark when the window has closed.
            ctx.timerService().registerEventTimeTimer(closed ? watermark + 1 : lastInstant);
        }
        groups.put(start, group);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long window = settings.windowMillis();
        List<Map.Entry<Long, AlertGroup>> due = new ArrayList<>();
        groups.entries().forEach(due::add);
        due.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Long, AlertGroup> e : due) {
            long start = e.getKey();
            AlertGroup group = e.getValue();
            long lastInstant = start + window - 1;
            if (lastInstant > timestamp) {
                continue;
            }
            if (group.pending && settings.emitMode() == EmitMode.FINAL) {
                emit(group, start, out);
                groups.put(start, group);
            }
            if (lastInstant + settings.allowedLatenessMillis() <= timestamp) {
                // Past the allowed lateness: state stays bounded. A match later than this is not
                // dropped (SPEC 4.4): it opens a new group for the window, emitted marked late.
                groups.remove(start);
                openWindows.computeIfPresent(start, (k, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    private void emit(AlertGroup group, long start, Collector<Alert> out) {
        Alert alert =
                AlertGroups.toAlert(group, start, settings.windowMillis(), settings.emitMode());
        group.pending = false;
        group.emitted = true;
        alertsEmitted.inc();
        alertsTotal.add(1L);
        if (alert.late) {
            lateAlerts.inc();
            lateAlertsTotal.add(1L);
        }
        out.collect(alert);
    }
}

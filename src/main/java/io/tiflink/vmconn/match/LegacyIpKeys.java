package io.tiflink.vmconn.match;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IpIndicators;
import io.tiflink.vmconn.model.Match;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.TimerService;

/**
 * Keyed state of release 1.x, which kept connections per canonical address ({@code
 * buffered-connections}) rather than per bucket: a restore from a 1.x savepoint brings it with its
 * timers. It is served here until it has drained, which takes at most L after the restore: its
 * timers judge its connections at t_c and drop them at t_c + L, and the probes of new versions
 * reach it too (the workflow sends every address target's probe to the address's own key as well, a
 * copy dropped at once where nothing is kept). Ranges do not reach it: a range version arriving
 * within L after an upgrade from 1.x does not retro-match connections made before the upgrade.
 */
final class LegacyIpKeys {

    private final MapState<Long, BufferedConnection[]> buffered;
    private final PendingProbes probes;
    private final IndicatorLookup lookup;
    private final Detector detector;
    private final DetectionSettings settings;

    LegacyIpKeys(
            MapState<Long, BufferedConnection[]> buffered,
            PendingProbes probes,
            IndicatorLookup lookup,
            Detector detector,
            DetectionSettings settings) {
        this.buffered = buffered;
        this.probes = probes;
        this.lookup = lookup;
        this.detector = detector;
        this.settings = settings;
    }

    /** A new version's probe for this address. */
    void processProbe(
            Indicator probe,
            String key,
            long watermark,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        if (probe == null || buffered.isEmpty()) {
            return; // nothing kept here from 1.x (the usual case): the copy is dropped
        }
        for (long instant : BucketMatching.instantsOf(probe)) {
            if (instant > watermark) {
                probes.add(instant, probe);
                timers.registerEventTimeTimer(instant);
            } else {
                retroMatch(List.of(probe), key, instant, watermark, byIp, found);
                scheduleJudgements(timers, watermark);
            }
        }
    }

    void onTimer(
            long timestamp,
            String key,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            TimerService timers,
            List<Match> found)
            throws Exception {
        IpAddress ip = IpAddress.parse(key);
        boolean excluded = ip != null && lookup.isExcluded(ip);
        List<IpIndicators> entries = ip == null ? List.of() : lookup.entries(byIp, ip, excluded);
        BufferedConnection[] now = buffered.get(timestamp);
        if (now != null && !entries.isEmpty()) {
            // Detections at tau = t_c for the connections of this instant.
            for (BufferedConnection b : now) {
                if (b.judgedThroughMillis < timestamp) {
                    Connection c = b.connection();
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
            }
        }
        List<Indicator> arrived = probes.take(timestamp);
        if (!arrived.isEmpty()) {
            retroMatch(arrived, key, timestamp, timestamp, byIp, found);
            scheduleJudgements(timers, timestamp);
        }
        // Connections whose look-back has passed: no indicator can arrive in time for them now.
        buffered.remove(timestamp - settings.lookbackMillis());
    }

    private void retroMatch(
            List<Indicator> arrived,
            String key,
            long instantMillis,
            long upToMillis,
            ReadOnlyBroadcastState<String, IpIndicators> byIp,
            List<Match> found)
            throws Exception {
        IpAddress ip = IpAddress.parse(key);
        if (ip == null) {
            return;
        }
        boolean excluded = lookup.isExcluded(ip);
        Map<String, List<Indicator>> byIndicator = new LinkedHashMap<>();
        for (Indicator p : arrived) {
            byIndicator.computeIfAbsent(p.indicatorId, k -> new ArrayList<>()).add(p);
        }
        long from = EventTimes.millisToNanos(instantMillis);
        long upTo = EventTimes.millisToNanos(upToMillis + 1) - 1;
        long earliest = from - settings.lookbackNanos();
        for (Map.Entry<String, List<Indicator>> e : byIndicator.entrySet()) {
            List<IpIndicators> entries =
                    IndicatorLookup.withProbes(lookup.entries(byIp, ip, excluded), e.getValue());
            for (Map.Entry<Long, BufferedConnection[]> kept : buffered.entries()) {
                for (BufferedConnection b : kept.getValue()) {
                    long tc = b.time();
                    if (tc >= earliest && tc < from && b.judgedThroughMillis < upToMillis) {
                        detector.detect(
                                b.connection(),
                                ip,
                                excluded,
                                entries,
                                from,
                                upTo,
                                e.getKey(),
                                found);
                    }
                }
            }
        }
    }

    /**
     * Connections kept here with a time after {@code judgedThrough} may have been stored without a
     * timer (no indicator had a version for the address then): each gets its judgement at t_c.
     */
    private void scheduleJudgements(TimerService timers, long judgedThrough) throws Exception {
        for (Long ts : buffered.keys()) {
            if (ts > judgedThrough) {
                timers.registerEventTimeTimer(ts);
            }
        }
    }
}

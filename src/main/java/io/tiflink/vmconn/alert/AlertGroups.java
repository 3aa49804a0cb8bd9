package io.tiflink.vmconn.alert;

import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.match.ConnectionOrder;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.Match;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Pure steps of alert grouping (SPEC 3.1, 3.2, 3.5): window of a match, merge, alert id, alert. */
public final class AlertGroups {

    public static final String RULE_ID = Rule.LEGACY.id;

    /**
     * The version of the rule an alert reports (SPEC 3.5, 6.2e): 1.4.2 on the legacy table, 1.4.6
     * on ThreatIntelIndicators, whose columns STIX alerts also have.
     */
    public enum Rule {
        LEGACY("9713e3c0-1410-468d-b79e-383448434b2d", "1.4.2"),
        CURRENT("aed70d71-adb2-4f73-becd-02150b13950b", "1.4.6");

        public final String id;
        public final String version;

        Rule(String id, String version) {
            this.id = id;
            this.version = version;
        }

        /** The rule version whose columns an indicator version's alerts have. */
        public static Rule of(Indicator v) {
            return v.shape == Indicator.LEGACY ? LEGACY : CURRENT;
        }
    }

    private AlertGroups() {}

    /** SPEC 3.1: epoch-aligned window start (Flink millis) of the match's detection time. */
    public static long windowStart(Match m, long windowMillis) {
        return Math.floorDiv(EventTimes.toMillis(m.detectionTime), windowMillis) * windowMillis;
    }

    /** Adds a match to a group (null: a new group), keeping the match the alert reports. */
    public static AlertGroup merge(AlertGroup group, Match m) {
        Connection c = m.connection;
        if (group == null) {
            group = new AlertGroup();
            group.reported = m;
            group.firstConnectionTime = c.timeGenerated;
            group.firstConnectionTimeDigits = c.timeGeneratedDigits;
            group.lastConnectionTime = c.timeGenerated;
            group.lastConnectionTimeDigits = c.timeGeneratedDigits;
        } else {
            if (ConnectionOrder.PREFERENCE.compare(c, group.reported.connection) > 0) {
                group.reported = m;
            }
            if (c.timeGenerated < group.firstConnectionTime) {
                group.firstConnectionTime = c.timeGenerated;
                group.firstConnectionTimeDigits = c.timeGeneratedDigits;
            }
            if (c.timeGenerated > group.lastConnectionTime) {
                group.lastConnectionTime = c.timeGenerated;
                group.lastConnectionTimeDigits = c.timeGeneratedDigits;
            }
        }
        group.matchCount++;
        group.lateArrival |= c.late;
        group.behindWatermark |= c.judgedLate;
        group.late |= c.late || c.judgedLate;
        group.pending = true;
        return group;
    }

    /** SPEC 3.5: stable id from (rule id, IndicatorId, canonical RemoteIp, window start). */
    public static String alertId(
            String ruleId, String indicatorId, String canonicalIp, long windowStartMillis) {
        String name = ruleId + '|' + indicatorId + '|' + canonicalIp + '|' + windowStartMillis;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static Alert toAlert(
            AlertGroup g, long windowStartMillis, long windowMillis, EmitMode mode) {
        Alert a = new Alert();
        a.match = g.reported;
        a.alertId =
                alertId(
                        Rule.of(g.reported.indicator).id,
                        g.reported.indicator.indicatorId,
                        g.reported.connection.ip,
                        windowStartMillis);
        a.windowStartMillis = windowStartMillis;
        a.windowEndMillis = windowStartMillis + windowMillis;
        a.matchCount = g.matchCount;
        a.firstConnectionTimeNanos = g.firstConnectionTime;
        a.firstConnectionTimeDigits = g.firstConnectionTimeDigits;
        a.lastConnectionTimeNanos = g.lastConnectionTime;
        a.lastConnectionTimeDigits = g.lastConnectionTimeDigits;
        a.emitMode = mode.label();
        a.late = g.late;
        a.lateArrival = g.lateArrival;
        a.behindWatermark = g.behindWatermark;
        a.afterWindowClosed = g.afterWindowClosed;
        return a;
    }
}

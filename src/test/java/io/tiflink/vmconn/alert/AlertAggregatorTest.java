package io.tiflink.vmconn.alert;

import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.connection;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** One alert per (IndicatorId, RemoteIp, window), final and first (SPEC 3.1, 3.2, 4.1, 4.2). */
class AlertAggregatorTest {

    private static final String IP = "203.0.113.7";

    private static KeyedOneInputStreamOperatorTestHarness<String, Match, Alert> harness(
            DetectionSettings s) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertAggregator(s), DetectionWorkflow::alertKey, Types.STRING);
    }

    private static Match match(String indicatorId, Connection c, String detection) {
        Indicator i = indicator(indicatorId, IP, "09:00");
        return Match.of(c, i, at(detection), 0);
    }

    /** A match of indicator i1 by a connection that arrived behind the watermark. */
    private static Match lateMatch(String time, String computer) {
        Connection c = connection(IP, time, computer);
        c.late = true;
        return match("i1", c, time);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Match, Alert> h, Match m)
            throws Exception {
        h.processElement(m, EventTimes.toMillis(m.detectionTime));
    }

    @Test
    void finalModeEmitsOneAlertPerWindowWhenTheWatermarkPassesItsEnd() throws Exception {
        try (var h = harness(DetectionSettings.defaults())) {
            send(h, match("i1", connection(IP, "10:05", "a"), "10:05"));
            send(h, match("i1", connection(IP, "10:50", "b"), "10:50"));
            send(h, match("i1", connection(IP, "10:20", "c"), "10:20"));
            send(h, match("i1", connection(IP, "11:10", "d"), "11:10"));
            h.processWatermark(millis("10:59:59.998"));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(millis("10:59:59.999")); // all of [10:00, 11:00) has arrived
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            Alert a = out.get(0);
            assertThat(a.match.connection.computer).isEqualTo("b");
            assertThat(a.matchCount).isEqualTo(3);
            assertThat(a.firstConnectionTimeNanos).isEqualTo(at("10:05"));
            assertThat(a.lastConnectionTimeNanos).isEqualTo(at("10:50"));
            assertThat(a.windowStartMillis).isEqualTo(millis("10:00"));
            assertThat(a.windowEndMillis).isEqualTo(millis("11:00"));
            h.processWatermark(millis("12:00"));
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void windowOfAGroupIsTheWindowOfTheDetectionTimeNotTheConnectionTime() throws Exception {
        try (var h = harness(DetectionSettings.defaults())) {
            send(h, match("i1", connection(IP, "10:50"), "11:05")); // retro-match detected at 11:05
            h.processWatermark(millis("12:00"));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(a -> assertThat(a.windowStartMillis).isEqualTo(millis("11:00")));
        }
    }

    @Test
    void tiesOnConnectionTimeAreBrokenByTheRowNotByArrivalOrder() throws Exception {
        Alert first;
        Alert second;
        try (var h = harness(DetectionSettings.defaults())) {
            send(h, match("i1", connection(IP, "10:05", "x"), "10:05"));
            send(h, match("i1", connection(IP, "10:05", "y"), "10:05"));
            h.processWatermark(millis("12:00"));
            first = h.extractOutputValues().get(0);
        }
        try (var h = harness(DetectionSettings.defaults())) {
            send(h, match("i1", connection(IP, "10:05", "y"), "10:05"));
            send(h, match("i1", connection(IP, "10:05", "x"), "10:05"));
            h.processWatermark(millis("12:00"));
            second = h.extractOutputValues().get(0);
        }
        assertThat(first.match.connection.computer)
                .isEqualTo("y")
                .isEqualTo(second.match.connection.computer);
    }

    @Test
    void twoIndicatorsOnOneIpGiveTwoAlerts() throws Exception {
        try (var h = harness(DetectionSettings.defaults())) {
            Connection c = connection(IP, "10:05");
            send(h, match("i1", c, "10:05"));
            send(h, match("i2", c, "10:05"));
            h.processWatermark(millis("12:00"));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.match.indicator.indicatorId)
                    .containsExactlyInAnyOrder("i1", "i2");
        }
    }

    @Test
    void firstModeEmitsOnTheFirstMatchAndNotAgainForTheGroup() throws Exception {
        try (var h = harness(DetectionSettings.defaults().withEmitMode(EmitMode.FIRST))) {
            send(h, match("i1", connection(IP, "10:05", "a"), "10:05"));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.match.connection.computer).isEqualTo("a");
                                assertThat(a.emitMode).isEqualTo("first");
                                assertThat(a.matchCount).isEqualTo(1);
                            });
            send(h, match("i1", connection(IP, "10:50", "b"), "10:50"));
            h.processWatermark(millis("10:59"));
            assertThat(h.extractOutputValues()).hasSize(1);
            send(h, match("i1", connection(IP, "11:01", "c"), "11:01")); // next window: a new group
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void lateMatchReEmitsTheGroupWithTheSameIdMarkedLate() throws Exception {
        try (var h = harness(DetectionSettings.defaults())) {
            send(h, match("i1", connection(IP, "10:05", "a"), "10:05"));
            h.processWatermark(millis("11:10"));
            Alert onTime = h.extractOutputValues().get(0);
            assertThat(onTime.late).isFalse();
            send(h, lateMatch("10:30", "late"));
            h.processWatermark(millis("11:11"));
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            Alert update = out.get(1);
            assertThat(update.alertId).isEqualTo(onTime.alertId);
            assertThat(update.late).isTrue();
            assertThat(update.matchCount).isEqualTo(2);
            assertThat(update.match.connection.computer).isEqualTo("late");
        }
    }

    @Test
    void theThreeCausesOfLatenessAreNamedApartAndLateIsTheirOr() throws Exception {
        try (var h = harness(DetectionSettings.defaults())) {
            Connection arrivedLate = connection(IP, "10:05", "a");
            arrivedLate.late = true;
            send(h, match("i1", arrivedLate, "10:05"));
            Connection judgedLate = connection(IP, "12:05", "b");
            judgedLate.judgedLate = true;
            send(h, match("i1", judgedLate, "12:05"));
            h.processWatermark(millis("13:10"));
            send(h, match("i1", connection(IP, "11:30", "c"), "11:30")); // window 11:00 closed
            h.processWatermark(millis("13:11"));
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out)
                    .extracting(
                            a -> a.lateArrival, a -> a.behindWatermark, a -> a.afterWindowClosed)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(true, false, false),
                            org.assertj.core.groups.Tuple.tuple(false, true, false),
                            org.assertj.core.groups.Tuple.tuple(false, false, true));
            assertThat(out).allSatisfy(a -> assertThat(a.late).isTrue());
        }
    }

    @Test
    void groupStateIsClearedAfterTheAllowedLateness() throws Exception {
        DetectionSettings s =
                DetectionSettings.defaults().withAllowedLateness(Duration.ofMinutes(30));
        try (var h = harness(s)) {
            send(h, match("i1", connection(IP, "10:05"), "10:05"));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(millis("11:00"));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(millis("11:30"));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void matchLaterThanTheAllowedLatenessIsEmittedAsANewLateGroupNotDropped() throws Exception {
        DetectionSettings s =
                DetectionSettings.defaults().withAllowedLateness(Duration.ofMinutes(30));
        try (var h = harness(s)) {
            send(h, match("i1", connection(IP, "10:05", "a"), "10:05"));
            send(h, match("i1", connection(IP, "10:10", "b"), "10:10"));
            h.processWatermark(millis("11:40")); // alert out, then the group is gone
            send(h, lateMatch("10:20", "very-late"));
            h.processWatermark(millis("11:41"));
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).matchCount).isEqualTo(2);
            Alert again = out.get(1);
            assertThat(again.alertId).as("same group, same id").isEqualTo(out.get(0).alertId);
            assertThat(again.late).isTrue();
            assertThat(again.matchCount).as("the state of the first two is gone").isEqualTo(1);
            assertThat(again.match.connection.computer).isEqualTo("very-late");
        }
    }

    @Test
    void alertIdIsStableAndDependsOnIndicatorIpAndWindow() {
        String a = AlertGroups.alertId(AlertGroups.RULE_ID, "i1", IP, 0L);
        assertThat(AlertGroups.alertId(AlertGroups.RULE_ID, "i1", IP, 0L)).isEqualTo(a);
        assertThat(AlertGroups.alertId(AlertGroups.RULE_ID, "i2", IP, 0L)).isNotEqualTo(a);
        assertThat(AlertGroups.alertId(AlertGroups.RULE_ID, "i1", "198.51.100.1", 0L))
                .isNotEqualTo(a);
        assertThat(AlertGroups.alertId(AlertGroups.RULE_ID, "i1", IP, 3_600_000L)).isNotEqualTo(a);
    }
}

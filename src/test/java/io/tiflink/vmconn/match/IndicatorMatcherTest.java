package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.connection;
import static io.tiflink.vmconn.testing.Rows.expiring;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.millis;
import static io.tiflink.vmconn.testing.Rows.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorEvent;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.testing.MatcherHarness;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The matcher operator: event-time order, retro-match, state clean-up (SPEC 2, 4.3, 4.4). */
class IndicatorMatcherTest {

    private static final String IP = "203.0.113.7";
    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    private MatcherHarness m;

    @BeforeEach
    void open() throws Exception {
        m = new MatcherHarness(SETTINGS);
    }

    @AfterEach
    void close() throws Exception {
        m.close();
    }

    private static List<String> describe(List<Match> matches) {
        return matches.stream()
                .map(
                        x ->
                                x.indicator.indicatorId
                                        + "@"
                                        + x.connection.computer
                                        + "@"
                                        + io.tiflink.vmconn.model.EventTimes.format(
                                                x.detectionTime, 0))
                .collect(Collectors.toList());
    }

    @Test
    void connectionIsJudgedOnlyWhenTheWatermarkPassesIt() throws Exception {
        m.indicator(indicator("i1", IP, "10:00")).connection(connection(IP, "10:05"));
        m.watermark("10:04");
        assertThat(m.matches()).isEmpty();
        m.watermark("10:05");
        assertThat(describe(m.matches()))
                .containsExactly("i1@vm1.contoso.com@2026-11-27T10:05:00Z");
    }

    @Test
    void indicatorArrivingAfterConnectionStillMatchesWithinLookback() throws Exception {
        m.connection(connection(IP, "10:05")).watermark("10:30");
        assertThat(m.matches()).isEmpty();
        m.indicator(indicator("i1", IP, "10:40")).watermark("10:40");
        List<Match> out = m.matches();
        assertThat(describe(out)).containsExactly("i1@vm1.contoso.com@2026-11-27T10:40:00Z");
        assertThat(out.get(0).indicator.indicatorId).isEqualTo("i1");
    }

    @Test
    void connectionsToAddressesWithoutIndicatorsShareOneDropTimerPerBucketAndSpan()
            throws Exception {
        m.indicator(indicator("i1", IP, "10:00"));
        m.connection(connection("198.51.100.1", "10:05"))
                .connection(connection("198.51.100.2", "10:06"));
        assertThat(m.harness.numEventTimeTimers())
                .isEqualTo(1 + 1); // the probe's; one drop timer for the bucket's 10:00-10:10
        m.connection(connection(IP, "10:07"));
        assertThat(m.harness.numEventTimeTimers())
                .isEqualTo(1 + 1 + 2); // another bucket: judged at t_c, and its drop timer
    }

    @Test
    void connectionAtTheVersionsOwnInstantArrivingBeforeTheVersionIsJudgedAtThatInstant()
            throws Exception {
        m.watermark("10:00").connection(connection(IP, "10:30", "a"));
        m.indicator(indicator("i1", IP, "10:30")).watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("i1@a@2026-11-27T10:30:00Z");
    }

    @Test
    void earlierVersionArrivingAfterTheConnectionIsJudgedAtTheConnectionsTime() throws Exception {
        m.watermark("10:00").connection(connection(IP, "10:30", "a"));
        m.indicator(indicator("i1", IP, "10:10")).watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("i1@a@2026-11-27T10:30:00Z");
    }

    @Test
    void connectionBetweenAProbeAndItsBroadcastCopyIsJudgedAtItsTime() throws Exception {
        Indicator v = indicator("i1", IP, "10:10");
        m.watermark("10:00");
        for (var p : MatcherHarness.probes(v)) {
            m.harness.processElement(p, millis("10:10"));
        }
        m.connection(connection(IP, "10:30", "a"));
        m.harness.processBroadcastElement(
                io.tiflink.vmconn.model.IndicatorEvent.version(v), millis("10:10"));
        m.watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("i1@a@2026-11-27T10:30:00Z");
    }

    @Test
    void lateVersionArrivingAfterTheConnectionIsJudgedAtTheConnectionsTime() throws Exception {
        m.watermark("10:20").connection(connection(IP, "10:30", "a"));
        m.indicator(indicator("i1", IP, "10:10")).watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("i1@a@2026-11-27T10:30:00Z");
    }

    @Test
    void indicatorArrivingMoreThanLookbackAfterConnectionDoesNotMatch() throws Exception {
        m.connection(connection(IP, "10:05")).watermark("10:30");
        m.indicator(indicator("i1", IP, "11:06")).watermark("12:00");
        assertThat(m.matches()).isEmpty();
    }

    @Test
    void eachMatchIsEmittedOnceEvenWhenLaterVersionsArrive() throws Exception {
        m.indicator(indicator("i1", IP, "10:00"))
                .connection(connection(IP, "10:05"))
                .indicator(indicator("i1", IP, "10:30"))
                .indicator(indicator("i1", IP, "10:50"));
        m.watermark("12:00");
        assertThat(describe(m.matches()))
                .containsExactly("i1@vm1.contoso.com@2026-11-27T10:05:00Z");
    }

    @Test
    void everyIndicatorOfAnIpGivesItsOwnMatch() throws Exception {
        m.indicator(indicator("i2", IP, "10:00"))
                .indicator(indicator("i1", IP, "09:00"))
                .connection(connection(IP, "10:05"))
                .watermark("11:00");
        assertThat(describe(m.matches()))
                .containsExactly(
                        "i1@vm1.contoso.com@2026-11-27T10:05:00Z",
                        "i2@vm1.contoso.com@2026-11-27T10:05:00Z");
    }

    @Test
    void revokedIndicatorStopsMatching() throws Exception {
        m.indicator(indicator("i1", IP, "10:00"))
                .indicator(revoked(indicator("i1", IP, "10:10")))
                .connection(connection(IP, "10:05", "before"))
                .connection(connection(IP, "10:15", "after"))
                .watermark("12:00");
        assertThat(describe(m.matches())).containsExactly("i1@before@2026-11-27T10:05:00Z");
    }

    @Test
    void resultDoesNotDependOnWhichInputRunsAhead() throws Exception {
        Indicator[] rows = {
            indicator("i1", IP, "10:00"),
            revoked(indicator("i1", IP, "10:20")),
            indicator("i1", IP, "10:40"),
            indicator("i2", IP, "10:50")
        };
        Connection[] conns = {
            connection(IP, "10:10", "a"),
            connection(IP, "10:30", "b"),
            connection(IP, "10:45", "c"),
            connection(IP, "10:55", "d")
        };
        // Indicators first.
        for (Indicator i : rows) m.indicator(i);
        for (Connection c : conns) m.connection(c);
        m.watermark("12:00");
        List<String> indicatorsFirst = describe(m.matches());
        // Connections first, on a new operator.
        try (MatcherHarness other = new MatcherHarness(SETTINGS)) {
            for (Connection c : conns)
                other.connection(connection(c.remoteIp, timeOf(c), c.computer));
            other.harness.processWatermark(millis("12:00")); // the connection side runs ahead
            for (Indicator i : rows) other.indicator(i);
            other.harness.processBroadcastWatermark(millis("12:00"));
            assertThat(describe(other.matches())).containsExactlyElementsOf(indicatorsFirst);
        }
        assertThat(indicatorsFirst)
                .containsExactly(
                        "i1@a@2026-11-27T10:10:00Z",
                        "i1@b@2026-11-27T10:40:00Z",
                        "i1@c@2026-11-27T10:45:00Z",
                        // i2 arrives at 10:50: a retro-match for every connection of the hour
                        // before it,
                        // the latest connection first (the one an alert reports, SPEC 3.2).
                        "i2@c@2026-11-27T10:50:00Z",
                        "i2@b@2026-11-27T10:50:00Z",
                        "i2@a@2026-11-27T10:50:00Z",
                        "i1@d@2026-11-27T10:55:00Z",
                        "i2@d@2026-11-27T10:55:00Z");
    }

    private static String timeOf(Connection c) {
        return io.tiflink.vmconn.model.EventTimes.format(c.timeGenerated, c.timeGeneratedDigits);
    }

    @Test
    void silentIndicatorFeedDoesNotHoldBackMatchesOnceItsWatermarkIsIdle() throws Exception {
        // An idle input's watermark is ignored by Flink; here the broadcast side simply is at MAX.
        m.indicator(indicator("i1", IP, "10:00"));
        m.harness.processBroadcastWatermark(Long.MAX_VALUE);
        m.connection(connection(IP, "10:05"));
        m.harness.processWatermark(millis("10:05"));
        assertThat(m.matches()).hasSize(1);
    }

    @Test
    void lateConnectionIsStillMatchedAndMarkedLate() throws Exception {
        m.indicator(indicator("i1", IP, "10:00")).watermark("11:00");
        m.connection(connection(IP, "10:05"));
        assertThat(m.matches()).hasSize(1);
        assertThat(m.matches().get(0).connection.judgedLate).isTrue();
        assertThat(m.matches().get(0).detectionTime).isEqualTo(at("10:05"));
    }

    @Test
    void lateConnectionIsJudgedAgainstAnIndicatorThatHasExpiredSince() throws Exception {
        m.indicator(expiring(indicator("i1", IP, "10:00"), "10:30")).watermark("10:50");
        m.tick(millis("10:50"));
        m.connection(connection(IP, "10:10"));
        assertThat(describe(m.matches()))
                .containsExactly("i1@vm1.contoso.com@2026-11-27T10:10:00Z");
    }

    @Test
    void keyedAndBroadcastStateEmptyOutAfterExpiryAndLookback() throws Exception {
        m.indicator(expiring(indicator("i1", IP, "10:00"), "11:00"))
                .indicator(expiring(indicator("i2", "198.51.100.9", "10:00"), "10:30"))
                .connection(connection(IP, "10:05"))
                .connection(connection("192.0.2.1", "10:06"));
        m.watermark("10:10");
        assertThat(m.keyedStateEntries()).isPositive();
        assertThat(m.harness.numEventTimeTimers()).isPositive();
        assertThat(m.broadcastIps()).containsExactlyInAnyOrder(IP, "198.51.100.9");
        // Past i2's expiry plus L and the allowed lateness: i2 leaves, i1 stays.
        long afterI2 =
                millis("10:30") + SETTINGS.lookbackMillis() + SETTINGS.allowedLatenessMillis();
        m.watermark(afterI2).tick(afterI2);
        assertThat(m.broadcastIps()).containsExactly(IP);
        // Past i1's expiry likewise: broadcast state is empty, and so are keyed state and timers.
        long afterI1 =
                millis("11:00") + SETTINGS.lookbackMillis() + SETTINGS.allowedLatenessMillis();
        m.watermark(afterI1).tick(afterI1);
        assertThat(m.broadcastEntries()).isZero();
        assertThat(m.keyedStateEntries()).isZero();
        assertThat(m.harness.numEventTimeTimers()).isZero();
        assertThat(m.matches()).hasSize(1);
        // What is left is the two tombstones, until P after their latest versions.
        assertThat(m.tombstones()).containsExactlyInAnyOrder("i1", "i2");
        long afterP =
                millis("10:00")
                        + SETTINGS.indicatorLookbackNanos() / 1_000_000L
                        + SETTINGS.lookbackMillis()
                        + SETTINGS.allowedLatenessMillis()
                        + 1;
        m.watermark(afterP).tick(afterP);
        assertThat(m.tombstones()).isEmpty();
    }

    @Test
    void olderRowArrivingOnTimeAfterALoneRevokingVersionIsInForceOnlyUntilIt() throws Exception {
        // SPEC 1.5: the revoking v2 (11:00) arrives first and is swept by a tick before the
        // older active v1 (10:00) arrives, still on time. v1 holds for [10:00, 11:00) only.
        m.indicator(revoked(indicator("i1", IP, "11:00")));
        m.watermark("09:00").tick(millis("09:00"));
        m.indicator(indicator("i1", IP, "10:00"))
                .connection(connection(IP, "10:30", "before"))
                .connection(connection(IP, "11:30", "after"));
        m.watermark("14:00").tick(millis("14:00"));
        assertThat(describe(m.matches())).containsExactly("i1@before@2026-11-27T10:30:00Z");
    }

    @Test
    void olderRowArrivingAfterTheIndicatorLeftTheStateDoesNotBringItBack() throws Exception {
        m.indicator(revoked(indicator("i1", IP, "11:00")));
        long past =
                millis("11:00")
                        + SETTINGS.lookbackMillis()
                        + SETTINGS.allowedLatenessMillis()
                        + 60_000;
        m.watermark(past).tick(past);
        assertThat(m.broadcastEntries()).isZero();
        assertThat(m.tombstones()).containsExactly("i1");
        // Far behind the watermark now: the older active row, then a late connection after 11:00.
        m.indicator(indicator("i1", IP, "10:00")).connection(connection(IP, "11:30", "after"));
        assertThat(m.matches()).isEmpty();
        assertThat(m.broadcastEntries()).isZero();
    }

    @Test
    void newerRowAfterATombstoneBringsTheIndicatorBack() throws Exception {
        m.indicator(revoked(indicator("i1", IP, "11:00")));
        long past =
                millis("11:00")
                        + SETTINGS.lookbackMillis()
                        + SETTINGS.allowedLatenessMillis()
                        + 60_000;
        m.watermark(past).tick(past);
        m.indicator(indicator("i1", IP, "14:00")).connection(connection(IP, "14:10", "after"));
        m.watermark("15:00");
        assertThat(describe(m.matches())).containsExactly("i1@after@2026-11-27T14:10:00Z");
        assertThat(m.tombstones()).isEmpty();
    }

    @Test
    void indicatorLeavesTheOldIpWhenItMovesToAnotherAndTheOldVersionIsPast() throws Exception {
        DetectionSettings noSlack =
                SETTINGS.withLookback(Duration.ofMinutes(10)).withAllowedLateness(Duration.ZERO);
        try (MatcherHarness h = new MatcherHarness(noSlack)) {
            h.indicator(indicator("i1", IP, "10:00"))
                    .indicator(indicator("i1", "198.51.100.1", "10:30"));
            h.watermark("10:20").tick(millis("10:20"));
            assertThat(h.broadcastIps()).containsExactlyInAnyOrder(IP, "198.51.100.1");
            long past = millis("10:30") + Duration.ofMinutes(10).toMillis() + 60_000;
            h.watermark(past).tick(past);
            assertThat(h.broadcastIps()).containsExactly("198.51.100.1");
        }
    }

    @Test
    void liveIndicatorsCountsTheRestoredSetFromTheFirstElementOn() throws Exception {
        m.indicator(indicator("i1", IP, "10:00"))
                .indicator(indicator("i2", "198.51.100.1", "10:00"))
                .indicator(indicator("i1", IP, "10:05"));
        var snapshot = m.harness.snapshot(1L, 1L);
        IndicatorMatcher restored = new IndicatorMatcher(SETTINGS);
        var h = MatcherHarness.restored(restored, snapshot);
        h.processElement(
                MatcherHarness.keyed(connection("203.0.113.200", "10:10")), millis("10:10"));
        assertThat(restored.liveIndicators())
                .as("two indicators restored, before any sweep")
                .isEqualTo(2);
        h.processBroadcastElement(
                io.tiflink.vmconn.model.IndicatorEvent.version(
                        indicator("i3", "198.51.100.2", "10:10")),
                millis("10:10"));
        assertThat(restored.liveIndicators()).isEqualTo(3);
        h.close();
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        m.indicator(indicator("i1", IP, "10:00"))
                .connection(connection(IP, "09:30"))
                .watermark("09:40");
        var snapshot = m.harness.snapshot(1L, 1L);
        var h = MatcherHarness.restored(new IndicatorMatcher(SETTINGS), snapshot);
        h.processWatermark(millis("12:00"));
        h.processBroadcastWatermark(millis("12:00"));
        assertThat(describe(h.extractOutputValues()))
                .containsExactly("i1@vm1.contoso.com@2026-11-27T10:00:00Z");
        h.close();
    }

    @Test
    void aPublicationOfHundredsOfIndicatorsOfOneBucketAtOneTimeRetroMatchesEachOfThem()
            throws Exception {
        int n = 2 * PendingProbes.CHUNK + 44; // two sealed chunks and a head
        for (int k = 0; k < n; k++) {
            m.connection(connection("203.0." + (k / 200) + "." + (k % 200 + 1), "10:05"));
        }
        m.watermark("10:30");
        for (int k = 0; k < n / 2; k++) {
            m.indicator(indicator("i" + k, "203.0." + (k / 200) + "." + (k % 200 + 1), "10:40"));
        }
        var snapshot = m.harness.snapshot(1L, 1L); // sealed chunks and a head wait in state
        var h = MatcherHarness.restored(new IndicatorMatcher(SETTINGS), snapshot);
        for (int k = n / 2; k < n; k++) {
            Indicator v = indicator("i" + k, "203.0." + (k / 200) + "." + (k % 200 + 1), "10:40");
            h.processBroadcastElement(IndicatorEvent.version(v), millis("10:40"));
            for (var p : MatcherHarness.probes(v)) {
                h.processElement(p, millis("10:40"));
            }
        }
        h.processWatermark(millis("10:40"));
        h.processBroadcastWatermark(millis("10:40"));
        List<Match> out = h.extractOutputValues();
        assertThat(out).hasSize(n);
        assertThat(out.stream().map(x -> x.indicator.indicatorId).distinct().count()).isEqualTo(n);
        h.processWatermark(millis("12:00"));
        h.processBroadcastWatermark(millis("12:00"));
        assertThat(h.extractOutputValues()).as("each probe taken once").hasSize(n);
        h.close();
    }
}

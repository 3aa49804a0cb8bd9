package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.expiring;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import org.junit.jupiter.api.Test;

/** SPEC 1.5, 1.6, 2.2 and 2.3 on one indicator's versions, without Flink. */
class MatchRulesTest {

    private static final DetectionSettings S = DetectionSettings.defaults();
    private static final String IP = "203.0.113.7";

    private static long detect(String connectionTime, Indicator... rowsInArrivalOrder) {
        Indicator[] versions = new Indicator[0];
        for (Indicator r : rowsInArrivalOrder) {
            versions = IndicatorVersions.insert(versions, r);
        }
        return MatchRules.detectionTime(
                at(connectionTime),
                io.tiflink.vmconn.ip.IpAddress.parse(IP),
                false,
                versions,
                S.lookbackNanos(),
                S.indicatorLookbackNanos(),
                Long.MAX_VALUE);
    }

    @Test
    void connectionWhileIndicatorLiveIsDetectedAtConnectionTime() {
        assertThat(detect("10:05", indicator("i", IP, "10:00"))).isEqualTo(at("10:05"));
    }

    @Test
    void connectionAtTheIndicatorsOwnInstantMatches() {
        assertThat(detect("10:00", indicator("i", IP, "10:00"))).isEqualTo(at("10:00"));
    }

    @Test
    void indicatorArrivingWithinLookbackAfterConnectionIsDetectedAtItsTimeGenerated() {
        assertThat(detect("10:05", indicator("i", IP, "11:05"))).isEqualTo(at("11:05"));
        assertThat(detect("10:05", indicator("i", IP, "10:30"))).isEqualTo(at("10:30"));
    }

    @Test
    void indicatorArrivingJustOverLookbackAfterConnectionDoesNotMatch() {
        assertThat(detect("10:05", indicator("i", IP, "11:05:00.0000001")))
                .isEqualTo(MatchRules.NONE);
    }

    @Test
    void connectionAtOrAfterExpiryDoesNotMatch() {
        Indicator i = expiring(indicator("i", IP, "10:00"), "10:30");
        assertThat(detect("10:30", i)).isEqualTo(MatchRules.NONE);
        assertThat(detect("10:29:59.9999999", i)).isEqualTo(at("10:29:59.9999999"));
    }

    @Test
    void retroMatchNeedsTheConnectionBeforeExpiry() {
        Indicator i = expiring(indicator("i", IP, "10:30"), "10:20");
        assertThat(detect("10:25", i)).isEqualTo(MatchRules.NONE);
    }

    @Test
    void revokedIndicatorStopsMatchingAndReactivationBringsItBack() {
        Indicator v1 = indicator("i", IP, "10:00");
        Indicator v2 = revoked(indicator("i", IP, "10:10"));
        Indicator v3 = indicator("i", IP, "12:00");
        assertThat(detect("10:05", v1, v2, v3)).isEqualTo(at("10:05"));
        assertThat(detect("10:15", v1, v2, v3)).isEqualTo(MatchRules.NONE);
        assertThat(detect("11:30", v1, v2, v3)).isEqualTo(at("12:00"));
        assertThat(detect("12:30", v1, v2, v3)).isEqualTo(at("12:30"));
    }

    @Test
    void inactiveRowStillReplacesOlderVersions() {
        Indicator v1 = indicator("i", IP, "10:00");
        Indicator v2 = indicator("i", IP, "10:10");
        v2.active = false; // as the parser sets it for a missing or unreadable Active
        assertThat(detect("10:20", v1, v2)).isEqualTo(MatchRules.NONE);
    }

    @Test
    void unreadableExpiryCountsAsAlreadyExpired() {
        Indicator i = indicator("i", IP, "10:00");
        i.expiration = EventTimes.UNREADABLE;
        assertThat(detect("10:20", i)).isEqualTo(MatchRules.NONE);
    }

    @Test
    void olderRowArrivingAfterNewerDoesNotReplaceIt() {
        Indicator newer = revoked(indicator("i", IP, "10:10"));
        Indicator older = indicator("i", IP, "10:00");
        assertThat(detect("10:20", newer, older)).isEqualTo(MatchRules.NONE);
        assertThat(detect("10:05", newer, older)).isEqualTo(at("10:05"));
    }

    @Test
    void tieOnTimeGeneratedGoesToTheLaterArrival() {
        Indicator first = indicator("i", IP, "10:00");
        Indicator second = revoked(indicator("i", IP, "10:00"));
        assertThat(detect("10:20", first, second)).isEqualTo(MatchRules.NONE);
        assertThat(
                        detect(
                                "10:20",
                                revoked(indicator("i", IP, "10:00")),
                                indicator("i", IP, "10:00")))
                .isEqualTo(at("10:20"));
    }

    @Test
    void versionOlderThanIndicatorLookbackIsNotLive() {
        Indicator i = indicator("i", IP, "2026-11-01T10:00:00Z");
        assertThat(detect("2026-11-15T10:00:00Z", i)).isEqualTo(at("2026-11-15T10:00:00Z"));
        assertThat(detect("2026-11-15T10:00:00.0000001Z", i)).isEqualTo(MatchRules.NONE);
    }

    @Test
    void indicatorThatMovesToAnotherIpNoLongerMatchesTheOldOne() {
        Indicator v1 = indicator("i", IP, "10:00");
        Indicator v2 = indicator("i", "198.51.100.1", "10:10");
        assertThat(detect("10:05", v1, v2)).isEqualTo(at("10:05"));
        assertThat(detect("10:15", v1, v2)).isEqualTo(MatchRules.NONE);
    }

    @Test
    void leastDetectionTimeIsTheFirstVersionThatMatchesAfterTheConnection() {
        Indicator v1 = revoked(indicator("i", IP, "10:00"));
        Indicator v2 = indicator("i", IP, "10:40");
        Indicator v3 = indicator("i", IP, "10:50");
        assertThat(detect("10:30", v1, v2, v3)).isEqualTo(at("10:40"));
    }

    @Test
    void detectionIsNotLookedForAfterTheGivenInstant() {
        Indicator[] versions = {indicator("i", IP, "10:40")};
        assertThat(
                        MatchRules.detectionTime(
                                at("10:30"),
                                io.tiflink.vmconn.ip.IpAddress.parse(IP),
                                false,
                                versions,
                                S.lookbackNanos(),
                                S.indicatorLookbackNanos(),
                                at("10:39")))
                .isEqualTo(MatchRules.NONE);
    }
}

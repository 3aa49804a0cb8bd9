package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.connection;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.revoked;
import static io.tiflink.vmconn.testing.Rows.stix;
import static io.tiflink.vmconn.testing.Rows.tiRow;
import static io.tiflink.vmconn.testing.Rows.validFrom;
import static io.tiflink.vmconn.testing.Rows.validUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.testing.MatcherHarness;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The matcher on SPEC section 6: ranges (6.4), ThreatIntelIndicators timelines per (Id, target)
 * (6.2c), STIX versions with several targets (6.3c), ValidFrom and ValidUntil (6.2d, 6.3d, 2.3).
 */
class RangeAndStixMatcherTest {

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

    /** indicatorId|target|RemoteIp|detection. */
    private static List<String> describe(List<Match> matches) {
        return matches.stream()
                .map(
                        x ->
                                x.indicator.indicatorId
                                        + "|"
                                        + x.target
                                        + "|"
                                        + x.connection.remoteIp
                                        + "|"
                                        + EventTimes.format(x.detectionTime, 0).substring(11, 16))
                .collect(Collectors.toList());
    }

    @Test
    void rangeMatchesEveryAddressInsideItAtTheConnectionsTime() throws Exception {
        m.indicator(indicator("r1", "198.51.100.0/24", "09:00"));
        m.connection(connection("198.51.100.7", "10:00"))
                .connection(connection("198.51.100.250", "10:01"))
                .connection(connection("198.51.101.1", "10:02"));
        m.watermark("11:00");
        assertThat(describe(m.matches()))
                .containsExactly(
                        "r1|198.51.100.0/24|198.51.100.7|10:00",
                        "r1|198.51.100.0/24|198.51.100.250|10:01");
    }

    @Test
    void rangeArrivingAfterConnectionsRetroMatchesEveryAddressKeptInIt() throws Exception {
        m.connection(connection("198.51.100.7", "10:00"))
                .connection(connection("198.51.100.9", "10:10"))
                .connection(connection("198.51.101.1", "10:20"));
        m.watermark("10:30");
        m.indicator(indicator("r1", "198.51.100.0/24", "10:40")).watermark("11:30");
        assertThat(describe(m.matches()))
                .containsExactlyInAnyOrder(
                        "r1|198.51.100.0/24|198.51.100.7|10:40",
                        "r1|198.51.100.0/24|198.51.100.9|10:40");
    }

    @Test
    void broadRangeReachesTheConnectionsOfEveryBucketItSpans() throws Exception {
        // A /14 spans four /16 buckets: its probe goes to each.
        m.connection(connection("100.0.0.1", "10:00"))
                .connection(connection("100.3.255.254", "10:00"))
                .connection(connection("100.4.0.1", "10:00"));
        m.watermark("10:10");
        m.indicator(indicator("r1", "100.0.0.0/14", "10:20")).watermark("11:30");
        assertThat(describe(m.matches()))
                .containsExactly(
                        "r1|100.0.0.0/14|100.0.0.1|10:20", "r1|100.0.0.0/14|100.3.255.254|10:20");
    }

    @Test
    void excludedAddressInsideARangeDoesNotMatch() throws Exception {
        // 172.0.0.0/8 holds 172.16.0.0/12, a private range (SPEC 1.3): not its addresses.
        m.indicator(indicator("r1", "172.0.0.0/8", "09:00"));
        m.connection(connection("172.16.2.3", "10:00"))
                .connection(connection("172.1.2.3", "10:00"));
        m.watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("r1|172.0.0.0/8|172.1.2.3|10:00");
    }

    @Test
    void addressAndRangeOfOneIndicatorGiveOneMatchReportingTheLongestPrefix() throws Exception {
        m.indicator(tiRow("t1", "203.0.113.0/24", "09:00"))
                .indicator(tiRow("t1", "203.0.113.7", "09:00"));
        m.connection(connection("203.0.113.7", "10:00"));
        m.watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("t1|203.0.113.7|203.0.113.7|10:00");
    }

    @Test
    void tiTimelinesOfOneIdMatchAtTheEarliestOfThem() throws Exception {
        m.connection(connection("203.0.113.7", "10:00")).watermark("10:05");
        m.indicator(tiRow("t1", "203.0.113.0/24", "10:20"))
                .indicator(tiRow("t1", "203.0.113.7", "10:10"));
        m.watermark("11:30");
        assertThat(describe(m.matches())).containsExactly("t1|203.0.113.7|203.0.113.7|10:10");
    }

    @Test
    void tiRevocationOfOneTargetLeavesTheIdsOtherTargetsLive() throws Exception {
        m.indicator(tiRow("t1", "203.0.113.7", "09:00"))
                .indicator(tiRow("t1", "198.51.100.7", "09:00"))
                .indicator(revoked(tiRow("t1", "203.0.113.7", "09:30")));
        m.connection(connection("203.0.113.7", "10:00"))
                .connection(connection("198.51.100.7", "10:00"));
        m.watermark("11:00");
        assertThat(describe(m.matches())).containsExactly("t1|198.51.100.7|198.51.100.7|10:00");
    }

    @Test
    void stixVersionMatchesEachOfItsTargetsAndANewerVersionDropsOne() throws Exception {
        m.indicator(stix("indicator--1", "09:00", "203.0.113.7", "198.51.100.0/24"));
        m.indicator(stix("indicator--1", "09:30", "198.51.100.0/24"));
        m.connection(connection("203.0.113.7", "09:10"))
                .connection(connection("203.0.113.7", "10:00"))
                .connection(connection("198.51.100.9", "10:00"));
        m.watermark("11:00");
        assertThat(describe(m.matches()))
                .containsExactly(
                        "indicator--1|203.0.113.7|203.0.113.7|09:10",
                        "indicator--1|198.51.100.0/24|198.51.100.9|10:00");
    }

    @Test
    void stixValidFromLaterThanTheConnectionIsTheDetectionTime() throws Exception {
        m.indicator(validFrom(stix("indicator--1", "09:00", "203.0.113.7"), "10:30"));
        m.connection(connection("203.0.113.7", "10:00"))
                .connection(connection("203.0.113.7", "10:45", "vm2"));
        m.watermark("11:30");
        assertThat(describe(m.matches()))
                .containsExactly(
                        "indicator--1|203.0.113.7|203.0.113.7|10:30",
                        "indicator--1|203.0.113.7|203.0.113.7|10:45");
    }

    @Test
    void stixWithoutValidUntilLivesPAfterItsTimeAndWithValidUntilUntilThen() throws Exception {
        DetectionSettings shortP =
                DetectionSettings.defaults().withIndicatorLookback(java.time.Duration.ofHours(2));
        try (MatcherHarness h = new MatcherHarness(shortP)) {
            h.indicator(stix("indicator--p", "09:00", "203.0.113.7"));
            h.indicator(validUntil(stix("indicator--u", "09:00", "203.0.113.7"), "13:00"));
            h.connection(connection("203.0.113.7", "10:59"))
                    .connection(connection("203.0.113.7", "11:00", "vm2"))
                    .connection(connection("203.0.113.7", "12:30", "vm3"));
            h.watermark("14:00");
            assertThat(describe(h.matches()))
                    .containsExactly(
                            "indicator--p|203.0.113.7|203.0.113.7|10:59",
                            "indicator--u|203.0.113.7|203.0.113.7|10:59",
                            "indicator--u|203.0.113.7|203.0.113.7|11:00",
                            "indicator--u|203.0.113.7|203.0.113.7|12:30");
        }
    }

    @Test
    void ipv6RangeMatchesAddressesInIt() throws Exception {
        m.indicator(stix("indicator--6", "09:00", "2001:db8::/32"));
        m.connection(connection("2001:db8:1::5", "10:00"))
                .connection(connection("2001:db9::5", "10:00"));
        m.watermark("11:00");
        assertThat(describe(m.matches()))
                .containsExactly("indicator--6|2001:db8::/32|2001:db8:1::5|10:00");
    }

    @Test
    void connectionsLeaveTheBucketAfterTheLookback() throws Exception {
        m.connection(connection("198.51.100.7", "10:00"));
        m.watermark("10:30");
        assertThat(m.keyedStateEntries()).isPositive();
        // Kept in the chunk of 10:00-10:10, which leaves L after its end.
        m.watermark("11:09:59.998");
        assertThat(m.keyedStateEntries()).isPositive();
        m.watermark("11:09:59.999");
        assertThat(m.keyedStateEntries()).isZero();
        m.indicator(indicator("r1", "198.51.100.0/24", "11:10")).watermark("12:00");
        assertThat(m.matches()).isEmpty();
    }
}

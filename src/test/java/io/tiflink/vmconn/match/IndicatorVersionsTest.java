package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.DAY_NANOS;
import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.expiring;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.Indicator;
import org.junit.jupiter.api.Test;

/** The time to live of an indicator's versions (SPEC 1.5, 1.6). */
class IndicatorVersionsTest {

    private static final long P = 14 * DAY_NANOS;
    private static final String IP = "203.0.113.7";

    @Test
    void rowsAreOrderedByTimeGeneratedWhateverTheirArrival() {
        Indicator a = indicator("i", IP, "10:00");
        Indicator b = indicator("i", IP, "11:00");
        Indicator c = indicator("i", IP, "10:30");
        Indicator[] v =
                IndicatorVersions.insert(
                        IndicatorVersions.insert(IndicatorVersions.insert(new Indicator[0], b), a),
                        c);
        assertThat(v).containsExactly(a, c, b);
    }

    @Test
    void aTiedRowGoesAfterTheRowsItTies() {
        Indicator a = indicator("i", IP, "10:00");
        Indicator b = revoked(indicator("i", IP, "10:00"));
        assertThat(IndicatorVersions.insert(new Indicator[] {a}, b)).containsExactly(a, b);
    }

    @Test
    void versionsSupersededBeforeTheHorizonAreDropped() {
        Indicator a = indicator("i", IP, "10:00");
        Indicator b = indicator("i", IP, "11:00");
        assertThat(IndicatorVersions.prune(new Indicator[] {a, b}, at("11:30"), P))
                .containsExactly(b);
        assertThat(IndicatorVersions.prune(new Indicator[] {a, b}, at("10:30"), P))
                .containsExactly(a, b);
    }

    @Test
    void indicatorLeavesAtExpiry() {
        Indicator a = expiring(indicator("i", IP, "10:00"), "12:00");
        assertThat(IndicatorVersions.prune(new Indicator[] {a}, at("11:59"), P)).hasSize(1);
        assertThat(IndicatorVersions.prune(new Indicator[] {a}, at("12:00"), P)).isEmpty();
    }

    @Test
    void indicatorLeavesIndicatorLookbackAfterItsLatestVersion() {
        Indicator a = indicator("i", IP, "2026-11-01T10:00:00Z");
        a.expiration = at("2027-06-01T00:00:00Z");
        assertThat(IndicatorVersions.prune(new Indicator[] {a}, at("2026-11-15T10:00:00Z"), P))
                .hasSize(1);
        assertThat(
                        IndicatorVersions.prune(
                                new Indicator[] {a}, at("2026-11-15T10:00:00.0000001Z"), P))
                .isEmpty();
    }

    @Test
    void revokedLatestVersionEmptiesTheIndicatorOnceTheHorizonPassesIt() {
        Indicator a = indicator("i", IP, "10:00");
        Indicator b = revoked(indicator("i", IP, "11:00"));
        assertThat(IndicatorVersions.prune(new Indicator[] {a, b}, at("10:30"), P))
                .containsExactly(a, b);
        assertThat(IndicatorVersions.prune(new Indicator[] {a, b}, at("11:00"), P))
                .containsExactly(b);
        assertThat(IndicatorVersions.prune(new Indicator[] {a, b}, at("11:00:00.0000001"), P))
                .isEmpty();
    }

    @Test
    void loneRevokedVersionStaysUntilTheHorizonPassesItSoAnOlderRowCannotReplaceIt() {
        // SPEC 1.5: an older row arriving on time is in force only until the revoking version.
        Indicator revoked = revoked(indicator("i", IP, "11:00"));
        assertThat(IndicatorVersions.prune(new Indicator[] {revoked}, at("10:30"), P))
                .containsExactly(revoked);
        assertThat(IndicatorVersions.prune(new Indicator[] {revoked}, at("11:00"), P))
                .containsExactly(revoked);
        assertThat(IndicatorVersions.prune(new Indicator[] {revoked}, at("11:00:00.0000001"), P))
                .isEmpty();
    }

    @Test
    void expiredLatestVersionStaysUntilTheHorizonPassesIt() {
        Indicator expired = expiring(indicator("i", IP, "11:00"), "10:00");
        assertThat(IndicatorVersions.prune(new Indicator[] {expired}, at("10:59"), P))
                .containsExactly(expired);
        assertThat(IndicatorVersions.prune(new Indicator[] {expired}, at("11:01"), P)).isEmpty();
    }

    @Test
    void futureReactivationKeepsARevokedIndicator() {
        Indicator a = revoked(indicator("i", IP, "10:00"));
        Indicator b = indicator("i", IP, "12:00");
        assertThat(IndicatorVersions.prune(new Indicator[] {a, b}, at("11:00"), P))
                .containsExactly(a, b);
    }

    @Test
    void unchangedVersionsAreReturnedAsTheSameArray() {
        Indicator[] v = {indicator("i", IP, "10:00")};
        assertThat(IndicatorVersions.prune(v, at("10:30"), P)).isSameAs(v);
    }
}

package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.DAY_NANOS;
import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.expiring;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.IndicatorTimeline;
import io.tiflink.vmconn.model.IpIndicators;
import io.tiflink.vmconn.testing.MapBroadcastState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The broadcast indicator store on plain maps (SPEC 1.5, 1.6): versions, time to live, tombstones.
 */
class IndicatorStoreTest {

    private static final long P = 14 * DAY_NANOS;

    private final MapBroadcastState<String, IpIndicators> byIp = new MapBroadcastState<>();
    private final MapBroadcastState<String, String[]> ipsById = new MapBroadcastState<>();
    private final MapBroadcastState<String, Long> tombstones = new MapBroadcastState<>();
    private final IndicatorStore store = new IndicatorStore(byIp, ipsById, tombstones);

    private String[] timeline(String ip, String id) {
        IpIndicators entry = byIp.get(ip);
        IndicatorTimeline t = entry == null ? null : entry.find(id);
        return t == null
                ? new String[0]
                : Arrays.stream(t.versions)
                        .map(v -> v.ip + "@" + v.timeGenerated)
                        .toArray(String[]::new);
    }

    @Test
    void versionsOfOneIndicatorAreKeptInTimeOrderUnderEveryIpTheyName() throws Exception {
        assertThat(store.add(indicator("i1", "203.0.113.7", "10:00")))
                .isEqualTo(IndicatorStore.Added.NEW_INDICATOR);
        assertThat(store.add(indicator("i1", "198.51.100.1", "11:00")))
                .isEqualTo(IndicatorStore.Added.VERSION);
        assertThat(store.add(indicator("i1", "203.0.113.7", "09:00")))
                .isEqualTo(IndicatorStore.Added.VERSION);
        String[] expected = {
            "203.0.113.7@" + at("09:00"),
            "203.0.113.7@" + at("10:00"),
            "198.51.100.1@" + at("11:00")
        };
        assertThat(timeline("203.0.113.7", "i1")).containsExactly(expected);
        assertThat(timeline("198.51.100.1", "i1")).containsExactly(expected);
        assertThat(ipsById.get("i1")).containsExactly("198.51.100.1", "203.0.113.7");
    }

    @Test
    void timelinesOfOneIpAreSortedByIndicatorId() throws Exception {
        store.add(indicator("i2", "203.0.113.7", "10:00"));
        store.add(indicator("i1", "203.0.113.7", "10:00"));
        assertThat(Arrays.stream(byIp.get("203.0.113.7").timelines).map(t -> t.indicatorId))
                .containsExactly("i1", "i2");
    }

    @Test
    void sweepDropsVersionsSupersededBeforeTheHorizonAndKeepsTheOneInForce() throws Exception {
        store.add(indicator("i1", "203.0.113.7", "10:00"));
        store.add(indicator("i1", "203.0.113.7", "11:00"));
        assertThat(store.sweep(at("12:00"), P)).isEqualTo(1);
        assertThat(timeline("203.0.113.7", "i1")).containsExactly("203.0.113.7@" + at("11:00"));
    }

    @Test
    void indicatorLeavesTheStateAtItsExpiryAndAnIpNoOneNamesIsRemoved() throws Exception {
        store.add(expiring(indicator("i1", "203.0.113.7", "10:00"), "10:30"));
        assertThat(store.sweep(at("10:29"), P)).isEqualTo(1);
        assertThat(store.sweep(at("10:31"), P)).isZero();
        assertThat(byIp.map).isEmpty();
        assertThat(ipsById.map).isEmpty();
        assertThat(tombstones.map).containsKey("i1");
    }

    @Test
    void anOlderRowArrivingAfterTheIndicatorLeftIsSuperseded() throws Exception {
        store.add(revoked(indicator("i1", "203.0.113.7", "10:00")));
        store.sweep(at("10:01"), P);
        assertThat(byIp.map).isEmpty();
        assertThat(store.add(indicator("i1", "203.0.113.7", "09:00")))
                .isEqualTo(IndicatorStore.Added.SUPERSEDED);
        assertThat(IndicatorStore.isSuperseded(tombstones, "i1", at("09:00"))).isTrue();
        assertThat(byIp.map).isEmpty();
        assertThat(store.add(indicator("i1", "203.0.113.7", "10:05")))
                .as("a newer row brings it back")
                .isEqualTo(IndicatorStore.Added.NEW_INDICATOR);
        assertThat(tombstones.map).isEmpty();
    }

    @Test
    void tombstonesLeaveAfterP() throws Exception {
        store.add(revoked(indicator("i1", "203.0.113.7", "10:00")));
        store.sweep(at("10:01"), P);
        store.sweep(at("10:00") + P + 1, P);
        assertThat(tombstones.map).isEmpty();
    }

    @Test
    void countIsOneEntryPerIndicator() throws Exception {
        store.add(indicator("i1", "203.0.113.7", "10:00"));
        store.add(indicator("i1", "198.51.100.1", "11:00"));
        store.add(indicator("i2", "203.0.113.7", "10:00"));
        assertThat(IndicatorStore.count(ipsById)).isEqualTo(2);
    }
}

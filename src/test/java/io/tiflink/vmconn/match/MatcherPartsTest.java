package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.connection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The matcher's small parts: keys, the target index, its counting set, the kept chunks. */
class MatcherPartsTest {

    @Test
    void bucketsAreTheFirst16BitsOfIpv4AndTheFirst32OfIpv6() {
        assertThat(MatcherKeys.bucketOf("203.0.113.7")).isEqualTo("#203.0");
        assertThat(MatcherKeys.bucketOf(IpAddress.parse("203.0.200.1"))).isEqualTo("#203.0");
        assertThat(MatcherKeys.bucketOf("2001:db8:1::5")).isEqualTo("#2001:db8");
        assertThat(MatcherKeys.bucketOf(IpAddress.parse("2001:db8:ffff::1")))
                .isEqualTo("#2001:db8");
        assertThat(MatcherKeys.isBucket("#203.0")).isTrue();
        assertThat(MatcherKeys.isBucket("203.0.113.7")).as("a 1.x key").isFalse();
    }

    @Test
    void aRangeGoesToEveryBucketItSpansAndNoMore() {
        assertThat(MatcherKeys.bucketsOf(new String[] {"198.51.100.0/24"}))
                .containsExactly("#198.51");
        assertThat(MatcherKeys.bucketsOf(new String[] {"100.0.0.0/14"}))
                .containsExactly("#100.0", "#100.1", "#100.2", "#100.3");
        assertThat(MatcherKeys.bucketsOf(new String[] {"10.0.0.0/8"})).hasSize(256);
        assertThat(MatcherKeys.bucketsOf(new String[] {"2001:db8::/32", "2001:db8:5::/48"}))
                .containsExactly("#2001:db8");
        assertThat(MatcherKeys.bucketsOf(new String[] {"2001:db8::/31"}))
                .containsExactly("#2001:db8", "#2001:db9");
        assertThatThrownBy(() -> MatcherKeys.bucketsOf(new String[] {"10.0.0.0/7"}))
                .hasMessageContaining("256");
    }

    @Test
    void countingSetAgreesWithAMapUnderRandomAddsAndRemoves() {
        LongCounts set = new LongCounts();
        Map<Long, Integer> reference = new HashMap<>();
        Random r = new Random(7);
        for (int k = 0; k < 200_000; k++) {
            long key = r.nextInt(5_000) - 100; // 0 and negatives included, many collisions
            if (r.nextInt(3) == 0) {
                set.remove(key);
                reference.computeIfPresent(key, (x, n) -> n > 1 ? n - 1 : null);
            } else {
                set.add(key);
                reference.merge(key, 1, Integer::sum);
            }
            if (k % 997 == 0) {
                for (long probe = -100; probe < 4_900; probe += 7) {
                    assertThat(set.contains(probe)).isEqualTo(reference.containsKey(probe));
                }
            }
        }
        reference.keySet().forEach(key -> assertThat(set.contains(key)).isTrue());
    }

    @Test
    void targetIndexFindsTheAddressAndEveryRangeAroundIt() {
        TargetIndex index = new TargetIndex();
        for (String t :
                List.of("203.0.113.7", "203.0.113.0/24", "203.0.0.0/16", "198.51.100.0/24")) {
            index.add(t);
        }
        List<String> out = new ArrayList<>();
        index.candidates(IpAddress.parse("203.0.113.7"), false, out);
        assertThat(out).containsExactly("203.0.113.7", "203.0.113.0/24", "203.0.0.0/16");
        out.clear();
        index.candidates(IpAddress.parse("203.0.113.7"), true, out);
        assertThat(out).as("an excluded address: no range holds it").containsExactly("203.0.113.7");
        index.remove("203.0.113.0/24");
        out.clear();
        index.candidates(IpAddress.parse("203.0.113.9"), false, out);
        assertThat(out).containsExactly("203.0.0.0/16");
        assertThat(index.mayCover(IpAddress.parse("192.0.2.1"), false)).isFalse();
    }

    @Test
    void keptConnectionsUnpackAsTheyWereAndSealFullChunks() throws Exception {
        io.tiflink.vmconn.testing.MapState<Long, KeptChunk> state =
                new io.tiflink.vmconn.testing.MapState<>();
        KeptConnections kept = new KeptConnections(state, KeptConnections.SPAN_MILLIS);
        List<Connection> added = new ArrayList<>();
        for (int k = 0; k < KeptConnections.CHUNK_RECORDS * 2 + 5; k++) {
            Connection c = connection("203.0." + (k % 200) + ".7", "10:05:" + (10 + k % 40));
            c.late = k % 3 == 0;
            added.add(c);
            kept.add(
                    c,
                    IpAddress.parse(c.ip),
                    EventTimes.toMillis(c.timeGenerated),
                    k % 5 == 0 ? 42L : Long.MIN_VALUE);
        }
        assertThat(state.map.keySet()).as("a head and two sealed chunks").hasSize(3);
        List<Connection> seen = new ArrayList<>();
        List<Long> judged = new ArrayList<>();
        kept.scan(
                EventTimes.toMillis(added.get(0).timeGenerated),
                EventTimes.toMillis(added.get(0).timeGenerated),
                r -> {
                    seen.add(r.connection());
                    judged.add(r.judgedThroughMillis);
                });
        assertThat(seen).containsExactlyElementsOf(added);
        assertThat(judged.get(0)).isEqualTo(42L);
        assertThat(judged.get(1)).isEqualTo(Long.MIN_VALUE);
        kept.drop(kept.spanOf(EventTimes.toMillis(added.get(0).timeGenerated)));
        assertThat(state.map).isEmpty();
        assertThat(kept.isEmpty()).isTrue();
    }
}

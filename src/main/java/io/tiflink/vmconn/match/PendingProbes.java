package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Indicator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * Indicator versions waiting, in one key (a bucket, or an address of a 1.x savepoint), for the
 * watermark to reach the instant they start matching at. A publication names thousands of
 * indicators of one /16 at one time; kept as one array per instant, each new one would read and
 * write all those before it (quadratic on RocksDB, where a read deserializes the whole array). So
 * the newest {@link #CHUNK} wait in the head ({@code pending-probes}, key the instant: the layout
 * of 1.2.0, which a savepoint of it restores into), and each full head is sealed into {@code
 * pending-probe-chunks} under the key {@code instant * 2^19 + k} (k = 1 to {@link #MAX_SEALED}),
 * whose count {@code pending-probe-chunk-count} holds per instant. Adding one costs a bounded read
 * and write, whatever the number waiting.
 */
final class PendingProbes {

    /** Probes in a head before it is sealed. */
    static final int CHUNK = 128;

    /**
     * Sealed chunks per instant: 67 million probes of one bucket at one instant (the head grows
     * past {@link #CHUNK} beyond them).
     */
    static final int MAX_SEALED = (1 << 19) - 1;

    private final MapState<Long, Indicator[]> heads;
    private final MapState<Long, Indicator[]> sealed;
    private final MapState<Long, Integer> sealedCount;

    PendingProbes(
            MapState<Long, Indicator[]> heads,
            MapState<Long, Indicator[]> sealed,
            MapState<Long, Integer> sealedCount) {
        this.heads = heads;
        this.sealed = sealed;
        this.sealedCount = sealedCount;
    }

    /** A probe waiting for {@code instant}. */
    void add(long instant, Indicator probe) throws Exception {
        Indicator[] head = heads.get(instant);
        if (head != null && head.length >= CHUNK) {
            Integer n = sealedCount.get(instant);
            int count = n == null ? 0 : n;
            if (count < MAX_SEALED) {
                sealed.put(chunkKey(instant, count + 1), head);
                sealedCount.put(instant, count + 1);
                head = null;
            }
        }
        heads.put(instant, append(head, probe));
    }

    /** Every probe waiting for {@code instant}, in the order they came; none waits for it after. */
    List<Indicator> take(long instant) throws Exception {
        Indicator[] head = heads.get(instant);
        if (head == null) {
            return List.of();
        }
        heads.remove(instant);
        Integer n = sealedCount.get(instant);
        if (n == null) {
            return Arrays.asList(head);
        }
        sealedCount.remove(instant);
        List<Indicator> all = new ArrayList<>((n + 1) * CHUNK);
        for (int k = 1; k <= n; k++) {
            long key = chunkKey(instant, k);
            Indicator[] chunk = sealed.get(key);
            if (chunk != null) {
                all.addAll(Arrays.asList(chunk));
                sealed.remove(key);
            }
        }
        all.addAll(Arrays.asList(head));
        return all;
    }

    /**
     * The key of chunk k of an instant. Instants are epoch milliseconds of times within years
     * 1677-2262 (nanoseconds in a long): |instant| < 9.3e12, times 2^19 fits a long.
     */
    static long chunkKey(long instant, int k) {
        return instant * (MAX_SEALED + 1) + k;
    }

    private static Indicator[] append(Indicator[] a, Indicator b) {
        if (a == null) {
            return new Indicator[] {b};
        }
        Indicator[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}

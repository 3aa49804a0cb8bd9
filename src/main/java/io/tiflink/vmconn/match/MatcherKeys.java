package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The matcher's keys. Connections are kept per bucket of addresses: the first 16 bits of an IPv4
 * address ({@code #203.0}), the first 32 of an IPv6 one ({@code #2001:db8}). A bucket holds the
 * connections of many addresses (a long tail of addresses seen once costs one key per bucket, not
 * one per address), and every address of a range lies in the buckets its prefix names, so that an
 * indicator's retro-match reaches every connection kept for it (SPEC 2.2, 6.4c): one bucket for an
 * address or a range of /16 (IPv6 /32) or longer, 2^(16-n) for a shorter IPv4 range, never more
 * than 256 (the broadest ranges allowed are /8 and /24).
 *
 * <p>Keys without the leading {@code #} are canonical addresses: the keys of release 1.x, whose
 * state a restore brings and {@link LegacyIpKeys} serves until it has drained (at most L and the
 * allowed lateness after the restore).
 */
public final class MatcherKeys {

    /** Bits of an IPv4 / IPv6 address that name its bucket. */
    static final int V4_BUCKET_BITS = 16, V6_BUCKET_BITS = 32;

    private static final int MAX_BUCKETS_PER_RANGE = 256;

    private MatcherKeys() {}

    /** The bucket of a canonical address. */
    public static String bucketOf(String canonicalIp) {
        int dot = canonicalIp.indexOf('.');
        if (dot > 0 && canonicalIp.indexOf(':') < 0) {
            return "#" + canonicalIp.substring(0, canonicalIp.indexOf('.', dot + 1));
        }
        IpAddress a = IpAddress.parse(canonicalIp);
        return a == null ? "#?" : bucketOf(a);
    }

    /** The bucket of an address. */
    public static String bucketOf(IpAddress a) {
        if (a.isV4()) {
            long v4 = a.low() & 0xffff_ffffL;
            return "#" + (v4 >>> 24) + "." + ((v4 >>> 16) & 0xff);
        }
        long top = a.high() >>> 32;
        return "#" + Long.toHexString(top >>> 16) + ":" + Long.toHexString(top & 0xffff);
    }

    /** Whether a key is a bucket (else a 1.x address key). */
    public static boolean isBucket(String key) {
        return key.startsWith("#");
    }

    /**
     * The buckets a probe of a version with these canonical targets goes to: every bucket any of
     * its addresses can lie in, each once.
     */
    public static List<String> bucketsOf(String[] targets) {
        Set<String> out = new LinkedHashSet<>();
        for (String text : targets) {
            Target t = Target.parse(text);
            if (t == null) {
                continue;
            }
            int bucketBits = t.isV4() ? 96 + V4_BUCKET_BITS : V6_BUCKET_BITS;
            int spread = Math.max(0, bucketBits - t.prefix128());
            if (spread > 8) {
                throw new IllegalArgumentException(
                        "range " + text + " spans more than " + MAX_BUCKETS_PER_RANGE + " buckets");
            }
            for (long k = 0; k < (1L << spread); k++) {
                out.add(bucketOf(first(t, bucketBits, k)));
            }
        }
        return new ArrayList<>(out);
    }

    /** The k-th bucket-sized block's first address inside the target. */
    private static IpAddress first(Target t, int bucketBits, long k) {
        long high = t.networkHigh();
        long low = t.networkLow();
        int shift = 128 - bucketBits; // bit position of the bucket's lowest bit
        if (shift >= 64) {
            high |= k << (shift - 64);
        } else {
            low |= k << shift;
        }
        return Target.address(high, low);
    }
}

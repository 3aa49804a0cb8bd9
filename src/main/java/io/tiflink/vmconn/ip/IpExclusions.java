package io.tiflink.vmconn.ip;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The set of excluded IP ranges (spec clause 1.3). Immutable.
 *
 * <p>The defaults are the KQL {@code ipv4_is_private} ranges (10.0.0.0/8, 172.16.0.0/12,
 * 192.168.0.0/16), IPv4 loopback 127.0.0.0/8, and IPv6 link-local fe80::/10, ::/96 (unspecified,
 * loopback and IPv4-compatible forms) and unique-local fc00::/7. {@link #withExtra(List)} only ever
 * adds ranges; the defaults are never narrowed. An IPv4-mapped IPv6 address is judged as the IPv4
 * address it maps, since {@link IpAddress#parse(String)} returns it as IPv4.
 */
public final class IpExclusions implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final List<String> DEFAULT_CIDRS =
            List.of(
                    "10.0.0.0/8",
                    "172.16.0.0/12",
                    "192.168.0.0/16",
                    "127.0.0.0/8",
                    "fe80::/10",
                    "::/96",
                    "fc00::/7");

    private static final IpExclusions DEFAULTS = build(new ArrayList<>(), DEFAULT_CIDRS);

    private final List<IpRange> ranges;
    private final List<String> rangeTexts;
    // The ranges laid out flat for a cache-friendly, allocation-free lookup.
    private final long[] networkHigh;
    private final long[] networkLow;
    private final long[] maskHigh;
    private final long[] maskLow;

    private IpExclusions(List<IpRange> ranges) {
        this.ranges = List.copyOf(ranges);
        int n = ranges.size();
        List<String> texts = new ArrayList<>(n);
        networkHigh = new long[n];
        networkLow = new long[n];
        maskHigh = new long[n];
        maskLow = new long[n];
        for (int i = 0; i < n; i++) {
            IpRange r = ranges.get(i);
            texts.add(r.toString());
            networkHigh[i] = r.networkHigh();
            networkLow[i] = r.networkLow();
            maskHigh[i] = r.maskHigh();
            maskLow[i] = r.maskLow();
        }
        this.rangeTexts = List.copyOf(texts);
    }

    private static IpExclusions build(List<IpRange> base, List<String> cidrs) {
        List<IpRange> all = new ArrayList<>(base);
        for (String cidr : cidrs) {
            IpRange range = IpRange.parse(cidr); // IllegalArgumentException names the text
            if (!all.contains(range)) {
                all.add(range);
            }
        }
        return new IpExclusions(all);
    }

    /** The default exclusions. */
    public static IpExclusions defaults() {
        return DEFAULTS;
    }

    /**
     * These exclusions plus {@code cidrs} (e.g. {@code 100.64.0.0/10}, {@code 169.254.0.0/16}).
     * Ranges already present are not listed twice. A null or empty list returns {@code this}.
     *
     * @throws IllegalArgumentException naming the text of the first bad CIDR (including null)
     */
    public IpExclusions withExtra(List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return this;
        }
        return build(ranges, cidrs);
    }

    /** True when {@code ip} falls in any excluded range; false for null. */
    public boolean isExcluded(IpAddress ip) {
        if (ip == null) {
            return false;
        }
        long high = ip.high();
        long low = ip.low();
        long[] nh = networkHigh;
        long[] nl = networkLow;
        long[] mh = maskHigh;
        long[] ml = maskLow;
        for (int i = 0; i < nh.length; i++) {
            if ((low & ml[i]) == nl[i] && (high & mh[i]) == nh[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * SPEC 6.4b: true when every address of {@code range} lies in the excluded ranges taken
     * together (several exclusions may cover its parts: 100.64.0.0/11 and 100.96.0.0/11 cover
     * 100.64.0.0/10); false for null. An IPv4 range is judged against the IPv4 exclusions only and
     * an IPv6 range against the IPv6 ones, as an IPv4 range holds IPv4 addresses only and a
     * connection's address is never an IPv4-mapped IPv6 address. For a single address this is
     * {@link #isExcluded} (but for an IPv6 exclusion that holds IPv4-mapped addresses).
     */
    public boolean coversWholly(IpRange range) {
        if (range == null) {
            return false;
        }
        List<IpRange> family = new ArrayList<>();
        for (IpRange r : ranges) {
            if (r.isV4() == range.isV4()) {
                family.add(r);
            }
        }
        return covered(range.networkHigh(), range.networkLow(), range.prefix128(), family);
    }

    /**
     * Whether the block (high, low)/prefix128 is covered: by one exclusion that holds it, or, when
     * some exclusions lie inside it, by covering each of its two halves.
     */
    private static boolean covered(long high, long low, int prefix128, List<IpRange> exclusions) {
        boolean partly = false;
        for (IpRange e : exclusions) {
            if (e.prefix128() <= prefix128) {
                if ((high & e.maskHigh()) == e.networkHigh()
                        && (low & e.maskLow()) == e.networkLow()) {
                    return true;
                }
            } else if (inBlock(e.networkHigh(), e.networkLow(), high, low, prefix128)) {
                partly = true;
            }
        }
        if (!partly || prefix128 == 128) {
            return false;
        }
        // The half with bit number prefix128 (from the left) set.
        long upperHigh = prefix128 < 64 ? high | (1L << (63 - prefix128)) : high;
        long upperLow = prefix128 < 64 ? low : low | (1L << (127 - prefix128));
        return covered(high, low, prefix128 + 1, exclusions)
                && covered(upperHigh, upperLow, prefix128 + 1, exclusions);
    }

    /** Whether the address (high, low) lies in the block (blockHigh, blockLow)/prefix128. */
    private static boolean inBlock(
            long high, long low, long blockHigh, long blockLow, int prefix128) {
        long maskHigh = prefix128 >= 64 ? -1L : (prefix128 == 0 ? 0L : -1L << (64 - prefix128));
        long maskLow = prefix128 <= 64 ? 0L : (prefix128 == 128 ? -1L : -1L << (128 - prefix128));
        return (high & maskHigh) == blockHigh && (low & maskLow) == blockLow;
    }

    /** The ranges as canonical CIDR text, defaults first, then extras in the order added. */
    public List<String> ranges() {
        return rangeTexts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpExclusions && ranges.equals(((IpExclusions) o).ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return "IpExclusions" + rangeTexts;
    }
}

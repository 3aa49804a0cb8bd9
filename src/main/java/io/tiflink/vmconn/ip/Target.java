package io.tiflink.vmconn.ip;

/**
 * What an indicator version names (SPEC 1.2, 6.4): one address, or a range of addresses, read from
 * the canonical text the row checks gave it ({@code 203.0.113.7}, {@code 198.51.100.0/24}, {@code
 * 2001:db8::/32}). Values are 128 bits, IPv4 as IPv4-mapped, as in {@link IpAddress}; the prefix
 * length is counted in those 128 bits (an IPv4 /24 is 120).
 */
public final class Target {

    private final long networkHigh;
    private final long networkLow;
    private final int prefix128;

    private Target(long high, long low, int prefix128) {
        this.prefix128 = prefix128;
        this.networkHigh = high & maskHigh(prefix128);
        this.networkLow = low & maskLow(prefix128);
    }

    /** The target a canonical text names; null when it is neither an address nor a CIDR range. */
    public static Target parse(String canonical) {
        if (canonical == null) {
            return null;
        }
        int slash = canonical.indexOf('/');
        if (slash < 0) {
            IpAddress a = IpAddress.parse(canonical);
            return a == null ? null : new Target(a.high(), a.low(), 128);
        }
        try {
            IpRange r = IpRange.parse(canonical);
            return new Target(r.networkHigh(), r.networkLow(), prefixOf(r));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int prefixOf(IpRange r) {
        int p = 0;
        long mh = r.maskHigh();
        long ml = r.maskLow();
        p += Long.bitCount(mh);
        p += Long.bitCount(ml);
        return p;
    }

    /** Whether {@code ip} is this address, or lies in this range. */
    public boolean contains(IpAddress ip) {
        return (ip.high() & maskHigh(prefix128)) == networkHigh
                && (ip.low() & maskLow(prefix128)) == networkLow;
    }

    /** A single address (/32 IPv4, /128 IPv6), not a range. */
    public boolean isAddress() {
        return prefix128 == 128;
    }

    /** The prefix length in 128-bit terms (IPv4 /n is 96 + n; an address is 128). */
    public int prefix128() {
        return prefix128;
    }

    public long networkHigh() {
        return networkHigh;
    }

    public long networkLow() {
        return networkLow;
    }

    /** Whether the target is IPv4 (inside ::ffff:0:0/96). */
    public boolean isV4() {
        return prefix128 >= 96
                && networkHigh == 0L
                && (networkLow & 0xffff_ffff_0000_0000L) == IpAddress.V4_MAPPED_PREFIX;
    }

    /**
     * The canonical text of the range of {@code prefix128} bits that holds {@code ip}: the address
     * itself for 128, else network/prefix as the row checks write ranges.
     */
    public static String textOf(IpAddress ip, int prefix128) {
        if (prefix128 >= 128) {
            return ip.canonical();
        }
        IpAddress network =
                IpAddress.of(ip.high() & maskHigh(prefix128), ip.low() & maskLow(prefix128));
        return network.canonical() + '/' + (network.isV4() ? prefix128 - 96 : prefix128);
    }

    /** The address with this 128-bit value (IPv4-mapped values are IPv4 addresses). */
    public static IpAddress address(long high, long low) {
        return IpAddress.of(high, low);
    }

    /** A 64-bit digest of the first {@code prefix128} bits of the value (for hash lookups). */
    public static long fingerprint(long high, long low, int prefix128) {
        long h = high & maskHigh(prefix128);
        long l = low & maskLow(prefix128);
        long x = h * 0x9E37_79B9_7F4A_7C15L ^ l;
        x ^= x >>> 31;
        x *= 0xBF58_476D_1CE4_E5B9L;
        return x ^ (x >>> 29);
    }

    static long maskHigh(int prefix128) {
        return prefix128 >= 64 ? -1L : prefix128 == 0 ? 0L : -1L << (64 - prefix128);
    }

    static long maskLow(int prefix128) {
        return prefix128 <= 64 ? 0L : prefix128 == 128 ? -1L : -1L << (128 - prefix128);
    }
}

package io.tiflink.vmconn.ip;

import java.io.Serializable;

/**
 * A CIDR range of IPv4 or IPv6 addresses (spec clause 1.3).
 *
 * <p>Ranges compare 128-bit values. An IPv4 range {@code a.b.c.d/n} is the IPv4-mapped range {@code
 * ::ffff:a.b.c.d/(96 + n)}, so it contains IPv4 addresses only. Host bits below the prefix are
 * cleared: {@code 10.1.2.3/8} is the range {@code 10.0.0.0/8}.
 */
public final class IpRange implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long networkHigh;
    private final long networkLow;
    private final long maskHigh;
    private final long maskLow;

    /** Prefix length in 128-bit terms (96 + n for IPv4). */
    private final int prefix128;

    private final String text;

    private IpRange(long high, long low, int prefix128) {
        this.maskHigh = prefix128 >= 64 ? -1L : (prefix128 == 0 ? 0L : -1L << (64 - prefix128));
        this.maskLow = prefix128 <= 64 ? 0L : (prefix128 == 128 ? -1L : -1L << (128 - prefix128));
        this.networkHigh = high & maskHigh;
        this.networkLow = low & maskLow;
        this.prefix128 = prefix128;
        IpAddress network = IpAddress.of(networkHigh, networkLow);
        this.text = network.canonical() + '/' + (network.isV4() ? prefix128 - 96 : prefix128);
    }

    /**
     * Parses CIDR text: {@code a.b.c.d/n} (n 0..32) or an IPv6 address with {@code /n} (n 0..128).
     * A bare address is a single-address range (/32 or /128). A prefix written after an IPv6
     * literal is a 128-bit prefix even when the literal is IPv4-mapped ({@code ::ffff:10.0.0.0/104}
     * is {@code 10.0.0.0/8}). Surrounding white space is ignored.
     *
     * @throws IllegalArgumentException naming the text when it is not valid CIDR
     */
    public static IpRange parse(String cidr) {
        IpRange range = parseValue(cidr);
        if (range != null) {
            return range;
        }
        if (cidr == null) {
            throw new IllegalArgumentException("Invalid CIDR range: null");
        }
        String trimmed = cidr.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (addressOf(addressText) == null) {
            throw new IllegalArgumentException(
                    "Invalid CIDR range '"
                            + cidr
                            + "': '"
                            + addressText
                            + "' is not an IP address");
        }
        throw new IllegalArgumentException(
                "Invalid CIDR range '"
                        + cidr
                        + "': prefix length must be a number from 0 to "
                        + (addressText.indexOf(':') >= 0 ? 128 : 32));
    }

    /**
     * Reads an indicator value (SPEC 1.2, 6.4a) as {@link #parse} does, without throwing: an
     * address (a single-address range) or CIDR text; null when it is neither. {@code
     * 198.51.100.7/24} is {@code 198.51.100.0/24}, {@code ::ffff:198.51.100.0/120} is {@code
     * 198.51.100.0/24}, {@code 198.51.100.7/32} is the address 198.51.100.7 ({@link #isAddress}).
     */
    public static IpRange parseValue(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        IpAddress address = addressOf(addressText);
        if (address == null) {
            return null;
        }
        boolean writtenAsV6 = addressText.indexOf(':') >= 0;
        int max = writtenAsV6 ? 128 : 32;
        int prefix = slash < 0 ? max : parsePrefix(trimmed, slash + 1);
        if (prefix < 0 || prefix > max) {
            return null;
        }
        return new IpRange(address.high(), address.low(), writtenAsV6 ? prefix : 96 + prefix);
    }

    /** The address before the '/'; null when it is not one or ends in white space. */
    private static IpAddress addressOf(String addressText) {
        // "1.2.3.0 /24" is rejected: white space is only allowed around the whole text.
        return addressText.isEmpty() || addressText.charAt(addressText.length() - 1) <= ' '
                ? null
                : IpAddress.parse(addressText);
    }

    /** Decimal digits from {@code from} to the end (1 to 3 of them), or -1. */
    private static int parsePrefix(String s, int from) {
        int len = s.length() - from;
        if (len < 1 || len > 3) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** True when {@code ip} is in this range; false for null. */
    public boolean contains(IpAddress ip) {
        return ip != null
                && (ip.high() & maskHigh) == networkHigh
                && (ip.low() & maskLow) == networkLow;
    }

    /** True when this is an IPv4 range (inside {@code ::ffff:0:0/96}). */
    public boolean isV4() {
        return prefix128 >= 96
                && networkHigh == 0L
                && (networkLow & 0xffff_ffff_0000_0000L) == IpAddress.V4_MAPPED_PREFIX;
    }

    /** True when the range is one address: /32 for IPv4, /128 for IPv6 (SPEC 6.4a). */
    public boolean isAddress() {
        return prefix128 == 128;
    }

    /** The prefix length as written for its family: 0..32 for IPv4, 0..128 for IPv6. */
    public int prefixLength() {
        return isV4() ? prefix128 - 96 : prefix128;
    }

    /** The network address (host bits cleared). */
    public IpAddress network() {
        return IpAddress.of(networkHigh, networkLow);
    }

    /**
     * The canonical text of an indicator target (SPEC 1.2, 6.4a): the address alone when {@link
     * #isAddress}, else network/prefix as {@link #toString}.
     */
    public String canonicalTarget() {
        return isAddress() ? network().canonical() : text;
    }

    int prefix128() {
        return prefix128;
    }

    long networkHigh() {
        return networkHigh;
    }

    long networkLow() {
        return networkLow;
    }

    long maskHigh() {
        return maskHigh;
    }

    long maskLow() {
        return maskLow;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IpRange)) {
            return false;
        }
        IpRange other = (IpRange) o;
        return networkHigh == other.networkHigh
                && networkLow == other.networkLow
                && prefix128 == other.prefix128;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(networkHigh) + Long.hashCode(networkLow)) + prefix128;
    }

    /** Canonical CIDR text, e.g. {@code 10.0.0.0/8} or {@code fe80::/10}. */
    @Override
    public String toString() {
        return text;
    }
}

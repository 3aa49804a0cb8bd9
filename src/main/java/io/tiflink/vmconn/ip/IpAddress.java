package io.tiflink.vmconn.ip;

import java.io.Serializable;

/**
 * An IPv4 or IPv6 address literal (spec clause 1.2).
 *
 * <p>Parsing is strict, by hand and never touches DNS: {@link #parse(String)} returns {@code null}
 * for anything that is not an address literal (hostnames, CIDR text, zone ids, brackets, ports).
 *
 * <p>The value is kept as 128 bits ({@link #high()} / {@link #low()}). An IPv4 address {@code
 * a.b.c.d} is stored as its IPv4-mapped form {@code ::ffff:a.b.c.d}; conversely every IPv4-mapped
 * IPv6 literal parses to the IPv4 address, so the two spellings are equal.
 *
 * <p>{@link #canonical()} is the dotted quad for IPv4 and RFC 5952 text for IPv6. It is built once,
 * on first use.
 */
public final class IpAddress implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The upper 32 bits of {@link #low()} for an IPv4-mapped address ({@code ::ffff:0:0/96}). */
    static final long V4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long high;
    private final long low;

    /** Built lazily; the racy single-check is safe because String is immutable. */
    private transient String canonical;

    private IpAddress(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** The address with the given 128-bit value; IPv4-mapped values are IPv4 addresses. */
    static IpAddress of(long high, long low) {
        return new IpAddress(high, low);
    }

    /** The IPv4 address with the given 32 bits. */
    static IpAddress ofV4(int bits) {
        return new IpAddress(0L, V4_MAPPED_PREFIX | (bits & 0xffff_ffffL));
    }

    /**
     * Parses an IPv4 or IPv6 address literal.
     *
     * @param text the literal; leading and trailing white space (any char {@code <= ' '}) is
     *     ignored
     * @return the address, or {@code null} when {@code text} is null or not an address literal
     */
    public static IpAddress parse(String text) {
        if (text == null) {
            return null;
        }
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        if (start == end) {
            return null;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == ':') {
                return parseV6(text, start, end);
            }
        }
        long v4 = parseV4(text, start, end);
        return v4 < 0 ? null : new IpAddress(0L, V4_MAPPED_PREFIX | v4);
    }

    /** Parses a dotted quad in {@code [start, end)}; returns the 32 bits, or -1 when invalid. */
    private static long parseV4(String s, int start, int end) {
        long bits = 0;
        int parts = 0;
        int i = start;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < end) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                if (value > 255) {
                    return -1;
                }
                digits++;
                i++;
            }
            if (digits == 0) {
                return -1;
            }
            bits = (bits << 8) | value;
            parts++;
            if (i == end) {
                return parts == 4 ? bits : -1;
            }
            if (parts == 4 || s.charAt(i) != '.') {
                return -1;
            }
            i++; // past '.'
        }
    }

    private static IpAddress parseV6(String s, int start, int end) {
        int[] groups = new int[8];
        int count = 0;
        int compressAt = -1; // number of groups before "::", or -1
        int i = start;
        if (s.charAt(i) == ':') {
            if (i + 1 >= end || s.charAt(i + 1) != ':') {
                return null;
            }
            compressAt = 0;
            i += 2;
        }
        while (i < end) {
            int groupStart = i;
            int value = 0;
            while (i < end) {
                int d = hexValue(s.charAt(i));
                if (d < 0) {
                    break;
                }
                value = (value << 4) | d;
                i++;
                if (i - groupStart > 4) {
                    break; // too long for a hex group; may still be nothing valid at all
                }
            }
            int digits = i - groupStart;
            if (i < end && s.charAt(i) == '.') {
                // Embedded IPv4 dotted quad: must be the last 32 bits.
                if (count > 6) {
                    return null;
                }
                long v4 = parseV4(s, groupStart, end);
                if (v4 < 0) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                break;
            }
            if (digits == 0 || digits > 4 || count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null; // '%', '/', ']', white space, other junk
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (compressAt >= 0) {
                    return null; // a second "::"
                }
                compressAt = count;
                i++;
            } else if (i == end) {
                return null; // trailing single ':'
            }
        }
        if (compressAt >= 0 ? count > 7 : count != 8) {
            return null;
        }
        long high = 0;
        long low = 0;
        int fill = 8 - count; // zero groups inserted at compressAt
        int src = 0;
        for (int g = 0; g < 8; g++) {
            int value;
            if (compressAt >= 0 && g >= compressAt && g < compressAt + fill) {
                value = 0;
            } else {
                value = groups[src++];
            }
            if (g < 4) {
                high = (high << 16) | value;
            } else {
                low = (low << 16) | value;
            }
        }
        return new IpAddress(high, low);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** True for IPv4 addresses, including those written as IPv4-mapped IPv6. */
    public boolean isV4() {
        return high == 0L && (low & 0xffff_ffff_0000_0000L) == V4_MAPPED_PREFIX;
    }

    /** The upper 64 bits of the 128-bit value (0 for IPv4). */
    public long high() {
        return high;
    }

    /** The lower 64 bits of the 128-bit value ({@code 0x0000_ffff_xxxx_xxxx} for IPv4). */
    public long low() {
        return low;
    }

    /** Dotted quad for IPv4; lower-case RFC 5952 text for IPv6. */
    public String canonical() {
        String c = canonical;
        if (c == null) {
            c = isV4() ? formatV4((int) low) : formatV6();
            canonical = c;
        }
        return c;
    }

    private static String formatV4(int bits) {
        StringBuilder sb = new StringBuilder(15);
        sb.append((bits >>> 24) & 0xff)
                .append('.')
                .append((bits >>> 16) & 0xff)
                .append('.')
                .append((bits >>> 8) & 0xff)
                .append('.')
                .append(bits & 0xff);
        return sb.toString();
    }

    private int group(int g) {
        long word = g < 4 ? high : low;
        return (int) (word >>> (16 * (3 - (g & 3)))) & 0xffff;
    }

    private String formatV6() {
        // Longest run of >= 2 zero groups; the first one wins a tie.
        int bestStart = -1;
        int bestLen = 1;
        int runStart = -1;
        for (int g = 0; g <= 8; g++) {
            if (g < 8 && group(g) == 0) {
                if (runStart < 0) {
                    runStart = g;
                }
            } else if (runStart >= 0) {
                int len = g - runStart;
                if (len > bestLen) {
                    bestLen = len;
                    bestStart = runStart;
                }
                runStart = -1;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            appendHex(sb, group(g));
        }
        return sb.toString();
    }

    private static void appendHex(StringBuilder sb, int value) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (value >>> shift) & 0xf;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IpAddress)) {
            return false;
        }
        IpAddress other = (IpAddress) o;
        return high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(high) + Long.hashCode(low);
    }

    @Override
    public String toString() {
        return canonical();
    }
}

package io.tiflink.vmconn.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The oracle's own IP address parser, canonicaliser and exclusion check (SPEC 1.2, 1.3). Written
 * independently of the production code; deliberately plain.
 *
 * <p>Accepted text (after stripping surrounding white space):
 *
 * <ul>
 *   <li>IPv4: exactly four dot-separated decimal parts, each 0..255, no leading zeros ("01.2.3.4"
 *       is rejected as ambiguous), no other forms ("1.2.3", "0x7f.0.0.1").
 *   <li>IPv6: RFC 4291 text: 8 groups of 1..4 hex digits, at most one "::" standing for one or more
 *       zero groups, optionally ending in a dotted quad. No zone id ("%eth0"), no brackets, no
 *       prefix length.
 * </ul>
 *
 * Anything else (including CIDR text "1.2.3.0/24") is not an IP: {@link #parse} reads addresses
 * only, as a connection's RemoteIp must be one (SPEC 2.1). An indicator value may also be a range
 * (SPEC 6.4): {@link #parseValue} reads both.
 *
 * <p>CIDR text read by {@link #parseValue}: an address as above (IPv6 without the IPv4-mapped
 * conversion), then "/", then one to three decimal digits, no white space around the "/". The
 * prefix length must not exceed the address length (32 or 128).
 */
public final class RefIp {

    private RefIp() {}

    /** Address bytes: 4 for IPv4 (including IPv4-mapped IPv6), 16 for IPv6; null when not an IP. */
    public static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return parseV4(s);
        }
        byte[] v6 = parseV6(s);
        if (v6 == null) {
            return null;
        }
        if (isMapped(v6)) {
            return new byte[] {v6[12], v6[13], v6[14], v6[15]};
        }
        return v6;
    }

    /** Canonical text (IPv4 dotted quad, IPv6 RFC 5952), or null when {@code text} is not an IP. */
    public static String canonical(String text) {
        byte[] a = parse(text);
        return a == null ? null : format(a);
    }

    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: the longest run (length >= 2) of zero groups becomes "::"; the first on a
        // tie.
        int bestStart = -1;
        int bestLen = 0;
        int i = 0;
        while (i < 8) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestLen = j - i;
                    bestStart = i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    static boolean isMapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    }

    static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static byte[] parseV6(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean ok =
                    (c >= '0' && c <= '9')
                            || (c >= 'a' && c <= 'f')
                            || (c >= 'A' && c <= 'F')
                            || c == ':'
                            || c == '.';
            if (!ok) {
                return null;
            }
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null; // two "::" (also catches ":::")
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (dc >= 0) {
            String h = s.substring(0, dc);
            String t = s.substring(dc + 2);
            if (!groups(h, head, false) || !groups(t, tail, true)) {
                return null;
            }
            if (head.size() + tail.size() > 7) {
                return null;
            }
        } else {
            if (!groups(s, head, true) || head.size() != 8) {
                return null;
            }
        }
        int[] g = new int[8];
        for (int i = 0; i < head.size(); i++) {
            g[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            g[8 - tail.size() + i] = tail.get(i);
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (g[i] >> 8);
            out[2 * i + 1] = (byte) g[i];
        }
        return out;
    }

    /**
     * Splits a colon-separated run of groups; a dotted quad is allowed as the last element when
     * {@code last}.
     */
    private static boolean groups(String s, List<Integer> out, boolean last) {
        if (s.isEmpty()) {
            return true;
        }
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.indexOf('.') >= 0) {
                if (!last || i != parts.length - 1) {
                    return false;
                }
                byte[] v4 = parseV4(p);
                if (v4 == null) {
                    return false;
                }
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return false;
            }
            out.add(Integer.parseInt(p, 16));
        }
        return true;
    }

    // ---------------------------------------------------------------- exclusions (SPEC 1.3)

    /** A CIDR range. IPv4-mapped IPv6 ranges with prefix >= 96 are turned into IPv4 ranges. */
    public record Cidr(byte[] network, int prefix) {

        public static Cidr parse(String text) {
            String s = text.strip();
            int slash = s.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not a CIDR range: " + text);
            }
            String addr = s.substring(0, slash);
            int prefix = Integer.parseInt(s.substring(slash + 1));
            byte[] a = addr.indexOf(':') >= 0 ? parseV6(addr) : parseV4(addr);
            if (a == null) {
                throw new IllegalArgumentException("not a CIDR range: " + text);
            }
            if (a.length == 16 && isMapped(a) && prefix >= 96) {
                a = new byte[] {a[12], a[13], a[14], a[15]};
                prefix -= 96;
            }
            if (prefix < 0 || prefix > a.length * 8) {
                throw new IllegalArgumentException("bad prefix length: " + text);
            }
            return new Cidr(a, prefix);
        }

        /** True when this is one address (/32 or /128), not a range. */
        public boolean isAddress() {
            return prefix == network.length * 8;
        }

        /**
         * Canonical text (SPEC 6.4a): the address in canonical form, and for a range "/" and the
         * prefix length (the network address is canonical when host bits were cleared, as {@link
         * RefIp#parseValue} does).
         */
        public String canonical() {
            return isAddress() ? format(network) : format(network) + "/" + prefix;
        }

        public boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int byteIdx = bit / 8;
                int mask = 0x80 >> (bit % 8);
                if ((addr[byteIdx] & mask) != (network[byteIdx] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- values and ranges (SPEC 6.4)

    /**
     * SPEC 1.2 / 6.4a: an indicator value, surrounding white space ignored: an address, or a range
     * in CIDR notation; null when it is neither. /32 (IPv4) and /128 (IPv6) are the address itself;
     * {@code ::ffff:a.b.c.d/n} with n >= 96 is the IPv4 range a.b.c.d/(n-96); host bits are
     * cleared. An address is returned as a {@link Cidr} with the full prefix length.
     */
    public static Cidr parseValue(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            byte[] a = parse(s);
            return a == null ? null : new Cidr(a, a.length * 8);
        }
        String addr = s.substring(0, slash);
        String len = s.substring(slash + 1);
        if (!PREFIX.matcher(len).matches()) {
            return null;
        }
        int prefix = Integer.parseInt(len);
        byte[] a = addr.indexOf(':') >= 0 ? parseV6(addr) : parseV4(addr);
        if (a == null) {
            return null;
        }
        if (a.length == 16 && isMapped(a) && prefix >= 96) {
            a = new byte[] {a[12], a[13], a[14], a[15]};
            prefix -= 96;
        }
        if (prefix > a.length * 8) {
            return null;
        }
        return new Cidr(masked(a, prefix), prefix);
    }

    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    /** The address with every bit from {@code prefix} on cleared. */
    static byte[] masked(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return out;
    }

    /**
     * SPEC 6.4b: true when every address of the range (or the address) lies in the default
     * exclusions or the extra ones, together: a range is also covered when several exclusions cover
     * its parts.
     */
    public static boolean isWhollyExcluded(Cidr range, List<Cidr> extra) {
        List<Cidr> all = new ArrayList<>(DEFAULT_EXCLUSIONS);
        all.addAll(extra);
        return covered(range.network(), range.prefix(), all);
    }

    private static boolean covered(byte[] net, int prefix, List<Cidr> all) {
        boolean partly = false;
        for (Cidr c : all) {
            if (c.network().length != net.length) {
                continue;
            }
            if (c.prefix() <= prefix && c.contains(net)) {
                return true;
            }
            if (c.prefix() > prefix && new Cidr(net, prefix).contains(c.network())) {
                partly = true;
            }
        }
        if (!partly || prefix == net.length * 8) {
            return false;
        }
        // some exclusion lies inside: is each half covered?
        byte[] upper = net.clone();
        upper[prefix / 8] |= (byte) (0x80 >> (prefix % 8));
        return covered(net, prefix + 1, all) && covered(upper, prefix + 1, all);
    }

    public static final List<Cidr> DEFAULT_EXCLUSIONS =
            List.of(
                    Cidr.parse("10.0.0.0/8"),
                    Cidr.parse("172.16.0.0/12"),
                    Cidr.parse("192.168.0.0/16"),
                    Cidr.parse("127.0.0.0/8"),
                    Cidr.parse("fe80::/10"),
                    Cidr.parse("::/96"),
                    Cidr.parse("fc00::/7"));

    /** SPEC 1.3: true when {@code addr} (already mapped to IPv4 when IPv4-mapped) is excluded. */
    public static boolean isExcluded(byte[] addr, List<Cidr> extra) {
        for (Cidr c : DEFAULT_EXCLUSIONS) {
            if (c.contains(addr)) {
                return true;
            }
        }
        for (Cidr c : extra) {
            if (c.contains(addr)) {
                return true;
            }
        }
        return false;
    }
}

package io.tiflink.vmconn.demo;

/**
 * An IPv4 CIDR range, as the demo publishes some indicators ({@code 198.51.100.0/24}): the network
 * address (host bits cleared) and the prefix length.
 */
record Ipv4Range(int network, int prefix) {

    Ipv4Range {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, not " + prefix);
        }
        network &= mask(prefix);
    }

    /** The range of {@code prefix} bits around an address: {@code 203.0.113.7}, 24 -> .0/24. */
    static Ipv4Range around(String ip, int prefix) {
        return new Ipv4Range(toInt(ip), prefix);
    }

    /** {@code a.b.c.d/n}; IllegalArgumentException when it is not that. */
    static Ipv4Range parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR range: '" + cidr + "'");
        }
        try {
            return new Ipv4Range(
                    toInt(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR range: '" + cidr + "'");
        }
    }

    boolean contains(String ip) {
        return (toInt(ip) & mask(prefix)) == network;
    }

    /** Addresses in the range, network and broadcast address included. */
    long size() {
        return 1L << (32 - prefix);
    }

    /** The k-th address of the range (0 = the network address). */
    String address(long k) {
        if (k < 0 || k >= size()) {
            throw new IndexOutOfBoundsException(k + " in " + this);
        }
        return toText(network + (int) k);
    }

    /** Canonical CIDR text: {@code 198.51.100.0/24}. */
    @Override
    public String toString() {
        return toText(network) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static int toInt(String ip) {
        String[] parts = ip.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + ip + "'");
        }
        int v = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255 || p.isEmpty() || p.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: '" + ip + "'");
            }
            v = v << 8 | octet;
        }
        return v;
    }

    private static String toText(int v) {
        return (v >>> 24) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
    }
}

package io.tiflink.vmconn.model;

/**
 * An element of the keyed side of the matcher: a connection, or a probe: a copy of an indicator
 * version sent to the key of a bucket its targets reach, so that connections already kept there can
 * be matched retroactively (SPEC 2.2, tau > t_c). {@link #key} is the matcher key it goes to: a
 * bucket of addresses ({@code match.MatcherKeys}), or, for the copies that reach state restored
 * from 1.x, a canonical address.
 */
public class KeyedInput {

    public Connection connection;
    public Indicator probe;
    public String key;

    public KeyedInput() {}

    public static KeyedInput connection(Connection c, String key) {
        KeyedInput k = new KeyedInput();
        k.connection = c;
        k.key = key;
        return k;
    }

    public static KeyedInput probe(Indicator i, String key) {
        KeyedInput k = new KeyedInput();
        k.probe = i;
        k.key = key;
        return k;
    }
}

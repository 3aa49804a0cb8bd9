package io.tiflink.vmconn.model;

/**
 * An element of the keyed (by canonical IP) side of the matcher: a connection, or a probe: the copy
 * of an indicator version sent to the key of its IP, so that connections already buffered there can
 * be matched retroactively (SPEC 2.2, tau > t_c).
 */
public class KeyedInput {

    public Connection connection;
    public Indicator probe;

    public KeyedInput() {}

    public static KeyedInput connection(Connection c) {
        KeyedInput k = new KeyedInput();
        k.connection = c;
        return k;
    }

    public static KeyedInput probe(Indicator i) {
        KeyedInput k = new KeyedInput();
        k.probe = i;
        return k;
    }

    /** The key: canonical IP of the connection or of the probe's version. */
    public String ip() {
        return connection != null ? connection.ip : probe.ip;
    }
}

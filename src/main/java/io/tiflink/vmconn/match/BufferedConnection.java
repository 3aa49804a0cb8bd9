package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Connection;

import java.util.Objects;

/**
 * A connection kept in the matcher's keyed state for L after its time, so that indicators
 * arriving later can still match it (SPEC 2.2). {@code judgedThroughMillis}: detection times
 * up to this Flink timestamp were already judged (set for a connection that arrived behind
 * the watermark and was judged at once); MIN_VALUE for one judged by timers.
 */
public class BufferedConnection {

    public Connection connection;
    public long judgedThroughMillis = Long.MIN_VALUE;

    public BufferedConnection() {}

    public BufferedConnection(Connection connection, long judgedThroughMillis) {
        this.connection = connection;
        this.judgedThroughMillis = judgedThroughMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferedConnection && judgedThroughMillis == ((BufferedConnection) o).judgedThroughMillis
                && Objects.equals(connection, ((BufferedConnection) o).connection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, judgedThroughMillis);
    }
}

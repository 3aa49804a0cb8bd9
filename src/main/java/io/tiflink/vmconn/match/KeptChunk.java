package io.tiflink.vmconn.match;

import java.util.Arrays;
import java.util.Objects;

/**
 * Connections kept in one bucket for one minute of event time, packed one after the other in
 * arrival order (see {@link KeptConnections} for the layout). The head chunk of a minute (map key =
 * the minute's first millisecond) takes new connections; when it is full it is sealed under the
 * next key (minute + 1, + 2, ...) and {@link #sealed} counts them, so that appending reads and
 * writes one small value. A POJO: the state evolves with savepoints.
 */
public class KeptChunk {

    /** Packed connections. */
    public byte[] records = new byte[0];

    /** How many connections {@link #records} holds. */
    public int count;

    /** On a minute's head chunk: how many sealed chunks of that minute there are. */
    public int sealed;

    public KeptChunk() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeptChunk)) {
            return false;
        }
        KeptChunk c = (KeptChunk) o;
        return count == c.count && sealed == c.sealed && Arrays.equals(records, c.records);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, sealed);
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * A connection kept in the matcher's keyed state for L after its time, so that indicators arriving
 * later can still match it (SPEC 2.2). {@code judgedThroughMillis}: detection times up to this
 * Flink timestamp were already judged (set for a connection that arrived behind the watermark and
 * was judged at once); MIN_VALUE for one judged by timers.
 *
 * <p>Kept packed: its time, and the connection's columns in one byte array, read back only when it
 * matches (a small share of them). As an object a connection is a dozen objects and ~1 KB of heap
 * that young collections copy while it is kept (L = 1 h); packed it is three objects and ~2/3 of
 * that, and GC work falls with it. {@code connection} is the form release 1.0.0 wrote: entries
 * restored from its savepoints still have it (POJO evolution: the other fields are added), entries
 * written since have {@code packed}. The packed form starts with a version byte, so that Connection
 * can still gain columns.
 */
public class BufferedConnection {

    private static final byte PACKED_V1 = 1;

    /**
     * Bits of the packed form's lateness byte (a boolean before 1.2.0: its true reads as LATE, the
     * causes were one flag then).
     */
    private static final int LATE = 1, JUDGED_LATE = 2;

    /** Release 1.0.0's form; null in entries written since. */
    public Connection connection;

    public long judgedThroughMillis = Long.MIN_VALUE;

    /** The connection's TimeGenerated (nanoseconds), readable without unpacking. */
    public long timeGenerated;

    /** The connection's columns, packed (see {@link #packed}). */
    public byte[] packed;

    public BufferedConnection() {}

    public BufferedConnection(Connection connection, long judgedThroughMillis) {
        this.connection = connection;
        this.judgedThroughMillis = judgedThroughMillis;
        this.timeGenerated = connection.timeGenerated;
    }

    /** The connection packed, through {@code buffer} (reused by the caller). */
    public static BufferedConnection packed(
            Connection c, long judgedThroughMillis, DataOutputSerializer buffer) {
        BufferedConnection b = new BufferedConnection();
        b.judgedThroughMillis = judgedThroughMillis;
        b.timeGenerated = c.timeGenerated;
        buffer.clear();
        try {
            buffer.writeByte(PACKED_V1);
            buffer.writeByte(c.timeGeneratedDigits);
            buffer.writeByte((c.late ? LATE : 0) | (c.judgedLate ? JUDGED_LATE : 0));
            for (String s :
                    new String[] {
                        c.computer,
                        c.direction,
                        c.processName,
                        c.sourceIp,
                        c.destinationIp,
                        c.remoteIp,
                        c.protocol,
                        c.destinationPort,
                        c.ip
                    }) {
                StringValue.writeString(s, buffer); // null-safe
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.packed = buffer.getCopyOfBuffer();
        return b;
    }

    /** Its TimeGenerated (both forms). */
    public long time() {
        return connection != null ? connection.timeGenerated : timeGenerated;
    }

    /** The connection (unpacked when kept packed: a new object each time). */
    public Connection connection() {
        if (connection != null) {
            return connection;
        }
        try {
            DataInputDeserializer in = new DataInputDeserializer(packed);
            if (in.readByte() != PACKED_V1) {
                throw new IllegalStateException("unknown packed connection version " + packed[0]);
            }
            Connection c = new Connection();
            c.timeGenerated = timeGenerated;
            c.timeGeneratedDigits = in.readByte();
            int flags = in.readByte();
            c.late = (flags & LATE) != 0;
            c.judgedLate = (flags & JUDGED_LATE) != 0;
            c.computer = StringValue.readString(in);
            c.direction = StringValue.readString(in);
            c.processName = StringValue.readString(in);
            c.sourceIp = StringValue.readString(in);
            c.destinationIp = StringValue.readString(in);
            c.remoteIp = StringValue.readString(in);
            c.protocol = StringValue.readString(in);
            c.destinationPort = StringValue.readString(in);
            c.ip = StringValue.readString(in);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BufferedConnection)) {
            return false;
        }
        BufferedConnection b = (BufferedConnection) o;
        return judgedThroughMillis == b.judgedThroughMillis
                && timeGenerated == b.timeGenerated
                && Objects.equals(connection, b.connection)
                && Arrays.equals(packed, b.packed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, judgedThroughMillis, timeGenerated);
    }
}

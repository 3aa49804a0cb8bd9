package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import io.tiflink.vmconn.model.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * The connections a bucket keeps for L after their time (SPEC 2.2): chunks of packed records by
 * minute ({@link KeptChunk}). A record: its length, the connection's time (nanoseconds), its
 * address (128 bits), flags (late, judged behind the watermark, judged through), the fractional
 * digits of its time, the millisecond up to which it was judged (only when judged on arrival), then
 * the columns the alert reports. A scan reads the time and address only; a connection is unpacked
 * when it matches.
 */
final class KeptConnections {

    static final long MINUTE_MILLIS = 60_000L;

    /** A chunk is sealed at this many connections, or at this many bytes. */
    static final int CHUNK_RECORDS = 64, CHUNK_BYTES = 8 * 1024;

    private static final int LATE = 1, JUDGED_LATE = 2, JUDGED_THROUGH = 4;

    private final MapState<Long, KeptChunk> chunks;
    private final DataOutputSerializer out = new DataOutputSerializer(256);
    private final DataInputDeserializer in = new DataInputDeserializer();

    KeptConnections(MapState<Long, KeptChunk> chunks) {
        this.chunks = chunks;
    }

    static long minuteOf(long millis) {
        return Math.floorDiv(millis, MINUTE_MILLIS) * MINUTE_MILLIS;
    }

    /**
     * Keeps a connection. {@code judgedThroughMillis}: detection times up to it were judged on
     * arrival (a connection behind the watermark), MIN_VALUE when none were.
     */
    void add(Connection c, IpAddress ip, long millis, long judgedThroughMillis) throws Exception {
        long minute = minuteOf(millis);
        KeptChunk head = chunks.get(minute);
        if (head == null) {
            head = new KeptChunk();
        } else if (head.count >= CHUNK_RECORDS || head.records.length >= CHUNK_BYTES) {
            KeptChunk sealed = new KeptChunk();
            sealed.records = head.records;
            sealed.count = head.count;
            head.sealed++;
            chunks.put(minute + head.sealed, sealed);
            head.records = new byte[0];
            head.count = 0;
        }
        byte[] record = pack(c, ip, judgedThroughMillis);
        byte[] grown = java.util.Arrays.copyOf(head.records, head.records.length + record.length);
        System.arraycopy(record, 0, grown, head.records.length, record.length);
        head.records = grown;
        head.count++;
        chunks.put(minute, head);
    }

    private byte[] pack(Connection c, IpAddress ip, long judgedThroughMillis) {
        out.clear();
        try {
            out.writeInt(0); // length, set below
            out.writeLong(c.timeGenerated);
            out.writeLong(ip.high());
            out.writeLong(ip.low());
            boolean judged = judgedThroughMillis != Long.MIN_VALUE;
            out.writeByte(
                    (c.late ? LATE : 0)
                            | (c.judgedLate ? JUDGED_LATE : 0)
                            | (judged ? JUDGED_THROUGH : 0));
            out.writeByte(c.timeGeneratedDigits);
            if (judged) {
                out.writeLong(judgedThroughMillis);
            }
            for (String s :
                    new String[] {
                        c.computer,
                        c.direction,
                        c.processName,
                        c.sourceIp,
                        c.destinationIp,
                        c.remoteIp,
                        c.protocol,
                        c.destinationPort
                    }) {
                StringValue.writeString(s, out); // null-safe
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] record = out.getCopyOfBuffer();
        int length = record.length;
        record[0] = (byte) (length >>> 24);
        record[1] = (byte) (length >>> 16);
        record[2] = (byte) (length >>> 8);
        record[3] = (byte) length;
        return record;
    }

    /** One kept connection, as a scan sees it. */
    interface Visitor {
        void visit(Record r) throws Exception;
    }

    /** A record under the scan's cursor: its time and address at once, the rest on demand. */
    final class Record {
        private byte[] bytes;
        private int at;
        long timeNanos;
        long ipHigh;
        long ipLow;
        int flags;
        int digits;
        long judgedThroughMillis;

        private int read(byte[] b, int offset) throws IOException {
            bytes = b;
            at = offset;
            in.setBuffer(b, offset, b.length - offset);
            int length = in.readInt();
            timeNanos = in.readLong();
            ipHigh = in.readLong();
            ipLow = in.readLong();
            flags = in.readByte();
            digits = in.readByte();
            judgedThroughMillis = (flags & JUDGED_THROUGH) != 0 ? in.readLong() : Long.MIN_VALUE;
            return offset + length;
        }

        boolean isIn(Target t) {
            return t.contains(address());
        }

        IpAddress address() {
            return Target.address(ipHigh, ipLow);
        }

        /** The connection, unpacked (a new object). */
        Connection connection() throws IOException {
            int skip = 4 + 8 + 8 + 8 + 1 + 1 + ((flags & JUDGED_THROUGH) != 0 ? 8 : 0);
            in.setBuffer(bytes, at + skip, bytes.length - at - skip);
            Connection c = new Connection();
            c.timeGenerated = timeNanos;
            c.timeGeneratedDigits = digits;
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
            c.ip = address().canonical();
            return c;
        }
    }

    /** Visits every connection kept for the minutes from {@code fromMillis} to {@code toMillis}. */
    void scan(long fromMillis, long toMillis, Visitor visitor) throws Exception {
        Record r = new Record();
        for (long m = minuteOf(fromMillis); m <= toMillis; m += MINUTE_MILLIS) {
            KeptChunk head = chunks.get(m);
            if (head == null) {
                continue;
            }
            for (int k = 1; k <= head.sealed; k++) {
                KeptChunk c = chunks.get(m + k);
                if (c != null) {
                    scanChunk(c, r, visitor);
                }
            }
            scanChunk(head, r, visitor);
        }
    }

    /** Visits every connection kept for the minutes from {@code fromMillis} on. */
    void scanFrom(long fromMillis, Visitor visitor) throws Exception {
        long first = minuteOf(fromMillis);
        List<Long> minutes = new ArrayList<>();
        for (Long k : chunks.keys()) {
            if (k >= first && Math.floorMod(k, MINUTE_MILLIS) == 0) {
                minutes.add(k);
            }
        }
        java.util.Collections.sort(minutes);
        for (long m : minutes) {
            scan(m, m, visitor);
        }
    }

    private static void scanChunk(KeptChunk c, Record r, Visitor visitor) throws Exception {
        int at = 0;
        while (at < c.records.length) {
            at = r.read(c.records, at);
            visitor.visit(r);
        }
    }

    /** Drops the connections of one minute. */
    void drop(long minute) throws Exception {
        KeptChunk head = chunks.get(minute);
        if (head == null) {
            return;
        }
        for (int k = 1; k <= head.sealed; k++) {
            chunks.remove(minute + k);
        }
        chunks.remove(minute);
    }

    boolean isEmpty() throws Exception {
        return chunks.isEmpty();
    }

    /** The minutes that hold connections (for tests and metrics). */
    List<Long> minutes() throws Exception {
        List<Long> out = new ArrayList<>();
        for (Long k : chunks.keys()) {
            if (k % MINUTE_MILLIS == 0) {
                out.add(k);
            }
        }
        return out;
    }
}

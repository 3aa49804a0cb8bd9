package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Packed connections in keyed map state, in chunks ({@link KeptChunk}) of records as {@link
 * ConnectionCodec} writes them, each after its length. Used twice per bucket: the connections kept
 * for L after their time (SPEC 2.2), in chunks of {@link #SPAN_MILLIS} of event time (the map key
 * is the span's first millisecond; a full chunk is sealed under the next keys); and the copies of
 * the connections due to be judged at their own time, one chunk per millisecond.
 */
final class KeptConnections {

    /** The event time a chunk of kept connections spans (they leave together, L after it). */
    static final long SPAN_MILLIS = 10 * 60_000L;

    /** A chunk is sealed at this many connections, or at this many bytes. */
    static final int CHUNK_RECORDS = 32, CHUNK_BYTES = 1536;

    private final MapState<Long, KeptChunk> chunks;
    private final long spanMillis;
    private final DataOutputSerializer out = new DataOutputSerializer(256);
    private final DataInputDeserializer in = new DataInputDeserializer();

    /** Chunks of {@code spanMillis} (1 for chunks per millisecond). */
    KeptConnections(MapState<Long, KeptChunk> chunks, long spanMillis) {
        this.chunks = chunks;
        this.spanMillis = spanMillis;
    }

    long spanOf(long millis) {
        return Math.floorDiv(millis, spanMillis) * spanMillis;
    }

    /**
     * Keeps a connection. {@code judgedThroughMillis}: detection times up to it were judged on
     * arrival (a connection behind the watermark), MIN_VALUE when none were.
     */
    void add(Connection c, IpAddress ip, long millis, long judgedThroughMillis) throws Exception {
        long span = spanOf(millis);
        append(span, pack(c, ip, span, judgedThroughMillis));
    }

    /** Appends packed records to a span's chunks. */
    private void append(long span, byte[] records) throws Exception {
        KeptChunk head = chunks.get(span);
        if (head == null) {
            head = new KeptChunk();
        } else {
            if (spanMillis >= 1_000
                    && (head.count >= CHUNK_RECORDS || head.records.length >= CHUNK_BYTES)) {
                KeptChunk sealed = new KeptChunk();
                sealed.records = head.records;
                sealed.count = head.count;
                head.sealed++;
                chunks.put(span + head.sealed, sealed);
                head.records = new byte[0];
                head.count = 0;
            }
        }
        byte[] grown = Arrays.copyOf(head.records, head.records.length + records.length);
        System.arraycopy(records, 0, grown, head.records.length, records.length);
        head.records = grown;
        head.count += count(records);
        chunks.put(span, head);
    }

    private int count(byte[] records) throws IOException {
        int n = 0;
        int at = 0;
        while (at < records.length) {
            in.setBuffer(records, at, records.length - at);
            int length = (int) ConnectionCodec.readVarLong(in);
            at = in.getPosition() + length;
            n++;
        }
        return n;
    }

    /** A record: its length, then the connection as the codec writes it. */
    private byte[] pack(Connection c, IpAddress ip, long span, long judgedThroughMillis)
            throws IOException {
        out.clear();
        ConnectionCodec.write(out, c, ip, span, judgedThroughMillis);
        int length = out.length();
        int prefix = 1;
        for (long v = length >>> 7; v != 0; v >>>= 7) {
            prefix++;
        }
        byte[] record = new byte[prefix + length];
        int at = 0;
        for (long v = length; ; v >>>= 7) {
            if ((v & ~0x7FL) == 0) {
                record[at++] = (byte) v;
                break;
            }
            record[at++] = (byte) ((v & 0x7F) | 0x80);
        }
        System.arraycopy(out.getSharedBuffer(), 0, record, prefix, length);
        return record;
    }

    /** One kept connection, as a scan sees it. */
    interface Visitor {
        void visit(Record r) throws Exception;
    }

    /** The record under a scan's cursor: its time and address at once, the rest on demand. */
    final class Record extends ConnectionCodec.Head {
        private byte[] bytes;
        private int end;
        private int columns;

        private int read(byte[] b, int offset, long span) throws IOException {
            bytes = b;
            in.setBuffer(b, offset, b.length - offset);
            int length = (int) ConnectionCodec.readVarLong(in);
            int body = in.getPosition();
            read(in, span);
            columns = in.getPosition();
            end = body + length;
            return end;
        }

        /** The connection, unpacked (a new object). */
        Connection connection() throws IOException {
            in.setBuffer(bytes, columns, bytes.length - columns);
            return connection(in);
        }
    }

    /** Visits every connection of the chunks from {@code fromMillis} to {@code toMillis}. */
    void scan(long fromMillis, long toMillis, Visitor visitor) throws Exception {
        Record r = new Record();
        for (long s = spanOf(fromMillis); s <= toMillis; s += spanMillis) {
            scanSpan(s, r, visitor);
        }
    }

    /** Visits every connection of the chunks from {@code fromMillis} on. */
    void scanFrom(long fromMillis, Visitor visitor) throws Exception {
        long first = spanOf(fromMillis);
        List<Long> spans = new ArrayList<>();
        for (Long k : chunks.keys()) {
            if (k >= first && spanOf(k) == k) {
                spans.add(k);
            }
        }
        Collections.sort(spans);
        Record r = new Record();
        for (long s : spans) {
            scanSpan(s, r, visitor);
        }
    }

    private void scanSpan(long span, Record r, Visitor visitor) throws Exception {
        KeptChunk head = chunks.get(span);
        if (head == null) {
            return;
        }
        for (int k = 1; k <= head.sealed; k++) {
            KeptChunk c = chunks.get(span + k);
            if (c != null) {
                scanChunk(c, span, r, visitor);
            }
        }
        scanChunk(head, span, r, visitor);
    }

    private static void scanChunk(KeptChunk c, long span, Record r, Visitor visitor)
            throws Exception {
        int at = 0;
        while (at < c.records.length) {
            at = r.read(c.records, at, span);
            visitor.visit(r);
        }
    }

    /** Drops the chunks of one span. */
    void drop(long span) throws Exception {
        KeptChunk head = chunks.get(span);
        if (head == null) {
            return;
        }
        for (int k = 1; k <= head.sealed; k++) {
            chunks.remove(span + k);
        }
        chunks.remove(span);
    }

    boolean isEmpty() throws Exception {
        return chunks.isEmpty();
    }
}

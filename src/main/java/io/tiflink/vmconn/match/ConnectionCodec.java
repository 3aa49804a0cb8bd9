package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import io.tiflink.vmconn.model.Connection;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * A kept connection in about 50 bytes (SPEC 2.2 keeps every connection for L): what the alert
 * reports of it (SPEC 3.3), with the repetitions of a VMConnection row taken out. Its time is an
 * offset from its chunk's start; its address is 4 or 16 bytes; the columns that repeat the address
 * (RemoteIp as received, the remote side of SourceIp/DestinationIp) are flags; the local address,
 * the port, Direction and Protocol are binary when their text is the canonical one; only Computer,
 * ProcessName and text that is not canonical are written out. Decoding gives back every column's
 * text exactly as received.
 *
 * <p>Layout: ms offset (varint), ns within the ms (varint), flags, digits and codes, address, the
 * millisecond judged through (only when judged on arrival), port, local address, then the texts.
 */
final class ConnectionCodec {

    private static final int LATE = 1,
            JUDGED_LATE = 2,
            JUDGED_THROUGH = 4,
            REMOTE_CANONICAL = 8,
            SOURCE_IS_REMOTE = 16,
            DESTINATION_IS_REMOTE = 32,
            V6 = 64;

    // Codes of Direction and Protocol (2 bits each), of the port and the local address.
    private static final int TEXT = 0, NULL = 1, FIRST = 2, SECOND = 3;
    private static final int V4_BINARY = 2, V6_BINARY = 3;

    private ConnectionCodec() {}

    /** Writes a connection kept in a chunk that starts at {@code chunkStartMillis}. */
    static void write(
            DataOutputSerializer out,
            Connection c,
            IpAddress ip,
            long chunkStartMillis,
            long judgedThroughMillis)
            throws IOException {
        long ms = Math.floorDiv(c.timeGenerated, 1_000_000L);
        writeVarLong(out, ms - chunkStartMillis);
        writeVarLong(out, Math.floorMod(c.timeGenerated, 1_000_000L));
        boolean judged = judgedThroughMillis != Long.MIN_VALUE;
        String canonical = c.ip != null ? c.ip : ip.canonical(); // the rows step's canonical text
        int flags =
                (c.late ? LATE : 0)
                        | (c.judgedLate ? JUDGED_LATE : 0)
                        | (judged ? JUDGED_THROUGH : 0)
                        | (canonical.equals(c.remoteIp) ? REMOTE_CANONICAL : 0)
                        | (c.remoteIp != null && c.remoteIp.equals(c.sourceIp)
                                ? SOURCE_IS_REMOTE
                                : 0)
                        | (c.remoteIp != null && c.remoteIp.equals(c.destinationIp)
                                ? DESTINATION_IS_REMOTE
                                : 0)
                        | (ip.isV4() ? 0 : V6);
        out.writeByte(flags);
        out.writeByte(
                c.timeGeneratedDigits
                        | code(c.direction, "outbound", "inbound") << 4
                        | code(c.protocol, "tcp", "udp") << 6);
        if (ip.isV4()) {
            out.writeInt((int) ip.low());
        } else {
            out.writeLong(ip.high());
            out.writeLong(ip.low());
        }
        if (judged) {
            out.writeLong(judgedThroughMillis);
        }
        writePort(out, c.destinationPort);
        if ((flags & SOURCE_IS_REMOTE) == 0) {
            writeAddress(out, c.sourceIp);
        }
        if ((flags & DESTINATION_IS_REMOTE) == 0) {
            writeAddress(out, c.destinationIp);
        }
        if ((flags & REMOTE_CANONICAL) == 0) {
            StringValue.writeString(c.remoteIp, out);
        }
        StringValue.writeString(c.computer, out);
        StringValue.writeString(c.processName, out);
        if (code(c.direction, "outbound", "inbound") == TEXT) {
            StringValue.writeString(c.direction, out);
        }
        if (code(c.protocol, "tcp", "udp") == TEXT) {
            StringValue.writeString(c.protocol, out);
        }
    }

    /** A record's head: what a scan reads of every record, the rest only of those that match. */
    static class Head {
        long timeNanos;
        long ipHigh;
        long ipLow;
        int flags;
        int codes;
        long judgedThroughMillis;

        /** Reads a head; {@code in} is left at the record's columns. */
        void read(DataInputDeserializer in, long chunkStartMillis) throws IOException {
            long ms = chunkStartMillis + readVarLong(in);
            timeNanos = ms * 1_000_000L + readVarLong(in);
            flags = in.readUnsignedByte();
            codes = in.readUnsignedByte();
            if ((flags & V6) == 0) {
                ipHigh = 0L;
                ipLow = 0x0000_ffff_0000_0000L | (in.readInt() & 0xffff_ffffL);
            } else {
                ipHigh = in.readLong();
                ipLow = in.readLong();
            }
            judgedThroughMillis = (flags & JUDGED_THROUGH) != 0 ? in.readLong() : Long.MIN_VALUE;
        }

        IpAddress address() {
            return Target.address(ipHigh, ipLow);
        }

        /** Reads the columns after the head: the connection. */
        Connection connection(DataInputDeserializer in) throws IOException {
            Connection c = new Connection();
            c.timeGenerated = timeNanos;
            c.timeGeneratedDigits = codes & 15;
            c.late = (flags & LATE) != 0;
            c.judgedLate = (flags & JUDGED_LATE) != 0;
            IpAddress ip = address();
            c.ip = ip.canonical();
            c.destinationPort = readPort(in);
            String source = (flags & SOURCE_IS_REMOTE) == 0 ? readAddress(in) : null;
            String destination = (flags & DESTINATION_IS_REMOTE) == 0 ? readAddress(in) : null;
            c.remoteIp = (flags & REMOTE_CANONICAL) != 0 ? c.ip : StringValue.readString(in);
            c.sourceIp = (flags & SOURCE_IS_REMOTE) != 0 ? c.remoteIp : source;
            c.destinationIp = (flags & DESTINATION_IS_REMOTE) != 0 ? c.remoteIp : destination;
            c.computer = StringValue.readString(in);
            c.processName = StringValue.readString(in);
            c.direction = decode((codes >> 4) & 3, "outbound", "inbound", in);
            c.protocol = decode((codes >> 6) & 3, "tcp", "udp", in);
            return c;
        }

        /** Skips the columns after the head. */
        void skip(DataInputDeserializer in) throws IOException {
            connection(in);
        }
    }

    private static int code(String text, String first, String second) {
        return text == null
                ? NULL
                : text.equals(first) ? FIRST : text.equals(second) ? SECOND : TEXT;
    }

    private static String decode(int code, String first, String second, DataInputDeserializer in)
            throws IOException {
        switch (code) {
            case NULL:
                return null;
            case FIRST:
                return first;
            case SECOND:
                return second;
            default:
                return StringValue.readString(in);
        }
    }

    /** A port: its number when its text is the number's, else the text. */
    private static void writePort(DataOutputSerializer out, String port) throws IOException {
        if (port == null) {
            writeVarLong(out, NULL);
            return;
        }
        int n = canonicalPort(port);
        if (n >= 0) {
            writeVarLong(out, n + 2L);
        } else {
            writeVarLong(out, TEXT);
            StringValue.writeString(port, out);
        }
    }

    private static String readPort(DataInputDeserializer in) throws IOException {
        long v = readVarLong(in);
        return v == NULL ? null : v == TEXT ? StringValue.readString(in) : Long.toString(v - 2);
    }

    private static int canonicalPort(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || n > 1 && text.charAt(0) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v <= 65535 ? v : -1;
    }

    /** An address column: binary when its text is the address's canonical form, else the text. */
    private static void writeAddress(DataOutputSerializer out, String text) throws IOException {
        if (text == null) {
            out.writeByte(NULL);
            return;
        }
        long v4 = canonicalV4(text);
        if (v4 >= 0) {
            out.writeByte(V4_BINARY);
            out.writeInt((int) v4);
            return;
        }
        IpAddress a = text.indexOf(':') >= 0 ? IpAddress.parse(text) : null;
        if (a == null || a.isV4() || !a.canonical().equals(text)) {
            out.writeByte(TEXT);
            StringValue.writeString(text, out);
        } else {
            out.writeByte(V6_BINARY);
            out.writeLong(a.high());
            out.writeLong(a.low());
        }
    }

    /**
     * The 32 bits of a dotted quad written canonically (four decimal parts 0-255, no leading zero),
     * without building its text again; -1 for any other text.
     */
    static long canonicalV4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long bits = 0;
        int parts = 0;
        int i = 0;
        while (i < n) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || v > 255 || digits > 1 && s.charAt(start) == '0') {
                return -1;
            }
            bits = bits << 8 | v;
            parts++;
            if (i < n && (s.charAt(i) != '.' || parts == 4 || ++i == n)) {
                return -1;
            }
        }
        return parts == 4 ? bits : -1;
    }

    private static String readAddress(DataInputDeserializer in) throws IOException {
        switch (in.readUnsignedByte()) {
            case NULL:
                return null;
            case V4_BINARY:
                return Target.address(0L, 0x0000_ffff_0000_0000L | (in.readInt() & 0xffff_ffffL))
                        .canonical();
            case V6_BINARY:
                return Target.address(in.readLong(), in.readLong()).canonical();
            default:
                return StringValue.readString(in);
        }
    }

    static void writeVarLong(DataOutputSerializer out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputDeserializer in) throws IOException {
        long v = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return v;
    }
}

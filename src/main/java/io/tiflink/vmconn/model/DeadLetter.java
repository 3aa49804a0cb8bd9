package io.tiflink.vmconn.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be read (SPEC 5.3), kept unchanged with the reason and where it came
 * from: the input, the file or topic, the partition (Kafka), the offset (Kafka) or 1-based line
 * number (files), and the row index inside an envelope (-1 for the whole record).
 */
public class DeadLetter {

    public String input;
    public String source;
    public int partition = -1;
    public long offset = -1;
    public int row = -1;
    public String reason;
    public byte[] raw;

    public DeadLetter() {}

    public static DeadLetter of(
            String input,
            String source,
            int partition,
            long offset,
            int row,
            String reason,
            byte[] raw) {
        DeadLetter d = new DeadLetter();
        d.input = input;
        d.source = source;
        d.partition = partition;
        d.offset = offset;
        d.row = row;
        d.reason = reason;
        d.raw = raw;
        return d;
    }

    public String position() {
        StringBuilder sb = new StringBuilder(String.valueOf(source));
        if (partition >= 0) sb.append('-').append(partition).append('@').append(offset);
        else sb.append(':').append(offset);
        if (row >= 0) sb.append('#').append(row);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter)) return false;
        DeadLetter that = (DeadLetter) o;
        return partition == that.partition
                && offset == that.offset
                && row == that.row
                && Objects.equals(input, that.input)
                && Objects.equals(source, that.source)
                && Objects.equals(reason, that.reason)
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, source, partition, offset, row);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + input + ' ' + position() + ": " + reason + '}';
    }
}

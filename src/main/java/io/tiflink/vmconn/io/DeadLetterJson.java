package io.tiflink.vmconn.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.model.DeadLetter;
import java.nio.charset.StandardCharsets;

/** A dead letter as one JSON line: input, position, reason and the record unchanged (as text). */
public final class DeadLetterJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetterJson() {}

    public static String toJson(DeadLetter d) {
        return toJson(d, d.raw == null ? 0 : d.raw.length);
    }

    /**
     * As {@link #toJson(DeadLetter)}, with only the first {@code rawBytes} bytes of the record (cut
     * back to a whole UTF-8 character); a record so cut says {@code "cut": true} and its whole
     * size, {@code "rawBytes"}.
     */
    public static String toJson(DeadLetter d, int rawBytes) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("input", d.input);
        n.put("source", d.source);
        if (d.partition >= 0) {
            n.put("partition", d.partition);
            n.put("offset", d.offset);
        } else {
            n.put("line", d.offset);
        }
        if (d.row >= 0) {
            n.put("row", d.row);
        }
        n.put("position", d.position());
        n.put("reason", d.reason);
        if (d.raw == null) {
            n.putNull("raw");
        } else if (rawBytes >= d.raw.length) {
            n.put("raw", new String(d.raw, StandardCharsets.UTF_8));
        } else {
            n.put(
                    "raw",
                    new String(d.raw, 0, utf8Boundary(d.raw, rawBytes), StandardCharsets.UTF_8));
            n.put("cut", true);
            n.put("rawBytes", d.raw.length);
        }
        return n.toString();
    }

    /**
     * The greatest length at most {@code n} that does not end inside a UTF-8 character of {@code
     * bytes} (bytes that are not UTF-8 are cut anywhere).
     */
    public static int utf8Boundary(byte[] bytes, int n) {
        if (n <= 0) {
            return 0;
        }
        if (n >= bytes.length) {
            return bytes.length;
        }
        int k = n;
        // step back over continuation bytes (10xxxxxx), at most 3, to the start of the character
        while (k > 0 && n - k < 4 && (bytes[k] & 0xC0) == 0x80) {
            k--;
        }
        return n - k < 4 ? k : n;
    }
}

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
        n.put("raw", d.raw == null ? null : new String(d.raw, StandardCharsets.UTF_8));
        return n.toString();
    }
}

package io.tiflink.vmconn.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;

/**
 * Where a record came from: its input, {@code source} (file or topic), {@code partition} (-1 for
 * files) and {@code offset} (Kafka offset, or 1-based line number); and the dead letters (SPEC 5.3)
 * {@link RowParser} makes of it.
 */
record RecordPosition(RowParser.Table table, String source, int partition, long offset) {

    /**
     * A dead letter of this record: of the element at {@code row} in its envelope (-1 for the whole
     * record), for {@code reason}, holding {@code raw}.
     */
    InputRecord dead(int row, String reason, byte[] raw) {
        return InputRecord.of(
                DeadLetter.of(table.label, source, partition, offset, row, reason, raw));
    }

    /**
     * What a dead letter holds: the record's bytes {@code raw} if given, else {@code row} as JSON.
     */
    static byte[] rawOf(JsonNode row, byte[] raw) {
        return raw != null ? raw : row.toString().getBytes(StandardCharsets.UTF_8);
    }
}

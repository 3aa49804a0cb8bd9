package io.tiflink.vmconn.io;

import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one input record (SPEC 5): a table row or an Azure Monitor envelope
 * {@code {"records": [row, ...]}}, into rows or dead letters. Never throws on bad input.
 * Also marks connection rows that arrive behind their input's watermark (SPEC 4.4: greatest
 * TimeGenerated seen so far on the same file or partition, less the out-of-orderness bound).
 * One instance per source reader; not thread-safe.
 */
public final class RowParser implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The two inputs, with the name dead letters carry. */
    public enum Table {
        INDICATORS("indicators"), CONNECTIONS("connections");

        public final String label;

        Table(String label) {
            this.label = label;
        }
    }

    private final Table table;
    private final long outOfOrdernessNanos;
    private transient ObjectMapper mapper;
    private transient Map<String, Long> greatestTimeBySplit;

    public RowParser(Table table, long outOfOrdernessNanos) {
        this.table = table;
        this.outOfOrdernessNanos = outOfOrdernessNanos;
    }

    public Table table() {
        return table;
    }

    /**
     * Parses {@code bytes} from {@code source} (file or topic), {@code partition} (-1 for files)
     * at {@code offset} (Kafka offset, or 1-based line number), handing each row or dead letter on.
     */
    public void parse(byte[] bytes, String source, int partition, long offset, Consumer<InputRecord> out) {
        if (mapper == null) {
            mapper = new ObjectMapper();
            greatestTimeBySplit = new HashMap<>();
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            out.accept(dead(source, partition, offset, -1, "not JSON: " + e.getOriginalMessage(), bytes));
            return;
        } catch (IOException e) {
            out.accept(dead(source, partition, offset, -1, "unreadable: " + e.getMessage(), bytes));
            return;
        }
        if (node == null || node.isMissingNode()) {
            out.accept(dead(source, partition, offset, -1, "empty record", bytes));
            return;
        }
        if (!node.isObject()) {
            out.accept(dead(source, partition, offset, -1,
                    "not a JSON object or a {\"records\": [...]} envelope", bytes));
            return;
        }
        JsonNode records = node.get("records");
        if (records != null && records.isArray()) {
            for (int i = 0; i < records.size(); i++) {
                JsonNode row = records.get(i);
                if (!row.isObject()) {
                    out.accept(dead(source, partition, offset, i, "envelope row is not a JSON object",
                            row.toString().getBytes(StandardCharsets.UTF_8)));
                } else {
                    out.accept(row(row, source, partition, offset, i, null));
                }
            }
        } else {
            out.accept(row(node, source, partition, offset, -1, bytes));
        }
    }

    private InputRecord row(JsonNode row, String source, int partition, long offset, int index, byte[] raw) {
        String tgText = text(row, "TimeGenerated");
        long tg = EventTimes.parseNanos(tgText);
        if (tg == EventTimes.UNREADABLE) {
            return dead(source, partition, offset, index, tgText == null ? "row without TimeGenerated"
                    : "unreadable TimeGenerated '" + tgText + "'", rawOf(row, raw));
        }
        if (table == Table.INDICATORS) {
            String id = text(row, "IndicatorId");
            if (id == null || id.isBlank()) {
                return dead(source, partition, offset, index, "indicator row without IndicatorId", rawOf(row, raw));
            }
            return InputRecord.of(indicator(row, id, tg, EventTimes.fractionDigits(tgText)));
        }
        Connection c = connection(row, tg, EventTimes.fractionDigits(tgText));
        c.late = behindWatermark(source + '#' + partition, tg);
        return InputRecord.of(c);
    }

    private boolean behindWatermark(String split, long tg) {
        Long greatest = greatestTimeBySplit.get(split);
        if (greatest == null || tg > greatest) {
            greatestTimeBySplit.put(split, tg);
            return false;
        }
        return tg < greatest - outOfOrdernessNanos;
    }

    private static Indicator indicator(JsonNode row, String id, long tg, int digits) {
        Indicator i = new Indicator();
        i.indicatorId = id;
        i.timeGenerated = tg;
        i.timeGeneratedDigits = digits;
        i.active = bool(row.get("Active"));
        String exp = text(row, "ExpirationDateTime");
        i.expiration = EventTimes.parseNanos(exp);
        i.expirationDigits = EventTimes.fractionDigits(exp);
        i.description = text(row, "Description");
        i.activityGroupNames = text(row, "ActivityGroupNames");
        i.threatType = text(row, "ThreatType");
        i.url = text(row, "Url");
        i.confidenceScore = text(row, "ConfidenceScore");
        i.networkIp = text(row, "NetworkIP");
        i.networkDestinationIp = text(row, "NetworkDestinationIP");
        i.networkSourceIp = text(row, "NetworkSourceIP");
        i.emailSourceIpAddress = text(row, "EmailSourceIpAddress");
        return i;
    }

    private static Connection connection(JsonNode row, long tg, int digits) {
        Connection c = new Connection();
        c.timeGenerated = tg;
        c.timeGeneratedDigits = digits;
        c.computer = text(row, "Computer");
        c.direction = text(row, "Direction");
        c.processName = text(row, "ProcessName");
        c.sourceIp = text(row, "SourceIp");
        c.destinationIp = text(row, "DestinationIp");
        c.remoteIp = text(row, "RemoteIp");
        c.protocol = text(row, "Protocol");
        c.destinationPort = text(row, "DestinationPort");
        return c;
    }

    /** A column's text: a string's value, a number's or boolean's plain text, null when missing. */
    static String text(JsonNode row, String column) {
        JsonNode v = row.get(column);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** SPEC 1.6/5.2: true, or the string "true" in any case; anything else is false. */
    static boolean bool(JsonNode v) {
        if (v == null) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isTextual() && v.textValue().trim().equalsIgnoreCase("true");
    }

    private static byte[] rawOf(JsonNode row, byte[] raw) {
        return raw != null ? raw : row.toString().getBytes(StandardCharsets.UTF_8);
    }

    private InputRecord dead(String source, int partition, long offset, int row, String reason, byte[] raw) {
        return InputRecord.of(DeadLetter.of(table.label, source, partition, offset, row, reason, raw));
    }
}

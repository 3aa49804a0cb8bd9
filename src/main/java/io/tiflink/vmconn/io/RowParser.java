package io.tiflink.vmconn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads one input record (SPEC 5): a table row or an Azure Monitor envelope {@code {"records":
 * [row, ...]}}, into rows or dead letters. Never throws on bad input. Connection rows that arrive
 * late are marked by {@link ArrivalLateness} (SPEC 4.4). One instance per source reader; not
 * thread-safe.
 *
 * <p>A record that is one row object is read as a stream of tokens, keeping only the columns the
 * job uses and skipping the others without building them (a VMConnection row has 44 columns, the
 * job reads 9). Anything else (an envelope, not an object, not JSON) takes the general path, a JSON
 * tree, which also decides every dead letter. Both paths give the same rows: a column's text is
 * what {@code JsonNode.asText()} (scalars) or {@code toString()} (objects, arrays) gives.
 */
public final class RowParser implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The two inputs, with the name dead letters carry. */
    public enum Table {
        INDICATORS("indicators"),
        CONNECTIONS("connections");

        public final String label;

        Table(String label) {
            this.label = label;
        }
    }

    private final Table table;
    private final long outOfOrdernessNanos;
    private transient ObjectMapper mapper;
    private transient ArrivalLateness lateness;
    private transient String[] columns;

    public RowParser(Table table, long outOfOrdernessNanos) {
        this.table = table;
        this.outOfOrdernessNanos = outOfOrdernessNanos;
    }

    public Table table() {
        return table;
    }

    /**
     * Parses {@code bytes} from {@code source} (file or topic), {@code partition} (-1 for files) at
     * {@code offset} (Kafka offset, or 1-based line number), handing each row or dead letter on.
     */
    public void parse(
            byte[] bytes, String source, int partition, long offset, Consumer<InputRecord> out) {
        if (mapper == null) {
            mapper = new ObjectMapper();
            lateness = new ArrivalLateness(outOfOrdernessNanos);
            columns = new String[COLUMN_COUNT];
        }
        InputRecord fast = fastRow(bytes, source, partition, offset);
        if (fast != null) {
            out.accept(fast);
            return;
        }
        parseTree(bytes, source, partition, offset, out);
    }

    /** The general path: the record as a JSON tree (every record shape, every dead letter). */
    void parseTree(
            byte[] bytes, String source, int partition, long offset, Consumer<InputRecord> out) {
        if (mapper == null) {
            mapper = new ObjectMapper();
            lateness = new ArrivalLateness(outOfOrdernessNanos);
            columns = new String[COLUMN_COUNT];
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            out.accept(
                    dead(
                            source,
                            partition,
                            offset,
                            -1,
                            "not JSON: " + e.getOriginalMessage(),
                            bytes));
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
            out.accept(
                    dead(
                            source,
                            partition,
                            offset,
                            -1,
                            "not a JSON object or a {\"records\": [...]} envelope",
                            bytes));
            return;
        }
        JsonNode records = node.get("records");
        if (records != null && records.isArray()) {
            for (int i = 0; i < records.size(); i++) {
                JsonNode row = records.get(i);
                if (!row.isObject()) {
                    out.accept(
                            dead(
                                    source,
                                    partition,
                                    offset,
                                    i,
                                    "envelope row is not a JSON object",
                                    row.toString().getBytes(StandardCharsets.UTF_8)));
                } else {
                    out.accept(row(row, source, partition, offset, i, null));
                }
            }
        } else {
            out.accept(row(node, source, partition, offset, -1, bytes));
        }
    }

    private InputRecord row(
            JsonNode row, String source, int partition, long offset, int index, byte[] raw) {
        String tgText = text(row, "TimeGenerated");
        long tg = EventTimes.parseNanos(tgText);
        if (tg == EventTimes.UNREADABLE) {
            return dead(
                    source,
                    partition,
                    offset,
                    index,
                    tgText == null
                            ? "row without TimeGenerated"
                            : "unreadable TimeGenerated '" + tgText + "'",
                    rawOf(row, raw));
        }
        if (table == Table.INDICATORS) {
            String id = text(row, "IndicatorId");
            if (id == null || id.isBlank()) {
                return dead(
                        source,
                        partition,
                        offset,
                        index,
                        "indicator row without IndicatorId",
                        rawOf(row, raw));
            }
            return InputRecord.of(indicator(row, id, tg, EventTimes.fractionDigits(tgText)));
        }
        Connection c = connection(row, tg, EventTimes.fractionDigits(tgText));
        c.late = lateness.isLate(source, partition, tg);
        return InputRecord.of(c);
    }

    // ---------------------------------------------------------------- the fast path: one row
    // object

    // The columns read (SPEC 1, 2): their index in {@link #columns}.
    private static final int TIME_GENERATED = 0,
            INDICATOR_ID = 1,
            ACTIVE = 2,
            EXPIRATION = 3,
            DESCRIPTION = 4,
            ACTIVITY_GROUP_NAMES = 5,
            THREAT_TYPE = 6,
            URL = 7,
            CONFIDENCE_SCORE = 8,
            NETWORK_IP = 9,
            NETWORK_DESTINATION_IP = 10,
            NETWORK_SOURCE_IP = 11,
            EMAIL_SOURCE_IP = 12,
            COMPUTER = 13,
            DIRECTION = 14,
            PROCESS_NAME = 15,
            SOURCE_IP = 16,
            DESTINATION_IP = 17,
            REMOTE_IP = 18,
            PROTOCOL = 19,
            DESTINATION_PORT = 20,
            COLUMN_COUNT = 21;

    /** {@link #columns}[ACTIVE] when Active reads as true (SPEC 1.6, 5.2). */
    private static final String TRUE = "true";

    private int columnIndex(String name) {
        if (table == Table.INDICATORS) {
            switch (name) {
                case "TimeGenerated":
                    return TIME_GENERATED;
                case "IndicatorId":
                    return INDICATOR_ID;
                case "Active":
                    return ACTIVE;
                case "ExpirationDateTime":
                    return EXPIRATION;
                case "Description":
                    return DESCRIPTION;
                case "ActivityGroupNames":
                    return ACTIVITY_GROUP_NAMES;
                case "ThreatType":
                    return THREAT_TYPE;
                case "Url":
                    return URL;
                case "ConfidenceScore":
                    return CONFIDENCE_SCORE;
                case "NetworkIP":
                    return NETWORK_IP;
                case "NetworkDestinationIP":
                    return NETWORK_DESTINATION_IP;
                case "NetworkSourceIP":
                    return NETWORK_SOURCE_IP;
                case "EmailSourceIpAddress":
                    return EMAIL_SOURCE_IP;
                default:
                    return -1;
            }
        }
        switch (name) {
            case "TimeGenerated":
                return TIME_GENERATED;
            case "Computer":
                return COMPUTER;
            case "Direction":
                return DIRECTION;
            case "ProcessName":
                return PROCESS_NAME;
            case "SourceIp":
                return SOURCE_IP;
            case "DestinationIp":
                return DESTINATION_IP;
            case "RemoteIp":
                return REMOTE_IP;
            case "Protocol":
                return PROTOCOL;
            case "DestinationPort":
                return DESTINATION_PORT;
            default:
                return -1;
        }
    }

    /**
     * The record as one row, read as a stream; null when it is not a single row object that reads
     * cleanly (an envelope, anything else, or bad JSON): the general path then takes it.
     */
    private InputRecord fastRow(byte[] bytes, String source, int partition, long offset) {
        String[] col = columns;
        java.util.Arrays.fill(col, null);
        try (JsonParser p = mapper.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int k = columnIndex(name);
                if (k < 0) {
                    if ("records".equals(name)) {
                        return null; // maybe an envelope: the general path decides
                    }
                    p.skipChildren();
                } else if (k == ACTIVE) {
                    col[k] =
                            v == JsonToken.VALUE_TRUE
                                            || v == JsonToken.VALUE_STRING
                                                    && p.getText().trim().equalsIgnoreCase("true")
                                    ? TRUE
                                    : null;
                    p.skipChildren();
                } else {
                    col[k] = text(p, v);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String tgText = col[TIME_GENERATED];
        long tg = EventTimes.parseNanos(tgText);
        if (tg == EventTimes.UNREADABLE) {
            return dead(
                    source,
                    partition,
                    offset,
                    -1,
                    tgText == null
                            ? "row without TimeGenerated"
                            : "unreadable TimeGenerated '" + tgText + "'",
                    bytes);
        }
        int digits = EventTimes.fractionDigits(tgText);
        if (table == Table.INDICATORS) {
            String id = col[INDICATOR_ID];
            if (id == null || id.isBlank()) {
                return dead(
                        source, partition, offset, -1, "indicator row without IndicatorId", bytes);
            }
            Indicator i = new Indicator();
            i.indicatorId = id;
            i.timeGenerated = tg;
            i.timeGeneratedDigits = digits;
            i.active = col[ACTIVE] == TRUE;
            i.expiration = EventTimes.parseNanos(col[EXPIRATION]);
            i.expirationDigits = EventTimes.fractionDigits(col[EXPIRATION]);
            i.description = col[DESCRIPTION];
            i.activityGroupNames = col[ACTIVITY_GROUP_NAMES];
            i.threatType = col[THREAT_TYPE];
            i.url = col[URL];
            i.confidenceScore = col[CONFIDENCE_SCORE];
            i.networkIp = col[NETWORK_IP];
            i.networkDestinationIp = col[NETWORK_DESTINATION_IP];
            i.networkSourceIp = col[NETWORK_SOURCE_IP];
            i.emailSourceIpAddress = col[EMAIL_SOURCE_IP];
            return InputRecord.of(i);
        }
        Connection c = new Connection();
        c.timeGenerated = tg;
        c.timeGeneratedDigits = digits;
        c.computer = col[COMPUTER];
        c.direction = col[DIRECTION];
        c.processName = col[PROCESS_NAME];
        c.sourceIp = col[SOURCE_IP];
        c.destinationIp = col[DESTINATION_IP];
        c.remoteIp = col[REMOTE_IP];
        c.protocol = col[PROTOCOL];
        c.destinationPort = col[DESTINATION_PORT];
        c.late = lateness.isLate(source, partition, tg);
        return InputRecord.of(c);
    }

    /** As {@link #text(JsonNode, String)} of the value the parser is on. */
    private String text(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                return p.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.INT) {
                    return Integer.toString(p.getIntValue());
                }
                if (p.getNumberType() == JsonParser.NumberType.LONG) {
                    return Long.toString(p.getLongValue());
                }
                return ((JsonNode) mapper.readTree(p)).asText();
            case VALUE_NUMBER_FLOAT:
                return ((JsonNode) mapper.readTree(p))
                        .asText(); // exactly as the tree (DoubleNode) writes it
            default: // an object or an array: its compact JSON, as the tree writes it
                return ((JsonNode) mapper.readTree(p)).toString();
        }
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

    private InputRecord dead(
            String source, int partition, long offset, int row, String reason, byte[] raw) {
        return InputRecord.of(
                DeadLetter.of(table.label, source, partition, offset, row, reason, raw));
    }
}

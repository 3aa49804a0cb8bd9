package io.tiflink.vmconn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.io.RowParser.Table;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import java.io.IOException;
import java.util.Arrays;

/**
 * RowParser's fast path: a record that is one legacy indicator row (SPEC 1) or one connection row
 * (SPEC 2), read as a stream of tokens, keeping only the columns the job uses and skipping the
 * others without building them (a VMConnection row has 44 columns, the job reads 9). Anything else
 * is left to the tree path: an envelope, bad JSON, and on the indicator input every record that may
 * be of another shape (SPEC 6.1: a column {@code type}, {@code objects}, {@code more}, {@code
 * next}, {@code Id}, {@code ObservableKey}, {@code ObservableValue} or {@code Pattern}). A column's
 * text is what {@code JsonNode.asText()} (scalars) or {@code toString()} (objects, arrays) gives,
 * as on the tree path. A record that names a column the job reads twice is left to the tree path
 * too, which makes it a dead letter ({@link JsonColumns}). Not thread-safe.
 */
final class FastRowReader {

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
            NETWORK_CIDR_BLOCK = 13,
            COMPUTER = 14,
            DIRECTION = 15,
            PROCESS_NAME = 16,
            SOURCE_IP = 17,
            DESTINATION_IP = 18,
            REMOTE_IP = 19,
            PROTOCOL = 20,
            DESTINATION_PORT = 21,
            COLUMN_COUNT = 22;

    /** A column after which the tree path decides (an envelope, or another shape). */
    private static final int TREE_PATH = -2;

    /** {@link #columns}[ACTIVE] when Active reads as true (SPEC 1.6, 5.2). */
    private static final String TRUE = "true";

    private final Table table;
    private final ObjectMapper mapper;
    private final String[] columns = new String[COLUMN_COUNT];

    FastRowReader(Table table, ObjectMapper mapper) {
        this.table = table;
        this.mapper = mapper;
    }

    private int columnIndex(String name) {
        if ("records".equals(name)) {
            return TREE_PATH; // maybe an envelope
        }
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
                case "NetworkCidrBlock":
                    return NETWORK_CIDR_BLOCK;
                case "type":
                case "objects":
                case "more":
                case "next":
                case "Id":
                case "ObservableKey":
                case "ObservableValue":
                case "Pattern":
                    return TREE_PATH; // maybe a STIX object, a bundle, a TAXII page, a TI row
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
     * Reads the record's columns; false when it is not a single row object that reads cleanly (the
     * tree path then takes it).
     */
    boolean read(byte[] bytes) {
        String[] col = columns;
        Arrays.fill(col, null);
        try (JsonParser p = mapper.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken t;
            int seen = 0; // a bit per column read
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int k = columnIndex(name);
                if (k == TREE_PATH) {
                    return false;
                } else if (k < 0) {
                    p.skipChildren();
                    continue;
                }
                if ((seen & (1 << k)) != 0) {
                    return false; // a column read twice: the tree path makes it a dead letter
                }
                seen |= 1 << k;
                if (k == ACTIVE) {
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
            return t == JsonToken.END_OBJECT;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** TimeGenerated of the row read, as received. */
    String timeGenerated() {
        return columns[TIME_GENERATED];
    }

    /** IndicatorId of the row read, as received. */
    String indicatorId() {
        return columns[INDICATOR_ID];
    }

    /** The legacy indicator row read (SPEC 1), with its readable TimeGenerated and IndicatorId. */
    Indicator indicator(long tg, int digits) {
        String[] col = columns;
        Indicator i = new Indicator();
        i.indicatorId = col[INDICATOR_ID];
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
        i.ip = col[NETWORK_CIDR_BLOCK]; // as received: see RowParser.legacyIndicator
        return i;
    }

    /** The connection row read (SPEC 2), with its readable TimeGenerated. */
    Connection connection(long tg, int digits) {
        String[] col = columns;
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
        return c;
    }

    /** As {@link JsonColumns#text} of the value the parser is on. */
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
}

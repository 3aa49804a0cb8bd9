package io.tiflink.vmconn.io;

import static io.tiflink.vmconn.io.JsonColumns.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.InputRecord;
import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads one input record (SPEC 5.1, 6.1) into rows, dead letters (SPEC 5.3) or skipped elements.
 * Never throws on bad input. Connection rows that arrive late are marked by {@link ArrivalLateness}
 * (SPEC 4.4). One instance per source reader; not thread-safe. Dead letters are made by {@link
 * RecordPosition}, version times judged by {@link VersionTimeChecks}.
 *
 * <p>A record is a JSON object. On both inputs: a table row, or an Azure Monitor envelope {@code
 * {"records": [...]}}. On the indicator input also (SPEC 6.1), decided in this order:
 *
 * <ol>
 *   <li>{@code "records"} holding an array: an Azure Monitor envelope; its elements are read.
 *   <li>{@code "type": "bundle"}: a STIX bundle; the elements of its {@code objects} are read
 *       ({@code objects} absent or null: an empty bundle; not an array: a dead letter).
 *   <li>no string {@code type}, and {@code objects}, {@code more} or {@code next}: a TAXII 2.1
 *       envelope; the elements of its {@code objects} are read ({@code objects} absent: an empty
 *       page, no rows and no dead letter; present but not an array, null included: a dead letter).
 *   <li>otherwise the record is itself the one element.
 * </ol>
 *
 * Each element: not a JSON object: a dead letter. A lower-case string {@code type} (non-empty,
 * equal to its own lower case): "bundle" inside an envelope is a dead letter (a nested bundle);
 * "indicator" is a STIX indicator object; any other is a STIX object of another type, skipped as
 * {@value #OTHER_STIX_TYPE} (counted, not a dead letter). Else an element with a key {@code
 * ObservableKey}, {@code ObservableValue} or {@code Pattern} (any value), or with {@code Id} and
 * without {@code IndicatorId}, is a ThreatIntelIndicators row; any other is a legacy row. A dead
 * letter inside an envelope carries the element's index in it as its {@code row}.
 *
 * <p>A record that is one plain row takes the fast path ({@link FastRowReader}); anything else (an
 * envelope, another shape, not an object, not JSON, a duplicated column) the general path, a JSON
 * tree, which also decides every dead letter. Both paths give the same rows.
 *
 * <p>Besides SPEC 5.3's unreadable records, these are dead letters too: a row or object naming a
 * key the job reads more than once ({@link JsonColumns}: which value is meant is unknown); a
 * version time outside the years the job holds (1677 to 2262); and a version time further ahead
 * than the {@link MaxAhead} bound, which would move its input's watermark to where no real row is
 * yet.
 */
public final class RowParser implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The skip reason of a STIX object of another type than indicator (SPEC 6.1). */
    public static final String OTHER_STIX_TYPE = "other_stix_type";

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
    private final MaxAhead maxAhead;
    private transient ObjectMapper mapper;
    private transient VersionTimeChecks times;
    private transient FastRowReader fast;
    private transient IndicatorObjects indicatorObjects;

    /** A parser without a bound on how far ahead a row's time may lie. */
    public RowParser(Table table, long outOfOrdernessNanos) {
        this(table, outOfOrdernessNanos, MaxAhead.NONE);
    }

    /** A parser whose rows further ahead than {@code maxAhead} are dead letters. */
    public RowParser(Table table, long outOfOrdernessNanos, MaxAhead maxAhead) {
        this.table = table;
        this.outOfOrdernessNanos = outOfOrdernessNanos;
        this.maxAhead = maxAhead;
    }

    public Table table() {
        return table;
    }

    private void init() {
        if (mapper == null) {
            mapper = new ObjectMapper();
            mapper.setNodeFactory(JsonColumns.TRACKING); // objects note their duplicated keys
            times = new VersionTimeChecks(maxAhead, outOfOrdernessNanos);
            fast = new FastRowReader(table, mapper);
            indicatorObjects = new IndicatorObjects(mapper);
        }
    }

    /**
     * Parses {@code bytes} from {@code source} (file or topic), {@code partition} (-1 for files) at
     * {@code offset} (Kafka offset, or 1-based line number), handing each row, dead letter or
     * skipped element on.
     */
    public void parse(
            byte[] bytes, String source, int partition, long offset, Consumer<InputRecord> out) {
        init();
        if (fast.read(bytes)) {
            out.accept(fastRow(bytes, source, partition, offset));
            return;
        }
        parseTree(bytes, source, partition, offset, out);
    }

    /** The row the fast path read, or its dead letter. */
    private InputRecord fastRow(byte[] bytes, String source, int partition, long offset) {
        RecordPosition at = new RecordPosition(table, source, partition, offset);
        Function<String, InputRecord> dead = reason -> at.dead(-1, reason, bytes);
        String tgText = fast.timeGenerated();
        long tg = EventTimes.parseNanos(tgText);
        String problem = VersionTimeChecks.timeProblem(tgText, tg);
        if (problem != null) {
            return dead.apply(problem);
        }
        int digits = EventTimes.fractionDigits(tgText);
        if (table == Table.INDICATORS) {
            String id = fast.indicatorId();
            if (id == null || id.isBlank()) {
                return dead.apply(IndicatorObjects.NO_INDICATOR_ID);
            }
            return times.inTime(InputRecord.of(fast.indicator(tg, digits)), at, dead);
        }
        return times.inTime(InputRecord.of(fast.connection(tg, digits)), at, dead);
    }

    /** The general path: the record as a JSON tree (every record shape, every dead letter). */
    void parseTree(
            byte[] bytes, String source, int partition, long offset, Consumer<InputRecord> out) {
        init();
        RecordPosition at = new RecordPosition(table, source, partition, offset);
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            out.accept(at.dead(-1, "not JSON: " + e.getOriginalMessage(), bytes));
            return;
        } catch (IOException e) {
            out.accept(at.dead(-1, "unreadable: " + e.getMessage(), bytes));
            return;
        }
        if (node == null || node.isMissingNode()) {
            out.accept(at.dead(-1, "empty record", bytes));
            return;
        }
        if (!node.isObject()) {
            out.accept(at.dead(-1, "not a JSON object or a {\"records\": [...]} envelope", bytes));
            return;
        }
        String duplicate =
                JsonColumns.duplicateOf(
                        node,
                        table == Table.CONNECTIONS
                                ? JsonColumns.CONNECTION_RECORD_KEYS
                                : JsonColumns.INDICATOR_RECORD_KEYS);
        if (duplicate != null) {
            out.accept(at.dead(-1, JsonColumns.duplicateKey(duplicate), bytes));
            return;
        }
        JsonNode records = node.get("records");
        if (records != null && records.isArray()) {
            elements(records, "envelope row is not a JSON object", at, out);
        } else if (table == Table.CONNECTIONS) {
            out.accept(row(node, at, -1, bytes));
        } else if ("bundle".equals(stixType(node))) {
            objects(node, "bundle", true, at, bytes, out);
        } else if (!isTextual(node.get("type"))
                && (node.has("objects") || node.has("more") || node.has("next"))) {
            objects(node, "TAXII envelope", false, at, bytes, out);
        } else {
            out.accept(row(node, at, -1, bytes));
        }
    }

    /**
     * The elements of a bundle's or TAXII envelope's {@code objects}: absent (or, for a bundle,
     * null) is an empty page; anything else but an array is a dead letter.
     */
    private void objects(
            JsonNode node,
            String what,
            boolean nullIsEmpty,
            RecordPosition at,
            byte[] bytes,
            Consumer<InputRecord> out) {
        JsonNode objects = node.get("objects");
        if (objects == null || nullIsEmpty && objects.isNull()) {
            return; // an empty page (SPEC 6.1)
        }
        if (!objects.isArray()) {
            out.accept(at.dead(-1, what + " whose objects is not an array", bytes));
            return;
        }
        elements(objects, what + " object is not a JSON object", at, out);
    }

    private void elements(
            JsonNode array, String notAnObject, RecordPosition at, Consumer<InputRecord> out) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                out.accept(at.dead(i, notAnObject, RecordPosition.rawOf(element, null)));
            } else if (table == Table.INDICATORS && "bundle".equals(stixType(element))) {
                out.accept(at.dead(i, "nested bundle", RecordPosition.rawOf(element, null)));
            } else {
                out.accept(row(element, at, i, null));
            }
        }
    }

    /**
     * One element (SPEC 6.1): a row of either input, a STIX indicator, or another STIX type. {@code
     * index} is its place in an envelope (-1 for a whole record, whose bytes are {@code raw}).
     */
    private InputRecord row(JsonNode row, RecordPosition at, int index, byte[] raw) {
        Function<String, InputRecord> dead =
                reason -> at.dead(index, reason, RecordPosition.rawOf(row, raw));
        if (table == Table.CONNECTIONS) {
            return times.inTime(connectionRow(row, dead), at, dead);
        }
        if (JsonColumns.duplicateOf(row, JsonColumns.SHAPE_KEYS) != null) {
            return dead.apply(JsonColumns.duplicateKey("type")); // which shape is meant?
        }
        String type = stixType(row);
        if ("indicator".equals(type)) {
            return times.inTime(indicatorObjects.stixIndicator(row, dead), at, dead);
        }
        if (type != null) {
            return InputRecord.skipped(OTHER_STIX_TYPE);
        }
        if (row.has("ObservableKey")
                || row.has("ObservableValue")
                || row.has("Pattern")
                || row.has("Id") && !row.has("IndicatorId")) {
            return times.inTime(indicatorObjects.threatIntelRow(row, dead), at, dead);
        }
        return times.inTime(indicatorObjects.legacyRow(row, dead), at, dead);
    }

    /** A lower-case string {@code type} (non-empty, equal to its lower case), or null. */
    private static String stixType(JsonNode object) {
        JsonNode t = object.get("type");
        if (!isTextual(t)) {
            return null;
        }
        String s = t.textValue();
        return !s.isEmpty() && s.equals(s.toLowerCase(Locale.ROOT)) ? s : null;
    }

    private static boolean isTextual(JsonNode v) {
        return v != null && v.isTextual();
    }

    /**
     * A connection row (SPEC 2), not yet judged against {@link #maxAhead} nor marked late ({@link
     * VersionTimeChecks#inTime}).
     */
    private static InputRecord connectionRow(JsonNode row, Function<String, InputRecord> dead) {
        String duplicate = JsonColumns.duplicateOf(row, JsonColumns.CONNECTION_COLUMNS);
        if (duplicate != null) {
            return dead.apply(JsonColumns.duplicateKey(duplicate));
        }
        String tgText = text(row, "TimeGenerated");
        long tg = EventTimes.parseNanos(tgText);
        String problem = VersionTimeChecks.timeProblem(tgText, tg);
        if (problem != null) {
            return dead.apply(problem);
        }
        Connection c = new Connection();
        c.timeGenerated = tg;
        c.timeGeneratedDigits = EventTimes.fractionDigits(tgText);
        c.computer = text(row, "Computer");
        c.direction = text(row, "Direction");
        c.processName = text(row, "ProcessName");
        c.sourceIp = text(row, "SourceIp");
        c.destinationIp = text(row, "DestinationIp");
        c.remoteIp = text(row, "RemoteIp");
        c.protocol = text(row, "Protocol");
        c.destinationPort = text(row, "DestinationPort");
        return InputRecord.of(c);
    }
}

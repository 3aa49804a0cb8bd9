package io.tiflink.vmconn.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.model.EventTimes;
import java.util.ArrayList;
import java.util.List;

/** Orders and cuts JSON Lines inputs by event time. */
public final class ScenarioLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScenarioLines() {}

    /**
     * Lines in TimeGenerated order (stable: ties keep their order); unreadable lines stay after
     * their neighbour.
     */
    public static List<String> sortedByTime(List<String> lines) {
        List<long[]> keyed = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            long t = firstTime(lines.get(i));
            last = t == Long.MIN_VALUE ? last : t;
            keyed.add(new long[] {last, i});
        }
        keyed.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<String> out = new ArrayList<>();
        keyed.forEach(k -> out.add(lines.get((int) k[1])));
        return out;
    }

    /**
     * Every element of an envelope, STIX bundle or TAXII page on a line of its own (other lines as
     * they are): a record holds elements of different times, which no order of records streams
     * within the out-of-orderness bound; one element per line can be sorted so that every row is on
     * time.
     */
    public static List<String> oneElementPerLine(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (Exception notJson) {
                out.add(line);
                continue;
            }
            JsonNode holder = null;
            for (String field : new String[] {"records", "objects"}) {
                if (node != null && node.isObject() && node.path(field).isArray()) {
                    holder = node.get(field);
                }
            }
            if (holder == null || holder.isEmpty()) {
                out.add(line);
                continue;
            }
            for (JsonNode element : holder) {
                out.add(element.toString()); // an element that is no object stays a dead letter
            }
        }
        return out;
    }

    /** How many of the (sorted) lines come before the instant. */
    public static int countBefore(List<String> sortedLines, long nanos) {
        int n = 0;
        long last = Long.MIN_VALUE;
        for (String line : sortedLines) {
            long t = firstTime(line);
            last = t == Long.MIN_VALUE ? last : t;
            if (last >= nanos) {
                break;
            }
            n++;
        }
        return n;
    }

    /**
     * The event time of a line's first element (a row's TimeGenerated, a STIX object's modified,
     * else created); Long.MIN_VALUE when it has none.
     */
    public static long firstTime(String line) {
        try {
            JsonNode row = firstElement(MAPPER.readTree(line));
            String text =
                    row.hasNonNull("TimeGenerated")
                            ? row.path("TimeGenerated").asText(null)
                            : row.hasNonNull("modified")
                                    ? row.path("modified").asText(null)
                                    : row.path("created").asText(null);
            long t = EventTimes.parseNanos(text);
            return t == EventTimes.UNREADABLE ? Long.MIN_VALUE : t;
        } catch (Exception e) {
            return Long.MIN_VALUE;
        }
    }

    /** A record's first element: of an envelope, a STIX bundle or a TAXII page; else itself. */
    public static JsonNode firstElement(JsonNode node) {
        for (String holder : new String[] {"records", "objects"}) {
            if (node.has(holder) && node.get(holder).isArray() && node.get(holder).size() > 0) {
                return node.get(holder).get(0);
            }
        }
        return node;
    }
}

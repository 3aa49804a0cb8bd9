package io.tiflink.vmconn.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads alert files and compares them field by field with the reference's alerts. */
public final class AlertComparison {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertComparison() {}

    public static List<ObjectNode> readLines(Path file) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add((ObjectNode) MAPPER.readTree(line));
            }
        }
        return out;
    }

    /** The last alert per AlertId: what a consumer that upserts by id ends up with. */
    public static Map<String, ObjectNode> lastById(List<ObjectNode> alerts) {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (ObjectNode a : alerts) {
            byId.put(a.get("AlertId").asText(), a);
        }
        return byId;
    }

    /**
     * Every field of each expected alert equals the job's (numbers by value), and no alert more or
     * less.
     */
    public static void assertSameAlerts(List<ObjectNode> actual, List<ObjectNode> expected) {
        Map<String, ObjectNode> got = new TreeMap<>(lastById(actual));
        Map<String, ObjectNode> want = new TreeMap<>(lastById(expected));
        List<String> unexpected = new ArrayList<>();
        got.forEach(
                (id, a) -> {
                    if (!want.containsKey(id)) unexpected.add(a.toString());
                });
        List<String> missing = new ArrayList<>();
        want.forEach(
                (id, a) -> {
                    if (!got.containsKey(id)) missing.add(a.toString());
                });
        assertThat(unexpected).as("alerts the reference does not give").isEmpty();
        assertThat(missing).as("alerts the reference gives but the job does not").isEmpty();
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : want.entrySet()) {
            ObjectNode w = e.getValue();
            ObjectNode g = got.get(e.getKey());
            for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!same(w.get(f), g.get(f))) {
                    differences.add(
                            e.getKey()
                                    + " "
                                    + w.get("IndicatorId")
                                    + "/"
                                    + w.get("TI_ipEntity")
                                    + " "
                                    + f
                                    + ": expected "
                                    + w.get(f)
                                    + " but was "
                                    + g.get(f));
                }
            }
        }
        assertThat(differences).as("field differences").isEmpty();
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || a.isNull()) {
            return b == null || b.isNull();
        }
        if (b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}

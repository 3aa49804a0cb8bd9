package io.tiflink.vmconn.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How the tree path reads a column of a row or a property of a STIX object (SPEC 5.2), and which
 * keys of an object appeared in it more than once.
 *
 * <p>Duplicate keys: JSON leaves them undefined, and a reader keeps the last value silently (so
 * does Jackson's tree). A row that names a column the job reads twice ({@code "TimeGenerated":
 * "...", "TimeGenerated": "2030-..."}) is ambiguous: it is a dead letter, whichever value is the
 * right one. A duplicate of a column the job ignores changes nothing the job computes and is let
 * through. The trees of the tree path are built with {@link #TRACKING}, whose objects remember
 * their duplicated keys; {@link #duplicateOf} asks them.
 */
final class JsonColumns {

    private JsonColumns() {}

    /** The columns of a VMConnection row the job reads (SPEC 2). */
    static final Set<String> CONNECTION_COLUMNS =
            Set.of(
                    "TimeGenerated",
                    "Computer",
                    "Direction",
                    "ProcessName",
                    "SourceIp",
                    "DestinationIp",
                    "RemoteIp",
                    "Protocol",
                    "DestinationPort");

    /**
     * The columns of a ThreatIntelligenceIndicator row the job reads (SPEC 1), and {@code type},
     * whose value decides an element's shape (SPEC 6.1).
     */
    static final Set<String> LEGACY_COLUMNS =
            Set.of(
                    "TimeGenerated",
                    "IndicatorId",
                    "Active",
                    "ExpirationDateTime",
                    "Description",
                    "ActivityGroupNames",
                    "ThreatType",
                    "Url",
                    "ConfidenceScore",
                    "NetworkIP",
                    "NetworkDestinationIP",
                    "NetworkSourceIP",
                    "EmailSourceIpAddress",
                    "NetworkCidrBlock",
                    "type");

    /** The columns of a ThreatIntelIndicators row the job reads (SPEC 6.2), and {@code type}. */
    static final Set<String> THREAT_INTEL_COLUMNS =
            Set.of(
                    "TimeGenerated",
                    "Id",
                    "IsActive",
                    "IsDeleted",
                    "Revoked",
                    "ValidFrom",
                    "ValidUntil",
                    "Data",
                    "Confidence",
                    "ObservableKey",
                    "ObservableValue",
                    "Pattern",
                    "type");

    /** The keys of a ThreatIntelIndicators row's {@code Data} the job reads (SPEC 6.2e). */
    static final Set<String> DATA_KEYS = Set.of("description", "labels");

    /** The properties of a STIX indicator object the job reads (SPEC 6.3). */
    static final Set<String> STIX_PROPERTIES =
            Set.of(
                    "type",
                    "id",
                    "modified",
                    "created",
                    "valid_from",
                    "valid_until",
                    "revoked",
                    "description",
                    "labels",
                    "confidence",
                    "pattern",
                    "pattern_type");

    /** The key whose value decides an indicator element's shape (SPEC 6.1). */
    static final Set<String> SHAPE_KEYS = Set.of("type");

    /** The keys of a whole record that decide what it is (SPEC 5.1, 6.1). */
    static final Set<String> CONNECTION_RECORD_KEYS = Set.of("records");

    static final Set<String> INDICATOR_RECORD_KEYS = Set.of("records", "type", "objects");

    /** A node factory whose objects remember which of their keys came more than once. */
    static final JsonNodeFactory TRACKING = new TrackingFactory();

    /**
     * The first key of {@code keys} that {@code object} held more than once (in the order the
     * duplicates came), or null. Null for an object not built by {@link #TRACKING}.
     */
    static String duplicateOf(JsonNode object, Set<String> keys) {
        if (object instanceof TrackingObjectNode) {
            Set<String> duplicates = ((TrackingObjectNode) object).duplicates;
            if (duplicates != null) {
                for (String k : duplicates) {
                    if (keys.contains(k)) {
                        return k;
                    }
                }
            }
        }
        return null;
    }

    /** The dead-letter reason of a duplicated key. */
    static String duplicateKey(String key) {
        return "duplicate key '" + key + "'";
    }

    private static final class TrackingFactory extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        TrackingFactory() {
            super(false);
        }

        @Override
        public ObjectNode objectNode() {
            return new TrackingObjectNode(this);
        }
    }

    /** An object node that notes the keys Jackson's tree reader replaced (their duplicates). */
    private static final class TrackingObjectNode extends ObjectNode {
        private static final long serialVersionUID = 1L;
        private Set<String> duplicates;

        TrackingObjectNode(JsonNodeFactory nc) {
            super(nc);
        }

        @Override
        public JsonNode replace(String name, JsonNode value) {
            JsonNode old = super.replace(name, value);
            if (old != null) {
                if (duplicates == null) {
                    duplicates = new LinkedHashSet<>();
                }
                duplicates.add(name);
            }
            return old;
        }
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

    /**
     * A ThreatIntelIndicators {@code Id} (SPEC 5.3): a string or a number, not blank; else null
     * (the row is then a dead letter).
     */
    static String id(JsonNode row, String column) {
        JsonNode v = row.get(column);
        if (v == null || !(v.isTextual() || v.isNumber())) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }

    /** A STIX {@code id} (SPEC 5.3): a non-blank string; else null (a dead letter). */
    static String stixId(JsonNode object) {
        JsonNode v = object.get("id");
        return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
    }

    private static final String ACTIVITY_GROUP = "ActivityGroup:";

    /**
     * SPEC 6.2e: the text after "ActivityGroup:" of the first element of {@code labels} that is a
     * string starting with it; "" when there is none (no labels, labels not an array included).
     */
    static String activityGroup(JsonNode labels) {
        if (labels != null && labels.isArray()) {
            for (JsonNode label : labels) {
                if (label.isTextual() && label.textValue().startsWith(ACTIVITY_GROUP)) {
                    return label.textValue().substring(ACTIVITY_GROUP.length());
                }
            }
        }
        return "";
    }
}

package io.tiflink.vmconn.io;

import com.fasterxml.jackson.databind.JsonNode;

/** How the tree path reads a column of a row or a property of a STIX object (SPEC 5.2). */
final class JsonColumns {

    private JsonColumns() {}

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

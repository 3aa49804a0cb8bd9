package io.tiflink.vmconn.io;

import static io.tiflink.vmconn.io.JsonColumns.activityGroup;
import static io.tiflink.vmconn.io.JsonColumns.bool;
import static io.tiflink.vmconn.io.JsonColumns.text;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.io.IOException;
import java.util.function.Function;

/**
 * Reads an element of the indicator input on RowParser's tree path, a legacy row (SPEC 1), a
 * ThreatIntelIndicators row (SPEC 6.2) or a STIX 2.1 indicator object (SPEC 6.3), into one
 * indicator version, or a dead letter (SPEC 5.3). The version still carries its raw columns
 * (ObservableKey, Pattern, pattern_type, NetworkCidrBlock) and no canonical target: {@code
 * rows.IndicatorRows} checks it next.
 *
 * <p>"Present" means the key is there and not JSON null; an empty string is present and unreadable.
 * A present but unreadable ValidFrom, ValidUntil, valid_from or valid_until makes the version never
 * live ({@code active} false): it is still a version, and replaces older ones (SPEC 1.6).
 */
final class IndicatorObjects {

    static final String NO_INDICATOR_ID = "indicator row without IndicatorId";

    private final ObjectReader dataReader;

    IndicatorObjects(ObjectMapper mapper) {
        // Data as a JSON string must hold exactly one JSON value: "{...} x" is no Data.
        this.dataReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * SPEC 1: a legacy ThreatIntelligenceIndicator row. Its NetworkCidrBlock (SPEC 1.1's last
     * column) travels as received in {@code ip} to {@code rows.IndicatorIps}, which picks the
     * column: the model has no column for it, and alerts do not show it. A dead letter made by
     * {@code dead} when it has no readable TimeGenerated or no non-blank IndicatorId.
     */
    InputRecord legacyRow(JsonNode row, Function<String, InputRecord> dead) {
        String duplicate = JsonColumns.duplicateOf(row, JsonColumns.LEGACY_COLUMNS);
        if (duplicate != null) {
            return dead.apply(JsonColumns.duplicateKey(duplicate));
        }
        String tgText = text(row, "TimeGenerated");
        long tg = EventTimes.parseNanos(tgText);
        String problem = timeProblem("row without TimeGenerated", "TimeGenerated", tgText, tg);
        if (problem != null) {
            return dead.apply(problem);
        }
        String id = text(row, "IndicatorId");
        if (id == null || id.isBlank()) {
            return dead.apply(NO_INDICATOR_ID);
        }
        Indicator i = new Indicator();
        i.indicatorId = id;
        i.timeGenerated = tg;
        i.timeGeneratedDigits = EventTimes.fractionDigits(tgText);
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
        i.ip = text(row, "NetworkCidrBlock");
        return InputRecord.of(i);
    }

    /**
     * SPEC 6.2: a ThreatIntelIndicators row; a dead letter made by {@code dead} (from the reason)
     * when it has no readable TimeGenerated or no Id (a non-blank string or number).
     */
    InputRecord threatIntelRow(JsonNode row, Function<String, InputRecord> dead) {
        String duplicate = JsonColumns.duplicateOf(row, JsonColumns.THREAT_INTEL_COLUMNS);
        JsonNode data = data(row.get("Data"));
        if (duplicate == null && data != null) {
            String inData = JsonColumns.duplicateOf(data, JsonColumns.DATA_KEYS);
            duplicate = inData == null ? null : "Data." + inData;
        }
        if (duplicate != null) {
            return dead.apply(JsonColumns.duplicateKey(duplicate));
        }
        String tgText = text(row, "TimeGenerated");
        long tg = EventTimes.parseNanos(tgText);
        String problem = timeProblem("row without TimeGenerated", "TimeGenerated", tgText, tg);
        if (problem != null) {
            return dead.apply(problem);
        }
        String id = JsonColumns.id(row, "Id");
        if (id == null) {
            return dead.apply("ThreatIntelIndicators row without Id");
        }
        Indicator i = new Indicator();
        i.shape = Indicator.TI_ROW;
        i.indicatorId = id;
        i.timeGenerated = tg;
        i.timeGeneratedDigits = EventTimes.fractionDigits(tgText);
        // SPEC 6.2d: IsActive true, IsDeleted and Revoked not true, readable bounds.
        boolean flags =
                bool(row.get("IsActive"))
                        && !bool(row.get("IsDeleted"))
                        && !bool(row.get("Revoked"));
        boolean bounds = bounds(i, text(row, "ValidFrom"), false, text(row, "ValidUntil"));
        i.active = flags && bounds;
        i.description = data == null ? null : text(data, "description");
        i.activityGroupNames = activityGroup(data == null ? null : data.get("labels"));
        i.confidenceScore = text(row, "Confidence");
        i.observableKey = text(row, "ObservableKey");
        i.networkSourceIp = text(row, "ObservableValue"); // as received (SPEC 6.2e)
        i.pattern = text(row, "Pattern");
        return InputRecord.of(i);
    }

    /**
     * SPEC 6.3: a STIX indicator object; a dead letter made by {@code dead} when it has no
     * non-blank string {@code id}, or its version time, {@code modified} when present, else {@code
     * created}, is missing or unreadable (an unreadable {@code modified} is not replaced by {@code
     * created}).
     */
    InputRecord stixIndicator(JsonNode object, Function<String, InputRecord> dead) {
        String duplicate = JsonColumns.duplicateOf(object, JsonColumns.STIX_PROPERTIES);
        if (duplicate != null) {
            return dead.apply(JsonColumns.duplicateKey(duplicate));
        }
        String id = JsonColumns.stixId(object);
        if (id == null) {
            return dead.apply("STIX indicator without id");
        }
        String timeProperty = object.hasNonNull("modified") ? "modified" : "created";
        String timeText = text(object, timeProperty);
        long time = EventTimes.parseNanos(timeText);
        String problem =
                timeProblem(
                        "STIX indicator without modified or created", timeProperty, timeText, time);
        if (problem != null) {
            return dead.apply(problem);
        }
        Indicator i = new Indicator();
        i.shape = Indicator.STIX;
        i.indicatorId = id;
        i.timeGenerated = time;
        i.timeGeneratedDigits = EventTimes.fractionDigits(timeText);
        // SPEC 6.3d: not revoked, valid_from present and readable, valid_until readable if present.
        boolean bounds = bounds(i, text(object, "valid_from"), true, text(object, "valid_until"));
        i.active = !bool(object.get("revoked")) && bounds;
        i.description = text(object, "description");
        i.activityGroupNames = activityGroup(object.get("labels"));
        i.confidenceScore = text(object, "confidence");
        i.pattern = text(object, "pattern");
        i.patternType = text(object, "pattern_type");
        return InputRecord.of(i);
    }

    /**
     * The reason a version time read from {@code text} as {@code nanos} is unusable, or null when
     * it is usable: {@code missing} when there is no text; unreadable; or outside the times the job
     * holds exactly, epoch nanoseconds in a long (years 1677 to 2262: {@code
     * "+999999999-12-31T23:59:59Z"} reads, but saturated it would compare equal to every other time
     * beyond 2262, and move a watermark to the end of time).
     */
    static String timeProblem(String missing, String column, String text, long nanos) {
        if (nanos == EventTimes.UNREADABLE) {
            return text == null ? missing : "unreadable " + column + " '" + quoted(text) + "'";
        }
        if (nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE + 1) {
            return column
                    + " '"
                    + quoted(text)
                    + "' is outside the times the job can hold (years 1677 to 2262)";
        }
        return null;
    }

    /** At most {@value #QUOTED_CHARS} characters of a value, for a reason. */
    static String quoted(String text) {
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
    }

    private static final int QUOTED_CHARS = 64;

    /**
     * Sets {@code validFrom} (0 when absent or unreadable: no condition, the version being never
     * live in the second case anyway) and the expiry: {@code hasValidUntil}, and {@code expiration}
     * = ValidUntil when present ({@link EventTimes#UNREADABLE} when unreadable), else MAX_VALUE.
     * False when the version can never be live: a bound present but unreadable, or {@code from}
     * absent while required (STIX).
     */
    private static boolean bounds(Indicator i, String from, boolean fromRequired, String until) {
        boolean readable = true;
        if (from == null) {
            readable = !fromRequired;
        } else {
            long f = EventTimes.parseNanos(from);
            if (f == EventTimes.UNREADABLE) {
                readable = false;
            } else {
                i.validFrom = f;
                i.validFromDigits = EventTimes.fractionDigits(from);
            }
        }
        if (until == null) {
            i.hasValidUntil = false;
            i.expiration = Long.MAX_VALUE;
            i.expirationDigits = 0;
        } else {
            i.hasValidUntil = true;
            i.expiration = EventTimes.parseNanos(until);
            if (i.expiration == EventTimes.UNREADABLE) {
                readable = false;
            } else {
                i.expirationDigits = EventTimes.fractionDigits(until);
            }
        }
        return readable;
    }

    /** SPEC 6.2e: Data, a JSON object or a JSON string holding one; else null (no Data). */
    private JsonNode data(JsonNode d) {
        if (d != null && d.isTextual()) {
            try {
                d = dataReader.readTree(d.textValue());
            } catch (IOException e) {
                return null;
            }
        }
        return d != null && d.isObject() ? d : null;
    }
}

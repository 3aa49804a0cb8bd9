package io.tiflink.vmconn.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.RefIp.Cidr;
import io.tiflink.vmconn.reference.RefTime.Stamp;
import io.tiflink.vmconn.reference.SpecReference.Kind;
import io.tiflink.vmconn.reference.SpecReference.Settings;
import io.tiflink.vmconn.reference.SpecReference.Target;
import io.tiflink.vmconn.reference.SpecReference.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The oracle's reading of the indicator input: record shapes (SPEC 5.1, 6.1), dead letters (5.3),
 * legacy rows (1.1-1.4), ThreatIntelIndicators rows (6.2a-d), STIX indicators (6.3a-d) and ranges
 * (6.4a-b). It turns lines into {@link Version}s and counts what it skips; it knows nothing of
 * matching.
 *
 * <p>Shapes (brief, decision 1), for each line that is a JSON object:
 *
 * <ol>
 *   <li>{@code "records"} holding an array: an Azure Monitor envelope; its elements are read.
 *   <li>a lower-case string {@code "type"} equal to "bundle": a STIX bundle; the elements of its
 *       {@code "objects"} array are read (no {@code "objects"}: an empty bundle; {@code "objects"}
 *       that is not an array: a dead letter).
 *   <li>no string {@code "type"}, and {@code "objects"}, {@code "more"} or {@code "next"}: a TAXII
 *       2.1 envelope; the elements of its {@code "objects"} array are read (no {@code "objects"}:
 *       an empty page, nothing read, nothing counted; {@code "objects"} that is not an array: a
 *       dead letter).
 *   <li>otherwise the line itself is the one element.
 * </ol>
 *
 * Each element: not a JSON object: a dead letter. A lower-case string {@code "type"}: "bundle"
 * inside any envelope is a dead letter (nested bundle); "indicator" is a STIX indicator; any other
 * is another STIX type, counted ({@code indicator.otherStixType}) and skipped. Otherwise an element
 * with the key {@code ObservableKey}, {@code ObservableValue} or {@code Pattern} (any value), or
 * with {@code Id} and without {@code IndicatorId}, is a ThreatIntelIndicators row; any other is a
 * legacy row. "Lower-case" means non-empty and equal to its own lower-case form.
 *
 * <p>Dead letters (5.3, decision 2): a legacy row without a readable {@code TimeGenerated} or a
 * non-blank {@code IndicatorId}; a ThreatIntelIndicators row without a readable {@code
 * TimeGenerated} or a non-blank {@code Id} (string or number, as {@code IndicatorId}); a STIX
 * indicator without a non-blank string {@code id}, or whose {@code modified} (when present and not
 * null, else {@code created}) is missing or unreadable. A present but unreadable {@code modified}
 * is a dead letter even when {@code created} is readable.
 *
 * <p>ThreatIntelIndicators rows (decisions 3, 9): when {@code ObservableKey} and {@code
 * ObservableValue} are both empty (1.1's "empty"), the row's {@code Pattern} is read as a STIX
 * pattern ({@link RefPattern}): an empty Pattern is {@code indicator.noIp}, an unsupported one
 * {@code indicator.unsupportedPattern}, one without an IP {@code indicator.notIpType}; each of its
 * values is then a timeline of its own, named by the first value as written with that canonical
 * target. Otherwise the Pattern is not read: the object type of ObservableKey (its text before the
 * first ':', without '[', ']' and '"', trimmed; an empty key has the type "") must be ipv4-addr,
 * ipv6-addr or network-traffic (else {@code indicator.notIpType}), and ObservableValue must not be
 * empty (else {@code indicator.noIp}).
 *
 * <p>STIX indicators (decisions 3, 11): {@code pattern_type} is judged before the pattern (missing
 * or JSON null counts as "stix"; anything else but the string "stix" is {@code
 * indicator.patternType}); a missing or non-string {@code pattern} is unsupported.
 *
 * <p>Values (decision 4): each value is parsed (address or CIDR, {@link RefIp#parseValue}), then
 * judged too broad (prefix shorter than {@link Settings#minRangePrefixV4()} / {@link
 * Settings#minRangePrefixV6()}), then excluded (wholly inside the exclusions). With several values
 * (a STIX pattern, or the pattern of a ThreatIntelIndicators row), one unparseable value makes the
 * whole row or object unusable ({@code indicator.invalidIp}); too-broad or excluded ones are
 * dropped one by one, without a count; when none is left, the row or object is counted once, under
 * the reason of its first dropped value. Skipped rows and objects are no versions (1.4).
 *
 * <p>Counters: indicator.noIp, indicator.invalidIp, indicator.excludedIp, indicator.notIpType,
 * indicator.unsupportedPattern, indicator.patternType, indicator.rangeTooBroad,
 * indicator.otherStixType.
 */
final class RefIndicators {

    private RefIndicators() {}

    static final Set<String> IP_OBJECT_TYPES = Set.of("ipv4-addr", "ipv6-addr", "network-traffic");

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The versions read, in arrival order, and the number of dead letters. */
    record Reading(List<Version> versions, int deadLetters) {}

    static Reading read(List<String> lines, Settings s, Map<String, Integer> counters) {
        Reader r = new Reader(s, counters);
        for (String line : lines) {
            r.line(line);
        }
        return new Reading(List.copyOf(r.versions), r.dead);
    }

    private static final class Reader {
        private final Settings settings;
        private final List<Cidr> extra;
        private final Map<String, Integer> counters;
        private final List<Version> versions = new ArrayList<>();
        private int dead;
        private int arrival;

        Reader(Settings settings, Map<String, Integer> counters) {
            this.settings = settings;
            this.extra = settings.extraExcludedCidrs().stream().map(Cidr::parse).toList();
            this.counters = counters;
        }

        private void count(String reason) {
            counters.merge(reason, 1, Integer::sum);
        }

        // -------------------------------------------------------------------------- shapes

        void line(String line) {
            if (line.isBlank()) {
                return; // not a record at all
            }
            JsonNode n;
            try {
                n = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                dead++;
                return;
            }
            if (n == null || !n.isObject()) {
                dead++;
                return;
            }
            JsonNode records = n.get("records");
            String type = stixType(n);
            if (records != null && records.isArray()) {
                elements(records);
            } else if ("bundle".equals(type)) {
                JsonNode objects = n.get("objects");
                if (objects == null || objects.isNull()) {
                    return; // an empty bundle
                }
                if (!objects.isArray()) {
                    dead++;
                    return;
                }
                elements(objects);
            } else if (!(n.get("type") != null && n.get("type").isTextual())
                    && (n.has("objects") || n.has("more") || n.has("next"))) {
                JsonNode objects = n.get("objects");
                if (objects == null) {
                    return; // an empty TAXII page
                }
                if (!objects.isArray()) {
                    dead++;
                    return;
                }
                elements(objects);
            } else {
                element(n, false);
            }
        }

        private void elements(JsonNode array) {
            for (JsonNode e : array) {
                element(e, true);
            }
        }

        private void element(JsonNode e, boolean inEnvelope) {
            if (!e.isObject()) {
                dead++;
                return;
            }
            ObjectNode o = (ObjectNode) e;
            String type = stixType(o);
            if (type != null) {
                if (type.equals("bundle")) {
                    if (inEnvelope) {
                        dead++; // a nested bundle
                    }
                    return;
                }
                if (type.equals("indicator")) {
                    stix(o);
                } else {
                    count("indicator.otherStixType");
                }
                return;
            }
            if (o.has("ObservableKey")
                    || o.has("ObservableValue")
                    || o.has("Pattern")
                    || (o.has("Id") && !o.has("IndicatorId"))) {
                threatIntelIndicators(o);
            } else {
                legacy(o);
            }
        }

        /** A lower-case string "type", or null. */
        private static String stixType(JsonNode o) {
            JsonNode t = o.get("type");
            if (t == null || !t.isTextual()) {
                return null;
            }
            String s = t.textValue();
            return !s.isEmpty() && s.equals(s.toLowerCase(Locale.ROOT)) ? s : null;
        }

        // -------------------------------------------------------------------------- legacy rows

        /** SPEC 1.1 - 1.4, 1.6 (one version of IndicatorId). */
        private void legacy(ObjectNode row) {
            Stamp tg = RefTime.read(row.get("TimeGenerated"));
            String id = idText(row.get("IndicatorId"));
            if (tg == null || id == null) {
                dead++;
                return;
            }
            int arr = arrival++;
            String ipText = null;
            for (String col : SpecReference.IP_COLUMNS) {
                if (!SpecReference.isEmpty(row.get(col))) {
                    ipText = SpecReference.text(row, col);
                    break;
                }
            }
            if (ipText == null && !SpecReference.isEmpty(row.get("NetworkCidrBlock"))) {
                ipText = SpecReference.text(row, "NetworkCidrBlock");
            }
            if (ipText == null) {
                count("indicator.noIp");
                return;
            }
            List<Target> targets = targets(List.of(ipText));
            if (targets == null) {
                return;
            }
            Stamp expiry = RefTime.read(row.get("ExpirationDateTime"));
            versions.add(
                    new Version(
                            arr,
                            Kind.LEGACY,
                            id,
                            id,
                            tg,
                            targets,
                            SpecReference.isTrue(row.get("Active")),
                            expiry == null,
                            null,
                            expiry,
                            row));
        }

        // -------------------------------------------------------------------------- TI rows

        /** SPEC 6.2a-d; decisions 3, 5, 6, 9. */
        private void threatIntelIndicators(ObjectNode row) {
            Stamp tg = RefTime.read(row.get("TimeGenerated"));
            String id = idText(row.get("Id"));
            if (tg == null || id == null) {
                dead++;
                return;
            }
            int arr = arrival++;
            JsonNode key = row.get("ObservableKey");
            JsonNode value = row.get("ObservableValue");
            List<String> values;
            if (SpecReference.isEmpty(key) && SpecReference.isEmpty(value)) {
                JsonNode pattern = row.get("Pattern");
                if (SpecReference.isEmpty(pattern)) {
                    count("indicator.noIp");
                    return;
                }
                values = patternValues(pattern.isTextual() ? pattern.textValue() : null);
                if (values == null) {
                    return;
                }
            } else {
                String k =
                        SpecReference.isEmpty(key) ? "" : SpecReference.text(row, "ObservableKey");
                if (!IP_OBJECT_TYPES.contains(objectType(k))) {
                    count("indicator.notIpType");
                    return;
                }
                if (SpecReference.isEmpty(value)) {
                    count("indicator.noIp");
                    return;
                }
                values = List.of(SpecReference.text(row, "ObservableValue"));
            }
            List<Target> targets = targets(values);
            if (targets == null) {
                return;
            }
            boolean flags =
                    SpecReference.isTrue(row.get("IsActive"))
                            && !SpecReference.isTrue(row.get("IsDeleted"))
                            && !SpecReference.isTrue(row.get("Revoked"));
            boolean broken = false;
            Stamp from = null;
            Stamp until = null;
            if (present(row.get("ValidFrom"))) {
                from = RefTime.read(row.get("ValidFrom"));
                broken |= from == null;
            }
            if (present(row.get("ValidUntil"))) {
                until = RefTime.read(row.get("ValidUntil"));
                broken |= until == null;
            }
            // one version per (Id, canonical target): the first value as written names it
            Map<String, Target> distinct = new LinkedHashMap<>();
            for (Target t : targets) {
                distinct.putIfAbsent(t.canonical(), t);
            }
            for (Target t : distinct.values()) {
                versions.add(
                        new Version(
                                arr,
                                Kind.TI,
                                id,
                                id + " " + t.canonical(),
                                tg,
                                List.of(t),
                                flags,
                                broken,
                                from,
                                until,
                                row));
            }
        }

        /**
         * Decision 9: the object type of an ObservableKey: the text before the first ':', without
         * '[', ']' and '"', trimmed.
         */
        static String objectType(String key) {
            int colon = key.indexOf(':');
            String head = colon < 0 ? key : key.substring(0, colon);
            return head.replace("[", "").replace("]", "").replace("\"", "").strip();
        }

        // -------------------------------------------------------------------------- STIX

        /** SPEC 6.3a-d; decisions 2, 3, 5, 6, 11. */
        private void stix(ObjectNode o) {
            JsonNode idNode = o.get("id");
            String id =
                    idNode != null && idNode.isTextual() && !idNode.textValue().isBlank()
                            ? idNode.textValue()
                            : null;
            JsonNode modified = o.get("modified");
            Stamp time =
                    modified != null && !modified.isNull()
                            ? RefTime.read(modified)
                            : RefTime.read(o.get("created"));
            if (id == null || time == null) {
                dead++;
                return;
            }
            int arr = arrival++;
            JsonNode patternType = o.get("pattern_type");
            if (present(patternType)
                    && !(patternType.isTextual() && patternType.textValue().equals("stix"))) {
                count("indicator.patternType");
                return;
            }
            JsonNode pattern = o.get("pattern");
            List<String> values =
                    patternValues(
                            pattern != null && pattern.isTextual() ? pattern.textValue() : null);
            if (values == null) {
                return;
            }
            List<Target> targets = targets(values);
            if (targets == null) {
                return;
            }
            boolean broken = false;
            Stamp from = RefTime.read(o.get("valid_from"));
            broken |= from == null; // missing or unreadable: never live
            Stamp until = null;
            if (present(o.get("valid_until"))) {
                until = RefTime.read(o.get("valid_until"));
                broken |= until == null;
            }
            versions.add(
                    new Version(
                            arr,
                            Kind.STIX,
                            id,
                            id,
                            time,
                            targets,
                            !SpecReference.isTrue(o.get("revoked")),
                            broken,
                            from,
                            until,
                            o));
        }

        /** The values of a pattern, or null (counted) when it gives none. */
        private List<String> patternValues(String pattern) {
            RefPattern.Reading r = RefPattern.read(pattern);
            switch (r.outcome()) {
                case UNSUPPORTED -> {
                    count("indicator.unsupportedPattern");
                    return null;
                }
                case NO_IP -> {
                    count("indicator.notIpType");
                    return null;
                }
                default -> {
                    return r.values();
                }
            }
        }

        // -------------------------------------------------------------------------- values

        /** Decision 4: the usable targets of the values, in order; null (counted) when none. */
        private List<Target> targets(List<String> values) {
            List<Target> kept = new ArrayList<>();
            String firstDropped = null;
            for (String v : values) {
                Cidr c = RefIp.parseValue(v);
                if (c == null) {
                    count("indicator.invalidIp");
                    return null;
                }
                String reason = null;
                int min =
                        c.network().length == 4
                                ? settings.minRangePrefixV4()
                                : settings.minRangePrefixV6();
                if (c.prefix() < min) {
                    reason = "indicator.rangeTooBroad";
                } else if (RefIp.isWhollyExcluded(c, extra)) {
                    reason = "indicator.excludedIp";
                }
                if (reason != null) {
                    firstDropped = firstDropped == null ? reason : firstDropped;
                    continue;
                }
                kept.add(new Target(c, c.canonical(), v));
            }
            if (kept.isEmpty()) {
                count(firstDropped);
                return null;
            }
            return kept;
        }
    }

    /** Present: the key is there and its value is not JSON null. */
    static boolean present(JsonNode v) {
        return v != null && !v.isNull();
    }

    /** IndicatorId / Id: a string or number, non-blank; else null. */
    static String idText(JsonNode n) {
        if (n == null || !(n.isTextual() || n.isNumber())) {
            return null;
        }
        String s = n.asText();
        return s.isBlank() ? null : s;
    }
}

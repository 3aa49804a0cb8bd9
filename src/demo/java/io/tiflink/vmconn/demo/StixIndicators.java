package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * An IOC of the public list in today's threat-intelligence shapes (SPEC 6): a STIX 2.1 indicator
 * object, a row of Sentinel's table ThreatIntelIndicators (which carries that object in {@code
 * Data}), the identity object of the feed, and STIX bundles and TAXII 2.1 envelopes around objects.
 *
 * <p>Ids are STIX ids with a name-based (version 5) UUID: the same IP or range always gets the same
 * id, so a republished list replaces its indicators on the compacted topic.
 */
final class StixIndicators {

    /** The namespace of the demo's name-based UUIDs (a random UUID, fixed once). */
    static final UUID NAMESPACE = UUID.fromString("5c1b7d2e-9a43-4f6e-8b0d-3e2f1a6c9d47");

    /** The feed's identity: every indicator's {@code created_by_ref}. */
    static final String IDENTITY_ID = "identity--" + uuid5(NAMESPACE, "IP_IOC_V1");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** STIX timestamps: RFC 3339, UTC, milliseconds. */
    private static final DateTimeFormatter STIX_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** When an indicator was written, and from when until when it is valid. */
    record Times(Instant observed, Instant validFrom, Instant validUntil) {}

    /**
     * What one indicator says about one value (an address or a CIDR range).
     *
     * @param observableKey the pattern's left-hand side, e.g. {@code ipv4-addr:value}
     * @param operator {@code =} or {@code ISSUBSET}
     */
    record Indicator(IocList.Ioc source, String value, String observableKey, String operator) {

        String id() {
            return "indicator--" + uuid5(NAMESPACE, "IP_IOC_V1|" + value);
        }

        String pattern() {
            return "[" + observableKey + " " + operator + " '" + value + "']";
        }
    }

    private StixIndicators() {}

    /** The STIX 2.1 indicator object. */
    static ObjectNode indicator(Indicator ioc, String description, Times t) {
        IocList.Ioc src = ioc.source();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "indicator");
        n.put("spec_version", "2.1");
        n.put("id", ioc.id());
        n.put("created_by_ref", IDENTITY_ID);
        n.put("created", stixTime(t.observed()));
        n.put("modified", stixTime(t.observed()));
        n.put("name", ioc.value());
        n.put("description", description);
        n.putArray("indicator_types").add("malicious-activity");
        n.put("pattern", ioc.pattern());
        n.put("pattern_type", "stix");
        n.put("pattern_version", "2.1");
        n.put("valid_from", stixTime(t.validFrom()));
        n.put("valid_until", stixTime(t.validUntil()));
        ArrayNode labels = n.putArray("labels");
        if (!src.activityGroupNames().isEmpty()) {
            labels.add("ActivityGroup:" + src.activityGroupNames());
        }
        for (String tag : IocList.tagsText(src.tags()).split("/")) {
            if (!tag.isEmpty()) {
                labels.add(tag);
            }
        }
        n.put("confidence", confidence(src));
        if (!src.reference().isEmpty()) {
            ObjectNode ref = n.putArray("external_references").addObject();
            ref.put("source_name", "IP_IOC_V1");
            ref.put("url", src.reference());
        }
        return n;
    }

    /**
     * The row of ThreatIntelIndicators that Sentinel writes for the indicator: its pattern split
     * into ObservableKey and ObservableValue, its STIX object in Data.
     */
    static ObjectNode threatIntelIndicatorsRow(Indicator ioc, String description, Times t) {
        ObjectNode stix = indicator(ioc, description, t);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("TenantId", IocList.DEMO_TENANT);
        n.put("TimeGenerated", ConnectionGenerator.logAnalyticsTime(t.observed()));
        n.put("Id", ioc.id());
        n.put("Type", "ThreatIntelIndicators");
        n.put("SourceSystem", "SecurityInsights");
        n.put("Source", "IP_IOC_V1");
        n.put("ObservableKey", ioc.observableKey());
        n.put("ObservableValue", ioc.value());
        n.put("Pattern", ioc.pattern());
        n.put("IsActive", true);
        n.put("IsDeleted", false);
        n.put("Revoked", false);
        n.put("Confidence", confidence(ioc.source()));
        n.put("Created", ConnectionGenerator.logAnalyticsTime(t.observed()));
        n.put("Modified", ConnectionGenerator.logAnalyticsTime(t.observed()));
        n.put("ValidFrom", ConnectionGenerator.logAnalyticsTime(t.validFrom()));
        n.put("ValidUntil", ConnectionGenerator.logAnalyticsTime(t.validUntil()));
        n.putObject("AdditionalFields").put("TLPLevel", "White");
        n.set("Tags", stix.get("labels").deepCopy());
        n.set("Data", stix);
        return n;
    }

    /** The feed's identity object (a STIX object of another type: the job counts and skips it). */
    static ObjectNode identity(Times t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "identity");
        n.put("spec_version", "2.1");
        n.put("id", IDENTITY_ID);
        n.put("created", stixTime(t.observed()));
        n.put("modified", stixTime(t.observed()));
        n.put("name", "Azure Sentinel sample feed IP_IOC_V1");
        n.put("identity_class", "organization");
        return n;
    }

    /** {@code {"type": "bundle", "id": "bundle--...", "objects": [...]}}; id from the objects'. */
    static ObjectNode bundle(List<ObjectNode> objects) {
        StringBuilder ids = new StringBuilder("bundle");
        objects.forEach(o -> ids.append('|').append(o.get("id").textValue()));
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "bundle");
        n.put("id", "bundle--" + uuid5(NAMESPACE, ids.toString()));
        objects.forEach(n.putArray("objects")::add);
        return n;
    }

    /** A page of a TAXII 2.1 collection: {@code {"more": false, "objects": [...]}}. */
    static ObjectNode taxiiEnvelope(List<ObjectNode> objects) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("more", false);
        objects.forEach(n.putArray("objects")::add);
        return n;
    }

    /** 80 with a reference to a report, else 50 (as the legacy rows' ConfidenceScore). */
    static int confidence(IocList.Ioc ioc) {
        return ioc.reference().isEmpty() ? 50 : 80;
    }

    static String stixTime(Instant t) {
        return STIX_TIME.format(t);
    }

    /** A name-based UUID, version 5 (SHA-1), RFC 4122 section 4.3. */
    static UUID uuid5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(
                    ByteBuffer.allocate(16)
                            .putLong(namespace.getMostSignificantBits())
                            .putLong(namespace.getLeastSignificantBits())
                            .array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
            h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.demo.StixIndicators.Indicator;
import io.tiflink.vmconn.demo.StixIndicators.Times;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The records the demo publishes to the indicator topic: the public IOC list in the shapes the job
 * reads (SPEC 1 and 6), mixed as a Sentinel workspace in transition would hold them.
 *
 * <ul>
 *   <li>About 4 IPs in 10 as legacy ThreatIntelligenceIndicator rows, 3 in 10 as rows of
 *       ThreatIntelIndicators, 3 in 10 as STIX 2.1 indicator objects, which travel {@value
 *       #OBJECTS_PER_RECORD} to a record with the feed's identity object after them: in STIX
 *       bundles, every {@value #TAXII_EVERY}th record in a TAXII 2.1 envelope instead. Which shape
 *       an IP gets follows from a hash of the IP, so it is the same on every run.
 *   <li>{@value #RANGES} CIDR ranges around listed IPs, two in each shape, one /24 and one /28:
 *       NetworkIP {@code a.b.c.0/24}, ObservableValue {@code a.b.c.0/24}, and the STIX pattern
 *       {@code [ipv4-addr:value ISSUBSET 'a.b.c.0/24']}.
 * </ul>
 *
 * Each record's key is its indicator's id (IndicatorId, Id, or the first object's id), so the
 * compacted topic keeps the latest of each.
 */
final class IndicatorMix {

    /** The shapes of an indicator. */
    enum Shape {
        LEGACY("ThreatIntelligenceIndicator rows"),
        CURRENT("ThreatIntelIndicators rows"),
        STIX("STIX 2.1 indicator objects");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    /** One record of the indicator topic: key, JSON value, and what it is. */
    record Record(String key, ObjectNode json, String kind) {
        byte[] keyBytes() {
            return key.getBytes(StandardCharsets.UTF_8);
        }

        byte[] valueBytes() {
            return ConnectionGenerator.bytes(json);
        }
    }

    /** A published range: around which listed IP, in which shape. */
    record Range(Ipv4Range range, String around, Shape shape) {}

    static final int RANGES = 6;
    static final int OBJECTS_PER_RECORD = 4;
    static final int TAXII_EVERY = 4;

    static final String LEGACY_ROW = "legacy row";
    static final String CURRENT_ROW = "ThreatIntelIndicators row";
    static final String BUNDLE = "STIX bundle";
    static final String TAXII = "TAXII envelope";

    private static final String IPV4 = "ipv4-addr:value";
    private static final String NETWORK_TRAFFIC = "network-traffic:dst_ref.value";

    private final List<Record> records = new ArrayList<>();
    private final Map<Shape, Integer> indicators = new EnumMap<>(Shape.class);
    private final List<Range> ranges;
    private final List<ObjectNode> stixObjects = new ArrayList<>();

    private IndicatorMix(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
        for (Shape s : Shape.values()) {
            indicators.put(s, 0);
        }
    }

    /** The list as legacy rows only, as the demo published it before (no ranges). */
    static IndicatorMix legacy(List<IocList.Ioc> iocs, Instant now) {
        IndicatorMix mix = new IndicatorMix(List.of());
        for (ObjectNode row : IocList.indicatorRows(iocs, now)) {
            mix.add(Shape.LEGACY, row.get("IndicatorId").textValue(), row, LEGACY_ROW);
        }
        return mix;
    }

    /** The list in the mix of shapes, with the ranges; observed a minute before {@code now}. */
    static IndicatorMix mixed(List<IocList.Ioc> iocs, Instant now) {
        Times t =
                new Times(
                        now.minus(1, ChronoUnit.MINUTES),
                        now.minus(1, ChronoUnit.DAYS),
                        now.plus(30, ChronoUnit.DAYS));
        IndicatorMix mix = new IndicatorMix(ranges(iocs));
        for (IocList.Ioc ioc : iocs) {
            String key = hash("key|" + ioc.ip()) % 2 == 0 ? IPV4 : NETWORK_TRAFFIC;
            mix.add(
                    shapeOf(ioc.ip()),
                    new Indicator(ioc, ioc.ip(), key, "="),
                    IocList.description(ioc),
                    t);
        }
        for (Range r : mix.ranges) {
            String cidr = r.range().toString();
            IocList.Ioc around = mix.find(iocs, r.around());
            Indicator range =
                    new Indicator(around, cidr, IPV4, r.shape() == Shape.STIX ? "ISSUBSET" : "=");
            String description = IocList.description(around) + ": range around " + r.around();
            mix.add(r.shape(), range, description, t);
        }
        mix.flushStix(t, true);
        return mix;
    }

    private void add(Shape shape, Indicator ioc, String description, Times t) {
        switch (shape) {
            case LEGACY -> {
                IocList.Ioc src = ioc.source();
                IocList.Ioc row =
                        new IocList.Ioc(
                                src.dateAdded(),
                                ioc.value(),
                                src.type(),
                                src.expiration(),
                                src.reference(),
                                src.activityGroupNames(),
                                src.targetedService(),
                                src.tags());
                ObjectNode n = IocList.indicatorRow(row, t.observed(), t.validUntil());
                n.put("Description", description);
                add(shape, n.get("IndicatorId").textValue(), n, LEGACY_ROW);
            }
            case CURRENT ->
                    add(
                            shape,
                            ioc.id(),
                            StixIndicators.threatIntelIndicatorsRow(ioc, description, t),
                            CURRENT_ROW);
            case STIX -> {
                indicators.merge(shape, 1, Integer::sum);
                stixObjects.add(StixIndicators.indicator(ioc, description, t));
                flushStix(t, false);
            }
        }
    }

    private void add(Shape shape, String key, ObjectNode json, String kind) {
        indicators.merge(shape, 1, Integer::sum);
        records.add(new Record(key, json, kind));
    }

    /** STIX objects go out {@value #OBJECTS_PER_RECORD} to a record, with the identity last. */
    private void flushStix(Times t, boolean all) {
        if (stixObjects.isEmpty() || !all && stixObjects.size() < OBJECTS_PER_RECORD) {
            return;
        }
        List<ObjectNode> objects = new ArrayList<>(stixObjects);
        objects.add(StixIndicators.identity(t));
        stixObjects.clear();
        String key = objects.get(0).get("id").textValue();
        boolean taxii = (count(BUNDLE) + count(TAXII) + 1) % TAXII_EVERY == 0;
        records.add(
                taxii
                        ? new Record(key, StixIndicators.taxiiEnvelope(objects), TAXII)
                        : new Record(key, StixIndicators.bundle(objects), BUNDLE));
    }

    private IocList.Ioc find(List<IocList.Ioc> iocs, String ip) {
        return iocs.stream().filter(i -> i.ip().equals(ip)).findFirst().orElseThrow();
    }

    /** The shape of a listed IP: 4 in 10 legacy, 3 ThreatIntelIndicators, 3 STIX. */
    static Shape shapeOf(String ip) {
        int bucket = hash("shape|" + ip) % 10;
        return bucket < 4 ? Shape.LEGACY : bucket < 7 ? Shape.CURRENT : Shape.STIX;
    }

    /**
     * {@value #RANGES} ranges around listed IPs chosen by hash, no two in the same /24: the first
     * three /24, the other three /28, in the shapes legacy, ThreatIntelIndicators, STIX in turn.
     */
    static List<Range> ranges(List<IocList.Ioc> iocs) {
        List<String> candidates =
                iocs.stream()
                        .map(IocList.Ioc::ip)
                        .sorted(Comparator.comparing(ip -> hashUuid("range|" + ip)))
                        .toList();
        List<Range> ranges = new ArrayList<>();
        Set<Ipv4Range> taken = new HashSet<>();
        for (String ip : candidates) {
            if (ranges.size() == RANGES) {
                break;
            }
            if (taken.add(Ipv4Range.around(ip, 24))) {
                int i = ranges.size();
                ranges.add(
                        new Range(
                                Ipv4Range.around(ip, i < RANGES / 2 ? 24 : 28),
                                ip,
                                Shape.values()[i % Shape.values().length]));
            }
        }
        return ranges;
    }

    private static String hashUuid(String name) {
        return StixIndicators.uuid5(StixIndicators.NAMESPACE, name).toString();
    }

    private static int hash(String name) {
        UUID u = StixIndicators.uuid5(StixIndicators.NAMESPACE, name);
        return (int) Long.remainderUnsigned(u.getLeastSignificantBits() >>> 1, 1_000_000);
    }

    List<Record> records() {
        return records;
    }

    List<Range> ranges() {
        return ranges;
    }

    /** The published ranges' CIDR texts (for the connection generator). */
    List<String> rangeCidrs() {
        return ranges.stream().map(r -> r.range().toString()).toList();
    }

    /** Indicators in a shape (ranges included). */
    int indicators(Shape shape) {
        return indicators.get(shape);
    }

    int indicators() {
        return indicators.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Records of a kind ({@link #LEGACY_ROW}, {@link #CURRENT_ROW}, {@link #BUNDLE}, {@link
     * #TAXII}).
     */
    int count(String kind) {
        return (int) records.stream().filter(r -> r.kind().equals(kind)).count();
    }

    /** What was published, shape by shape, for the console. */
    String shapes() {
        StringBuilder sb = new StringBuilder("indicator shapes: ");
        sb.append(indicators(Shape.LEGACY)).append(' ').append(Shape.LEGACY.label);
        if (indicators(Shape.CURRENT) + indicators(Shape.STIX) > 0) {
            sb.append(", ")
                    .append(indicators(Shape.CURRENT))
                    .append(' ')
                    .append(Shape.CURRENT.label)
                    .append(", ")
                    .append(indicators(Shape.STIX))
                    .append(' ')
                    .append(Shape.STIX.label)
                    .append(" in ")
                    .append(count(BUNDLE))
                    .append(" STIX bundles and ")
                    .append(count(TAXII))
                    .append(" TAXII envelopes (each with an identity object)");
        }
        if (!ranges.isEmpty()) {
            sb.append("; among them ")
                    .append(ranges.size())
                    .append(" CIDR ranges around listed IPs, ")
                    .append(RANGES / Shape.values().length)
                    .append(" per shape: ")
                    .append(String.join(", ", rangeCidrs()));
        }
        return sb.toString();
    }
}

package io.tiflink.vmconn.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.demo.IndicatorMix.Shape;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.ip.IpRange;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's data: the public IOC list as indicator rows, and the VMConnection generator. */
class DemoDataTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.123456789Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern STIX_INDICATOR_ID =
            Pattern.compile(
                    "indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern ADDRESS_PATTERN =
            Pattern.compile(
                    "\\[(ipv4-addr:value|network-traffic:dst_ref\\.value) = '([0-9.]+)'\\]");

    private static List<InputRecord> parse(RowParser.Table table, byte[] record) {
        List<InputRecord> out = new ArrayList<>();
        new RowParser(table, 0).parse(record, "test", 0, 0, out::add);
        return out;
    }

    @Test
    void thePublicIocListBecomesLiveIndicatorRows() {
        List<IocList.Ioc> iocs = IocList.load();
        assertThat(iocs).hasSize(423);
        assertThat(new HashSet<>(IocList.ips(iocs))).hasSize(423);
        List<ObjectNode> rows = IocList.indicatorRows(iocs, NOW);
        Set<String> ids = new HashSet<>();
        for (ObjectNode row : rows) {
            ids.add(row.get("IndicatorId").asText());
            InputRecord r =
                    parse(RowParser.Table.INDICATORS, ConnectionGenerator.bytes(row)).get(0);
            assertThat(r.indicator).as(row.toString()).isNotNull();
            assertThat(r.indicator.active).isTrue();
            assertThat(r.indicator.expiration).isGreaterThan(r.indicator.timeGenerated);
            assertThat(r.indicator.networkIp).isNotBlank();
            assertThat(row.get("TimeGenerated").asText()).isEqualTo("2026-11-27T11:59:00.1234567Z");
        }
        assertThat(ids).hasSize(423);
        ObjectNode barium =
                rows.stream()
                        .filter(r -> r.get("NetworkIP").asText().equals("103.99.209.78"))
                        .findFirst()
                        .orElseThrow();
        assertThat(barium.get("ActivityGroupNames").asText()).isEqualTo("Barium");
        assertThat(barium.get("Description").asText()).isEqualTo("Barium/APT41 infrastructure");
        assertThat(barium.get("Url").asText()).startsWith("https://techcommunity.microsoft.com/");
        assertThat(barium.get("IndicatorId").asText()).isEqualTo(IocList.indicatorId(iocs.get(0)));
    }

    @Test
    void generatedConnectionsLookLikeTheVmConnectionTableAndHitListedIpsAtTheGivenRate() {
        List<String> listed = IocList.ips(IocList.load());
        Set<String> listedSet = new HashSet<>(listed);
        ConnectionGenerator g = new ConnectionGenerator(listed, 0.05, 40, 1);
        int n = 20_000;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            ObjectNode row = g.next(NOW.plusMillis(i));
            boolean listedIp = listedSet.contains(row.get("RemoteIp").asText());
            assertThat(listedIp).isEqualTo(g.lastWasHit());
            hits += listedIp ? 1 : 0;
            if (i < 200) {
                assertThat(row.size()).isGreaterThanOrEqualTo(40);
                assertThat(row.get("Type").asText()).isEqualTo("VMConnection");
                assertThat(row.get("TimeGenerated").asText())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
                String dir = row.get("Direction").asText();
                String own =
                        dir.equals("outbound")
                                ? row.get("SourceIp").asText()
                                : row.get("DestinationIp").asText();
                String remote =
                        dir.equals("outbound")
                                ? row.get("DestinationIp").asText()
                                : row.get("SourceIp").asText();
                assertThat(own).startsWith("10.1.");
                assertThat(remote).isEqualTo(row.get("RemoteIp").asText());
                InputRecord r =
                        parse(RowParser.Table.CONNECTIONS, ConnectionGenerator.bytes(row)).get(0);
                assertThat(r.connection).isNotNull();
            }
        }
        assertThat(g.hits()).isEqualTo(hits);
        assertThat(hits / (double) n).isBetween(0.04, 0.06);
    }

    @Test
    void theGeneratorIsDeterministicForASeedAndCanSendEnvelopesAndBadRecords() {
        List<String> listed = List.of("203.0.113.7", "198.51.100.9");
        ConnectionGenerator a = new ConnectionGenerator(listed, 0.3, 10, 42);
        ConnectionGenerator b = new ConnectionGenerator(listed, 0.3, 10, 42);
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ObjectNode r = a.next(NOW);
            assertThat(r).isEqualTo(b.next(NOW));
            rows.add(r);
        }
        assertThat(
                        parse(
                                RowParser.Table.CONNECTIONS,
                                ConnectionGenerator.envelope(rows.subList(0, 4))))
                .hasSize(4)
                .allSatisfy(r -> assertThat(r.connection).isNotNull());
        long before = a.rows();
        for (int i = 0; i < 20; i++) {
            byte[] bad = a.malformed(NOW);
            assertThat(parse(RowParser.Table.CONNECTIONS, bad))
                    .as(new String(bad, StandardCharsets.UTF_8))
                    .singleElement()
                    .satisfies(r -> assertThat(r.deadLetter).isNotNull());
        }
        assertThat(a.rows()).as("bad records are not rows").isEqualTo(before);
    }

    @Test
    void logAnalyticsTimesHaveSevenFractionalDigits() {
        assertThat(
                        ConnectionGenerator.logAnalyticsTime(
                                Instant.parse("2026-11-27T10:15:00.123456789Z")))
                .isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(ConnectionGenerator.logAnalyticsTime(Instant.parse("2026-11-27T10:15:00Z")))
                .isEqualTo("2026-11-27T10:15:00.0000000Z");
    }

    // ------------------------------------------------------------ the mix of shapes (SPEC 6)

    private static JsonNode json(IndicatorMix.Record r) {
        try {
            return MAPPER.readTree(r.valueBytes());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }

    /** The indicators a record holds, whatever its shape: (id, IP or range). */
    private static Map<String, String> indicatorsOf(JsonNode record) {
        Map<String, String> out = new HashMap<>();
        if (record.has("IndicatorId")) {
            out.put(record.get("IndicatorId").asText(), record.get("NetworkIP").asText());
        } else if (record.has("ObservableValue")) {
            out.put(record.get("Id").asText(), record.get("ObservableValue").asText());
        } else {
            for (JsonNode o : record.get("objects")) {
                if (o.get("type").asText().equals("indicator")) {
                    String p = o.get("pattern").asText();
                    out.put(o.get("id").asText(), p.substring(p.indexOf('\'') + 1, p.length() - 2));
                }
            }
        }
        return out;
    }

    @Test
    void theFeedPublishesEachShapeEachRecordValidJsonKeyedByItsIndicatorId() {
        List<IocList.Ioc> iocs = IocList.load();
        IndicatorMix mix = IndicatorMix.mixed(iocs, NOW);
        assertThat(mix.indicators()).isEqualTo(423 + IndicatorMix.RANGES);
        for (Shape s : Shape.values()) {
            assertThat(mix.indicators(s)).as(s.label).isBetween(423 / 5, 423 / 2);
        }
        assertThat(mix.indicators(Shape.LEGACY))
                .isGreaterThan(mix.indicators(Shape.CURRENT))
                .isGreaterThan(mix.indicators(Shape.STIX));
        for (String kind :
                List.of(
                        IndicatorMix.LEGACY_ROW,
                        IndicatorMix.CURRENT_ROW,
                        IndicatorMix.BUNDLE,
                        IndicatorMix.TAXII)) {
            assertThat(mix.count(kind)).as(kind).isPositive();
        }
        Map<String, String> all = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (IndicatorMix.Record r : mix.records()) {
            JsonNode n = json(r);
            assertThat(keys.add(r.key())).as("one record per key: " + r.key()).isTrue();
            Map<String, String> ids = indicatorsOf(n);
            assertThat(ids).isNotEmpty();
            ids.keySet().forEach(id -> assertThat(all.put(id, ids.get(id))).isNull());
            switch (r.kind()) {
                case IndicatorMix.LEGACY_ROW -> {
                    assertThat(r.key()).isEqualTo(n.get("IndicatorId").asText());
                    assertThat(parse(RowParser.Table.INDICATORS, r.valueBytes()).get(0).indicator)
                            .isNotNull();
                }
                case IndicatorMix.CURRENT_ROW -> {
                    assertThat(r.key()).isEqualTo(n.get("Id").asText()).matches(STIX_INDICATOR_ID);
                    assertThat(n.get("Type").asText()).isEqualTo("ThreatIntelIndicators");
                    assertThat(n.get("IsActive").asBoolean()).isTrue();
                    assertThat(n.get("TimeGenerated").asText())
                            .isEqualTo("2026-11-27T11:59:00.1234567Z");
                    assertThat(n.get("ValidFrom").asText())
                            .isEqualTo("2026-11-26T12:00:00.1234567Z");
                    assertThat(n.get("ValidUntil").asText())
                            .isEqualTo("2026-12-27T12:00:00.1234567Z");
                    assertThat(n.get("ObservableKey").asText())
                            .isIn("ipv4-addr:value", "network-traffic:dst_ref.value");
                    assertThat(n.get("Pattern").asText())
                            .isEqualTo(
                                    "["
                                            + n.get("ObservableKey").asText()
                                            + " = '"
                                            + n.get("ObservableValue").asText()
                                            + "']");
                    assertThat(n.get("Confidence").asInt()).isIn(50, 80);
                    JsonNode data = n.get("Data");
                    assertThat(data.isObject()).isTrue();
                    assertThat(data.get("id").asText()).isEqualTo(r.key());
                    assertThat(data.get("description").asText()).isNotBlank();
                    assertThat(data.get("labels").isArray()).isTrue();
                }
                default -> {
                    JsonNode objects = n.get("objects");
                    assertThat(r.key()).isEqualTo(objects.get(0).get("id").asText());
                    if (r.kind().equals(IndicatorMix.BUNDLE)) {
                        assertThat(n.get("type").asText()).isEqualTo("bundle");
                        assertThat(n.get("id").asText()).startsWith("bundle--");
                    } else {
                        assertThat(n.has("type")).isFalse();
                        assertThat(n.get("more").asBoolean()).isFalse();
                    }
                    assertThat(objects.size()).isBetween(2, IndicatorMix.OBJECTS_PER_RECORD + 1);
                    JsonNode identity = objects.get(objects.size() - 1);
                    assertThat(identity.get("type").asText()).isEqualTo("identity");
                    for (int i = 0; i < objects.size() - 1; i++) {
                        JsonNode o = objects.get(i);
                        assertThat(o.get("type").asText()).isEqualTo("indicator");
                        assertThat(o.get("id").asText()).matches(STIX_INDICATOR_ID);
                        assertThat(o.get("spec_version").asText()).isEqualTo("2.1");
                        assertThat(o.get("pattern_type").asText()).isEqualTo("stix");
                        String pattern = o.get("pattern").asText();
                        assertThat(
                                        ADDRESS_PATTERN.matcher(pattern).matches()
                                                || pattern.matches(
                                                        "\\[ipv4-addr:value ISSUBSET '[0-9.]+/(24|28)'\\]"))
                                .as(pattern)
                                .isTrue();
                        assertThat(o.get("created").asText()).isEqualTo("2026-11-27T11:59:00.123Z");
                        assertThat(o.get("modified").asText())
                                .isEqualTo("2026-11-27T11:59:00.123Z");
                        assertThat(o.get("valid_from").asText())
                                .isEqualTo("2026-11-26T12:00:00.123Z");
                        assertThat(o.get("valid_until").asText())
                                .isEqualTo("2026-12-27T12:00:00.123Z");
                        assertThat(o.get("created_by_ref").asText())
                                .isEqualTo(identity.get("id").asText());
                        assertThat(o.get("confidence").asInt()).isIn(50, 80);
                    }
                }
            }
        }
        Set<String> published = new HashSet<>(all.values());
        assertThat(published).containsAll(IocList.ips(iocs)).hasSize(423 + IndicatorMix.RANGES);
    }

    @Test
    void activityGroupsBecomeLabelsOfTheStixObject() {
        IocList.Ioc barium = IocList.load().get(0);
        StixIndicators.Times t =
                new StixIndicators.Times(NOW, NOW.minusSeconds(86_400), NOW.plusSeconds(86_400));
        StixIndicators.Indicator i =
                new StixIndicators.Indicator(barium, barium.ip(), "ipv4-addr:value", "=");
        ObjectNode row =
                StixIndicators.threatIntelIndicatorsRow(i, "Barium/APT41 infrastructure", t);
        JsonNode data = row.get("Data");
        assertThat(data.get("labels").get(0).asText()).isEqualTo("ActivityGroup:Barium");
        assertThat(data.get("labels").toString()).contains("\"APT41\"");
        assertThat(data.get("description").asText()).isEqualTo("Barium/APT41 infrastructure");
        assertThat(data.get("pattern").asText()).isEqualTo("[ipv4-addr:value = '103.99.209.78']");
        assertThat(data.get("external_references").get(0).get("url").asText())
                .startsWith("https://techcommunity.microsoft.com/");
        assertThat(row.get("Confidence").asInt()).isEqualTo(80);
    }

    @Test
    void rangesAroundListedIpsArePublishedInEachShape() {
        List<IocList.Ioc> iocs = IocList.load();
        IndicatorMix mix = IndicatorMix.mixed(iocs, NOW);
        assertThat(mix.ranges()).hasSize(IndicatorMix.RANGES);
        assertThat(mix.ranges().stream().map(IndicatorMix.Range::shape))
                .containsOnly(Shape.values())
                .hasSize(IndicatorMix.RANGES);
        assertThat(mix.rangeCidrs().stream().filter(c -> c.endsWith("/24"))).hasSize(3);
        assertThat(mix.rangeCidrs().stream().filter(c -> c.endsWith("/28"))).hasSize(3);
        for (IndicatorMix.Range r : mix.ranges()) {
            String cidr = r.range().toString();
            // the job's own parser agrees: host bits clear, the listed IP inside
            assertThat(IpRange.parse(cidr).toString()).isEqualTo(cidr);
            assertThat(
                            IpRange.parse(cidr)
                                    .contains(io.tiflink.vmconn.ip.IpAddress.parse(r.around())))
                    .isTrue();
            List<JsonNode> holding =
                    mix.records().stream()
                            .map(DemoDataTest::json)
                            .filter(
                                    n ->
                                            n.toString().contains("'" + cidr + "'")
                                                    || n.path("NetworkIP").asText().equals(cidr))
                            .toList();
            assertThat(holding).as(cidr).hasSize(1);
            String text = holding.get(0).toString();
            switch (r.shape()) {
                case LEGACY -> assertThat(holding.get(0).get("NetworkIP").asText()).isEqualTo(cidr);
                case CURRENT -> {
                    assertThat(holding.get(0).get("ObservableValue").asText()).isEqualTo(cidr);
                    assertThat(text).contains("[ipv4-addr:value = '" + cidr + "']");
                }
                case STIX -> assertThat(text).contains("[ipv4-addr:value ISSUBSET '" + cidr + "']");
            }
        }
        assertThat(mix.shapes())
                .startsWith("indicator shapes: ")
                .contains("ThreatIntelligenceIndicator rows")
                .contains("ThreatIntelIndicators rows")
                .contains("STIX 2.1 indicator objects in ")
                .contains(String.join(", ", mix.rangeCidrs()));
    }

    @Test
    void idsAndShapesAreStableForTheSameIp() {
        List<IocList.Ioc> iocs = IocList.load();
        IndicatorMix a = IndicatorMix.mixed(iocs, NOW);
        IndicatorMix b = IndicatorMix.mixed(iocs, NOW.plusSeconds(3_600));
        assertThat(b.records().stream().map(IndicatorMix.Record::key))
                .containsExactlyElementsOf(
                        a.records().stream().map(IndicatorMix.Record::key).toList());
        assertThat(b.rangeCidrs()).isEqualTo(a.rangeCidrs());
        Map<String, String> idByIp = new HashMap<>();
        a.records().forEach(r -> indicatorsOf(json(r)).forEach((id, ip) -> idByIp.put(ip, id)));
        Map<String, String> again = new HashMap<>();
        b.records().forEach(r -> indicatorsOf(json(r)).forEach((id, ip) -> again.put(ip, id)));
        assertThat(again).isEqualTo(idByIp);
        // The same IP, the same STIX id, whatever the list around it.
        String ip = "103.99.209.78";
        assertThat(new StixIndicators.Indicator(iocs.get(0), ip, "ipv4-addr:value", "=").id())
                .isEqualTo(
                        new StixIndicators.Indicator(
                                        iocs.get(5), ip, "network-traffic:dst_ref.value", "=")
                                .id())
                .matches(STIX_INDICATOR_ID);
        assertThat(IndicatorMix.shapeOf(ip)).isEqualTo(IndicatorMix.shapeOf(ip));
    }

    @Test
    void uuid5IsTheRfc4122NameBasedUuid() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assertThat(
                        StixIndicators.uuid5(
                                UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                                "python.org"))
                .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    @Test
    void theLegacyOnlyFeedIsTheListAsBefore() {
        List<IocList.Ioc> iocs = IocList.load();
        IndicatorMix legacy = IndicatorMix.legacy(iocs, NOW);
        assertThat(legacy.records())
                .hasSize(423)
                .allMatch(r -> r.kind().equals(IndicatorMix.LEGACY_ROW));
        assertThat(legacy.ranges()).isEmpty();
        assertThat(legacy.records().get(0).json())
                .isEqualTo(IocList.indicatorRows(iocs, NOW).get(0));
        assertThat(legacy.shapes())
                .isEqualTo("indicator shapes: 423 ThreatIntelligenceIndicator rows");
    }

    @Test
    void theGeneratorAlsoHitsOtherAddressesInsideThePublishedRanges() {
        List<IocList.Ioc> iocs = IocList.load();
        List<String> listed = IocList.ips(iocs);
        Set<String> listedSet = new HashSet<>(listed);
        List<String> cidrs = IndicatorMix.mixed(iocs, NOW).rangeCidrs();
        List<Ipv4Range> ranges = cidrs.stream().map(Ipv4Range::parse).toList();
        ConnectionGenerator g = new ConnectionGenerator(listed, cidrs, 0.05, 40, 1);
        int n = 40_000;
        Set<String> rangeAddresses = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String remote = g.next(NOW.plusMillis(i)).get("RemoteIp").asText();
            boolean inRange = ranges.stream().anyMatch(r -> r.contains(remote));
            assertThat(g.lastWasHit()).as(remote).isEqualTo(listedSet.contains(remote) || inRange);
            if (g.lastWasRangeHit()) {
                assertThat(inRange).isTrue();
                assertThat(listedSet).doesNotContain(remote);
                Ipv4Range r =
                        ranges.stream().filter(x -> x.contains(remote)).findFirst().orElseThrow();
                assertThat(remote).isNotEqualTo(r.address(0)).isNotEqualTo(r.address(r.size() - 1));
                rangeAddresses.add(remote);
            }
        }
        assertThat(g.rangeHits() / (double) g.hits()).isBetween(0.2, 0.3);
        assertThat(rangeAddresses.size()).isGreaterThan(50);
        assertThat(ranges).allSatisfy(r -> assertThat(rangeAddresses).anyMatch(r::contains));
        // Without ranges: the same rows as the generator without them.
        ConnectionGenerator plain = new ConnectionGenerator(listed, 0.05, 40, 9);
        ConnectionGenerator none = new ConnectionGenerator(listed, List.of(), 0.05, 40, 9);
        for (int i = 0; i < 500; i++) {
            assertThat(none.next(NOW)).isEqualTo(plain.next(NOW));
        }
    }

    @Test
    void ipv4RangesClearHostBitsAndContainTheirAddresses() {
        Ipv4Range r = Ipv4Range.around("203.0.113.77", 28);
        assertThat(r).hasToString("203.0.113.64/28");
        assertThat(r.size()).isEqualTo(16);
        assertThat(r.address(1)).isEqualTo("203.0.113.65");
        assertThat(r.contains("203.0.113.79")).isTrue();
        assertThat(r.contains("203.0.113.80")).isFalse();
        assertThat(Ipv4Range.parse("198.51.100.7/24")).hasToString("198.51.100.0/24");
        assertThat(Ipv4Range.parse("0.0.0.0/0").contains("255.255.255.255")).isTrue();
    }
}

package io.tiflink.vmconn.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC 6.1 and 5.3: the shapes of an indicator record, and what each element becomes. */
class IndicatorShapesTest {

    static final String T = "2026-11-27T10:00:00Z";

    static final String STIX_1 =
            "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--1\","
                    + "\"created\":\"2026-11-27T09:00:00Z\",\"modified\":\"2026-11-27T10:00:00Z\","
                    + "\"pattern\":\"[ipv4-addr:value = '203.0.113.5']\",\"pattern_type\":\"stix\","
                    + "\"valid_from\":\"2026-11-27T09:00:00Z\"}";
    static final String STIX_2 = STIX_1.replace("indicator--1", "indicator--2");
    static final String IDENTITY =
            "{\"type\":\"identity\",\"id\":\"identity--1\",\"name\":\"ACME\"}";
    static final String TI_ROW =
            "{\"TimeGenerated\":\""
                    + T
                    + "\",\"Id\":\"indicator--3\",\"ObservableKey\":\"ipv4-addr:value\","
                    + "\"ObservableValue\":\"203.0.113.6\",\"IsActive\":true}";
    static final String LEGACY =
            "{\"TimeGenerated\":\""
                    + T
                    + "\",\"IndicatorId\":\"i1\",\"NetworkIP\":\"203.0.113.7\"}";

    private final RowParser parser = new RowParser(RowParser.Table.INDICATORS, 0);

    private List<InputRecord> parse(String text) {
        return parse(parser, text);
    }

    static List<InputRecord> parse(RowParser p, String text) {
        List<InputRecord> out = new ArrayList<>();
        p.parse(text.getBytes(StandardCharsets.UTF_8), "f.jsonl", -1, 4, out::add);
        return out;
    }

    private static String raw(InputRecord r) {
        return new String(r.deadLetter.raw, StandardCharsets.UTF_8);
    }

    @Test
    void stixBundleGivesOneVersionPerIndicatorAndCountsOtherTypes() {
        List<InputRecord> out =
                parse(
                        "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
                                + STIX_1
                                + ","
                                + IDENTITY
                                + ",{\"type\":\"relationship\",\"id\":\"relationship--1\"},"
                                + STIX_2
                                + "]}");
        assertThat(out).hasSize(4);
        assertThat(out.get(0).indicator.indicatorId).isEqualTo("indicator--1");
        assertThat(out.get(0).indicator.shape).isEqualTo(Indicator.STIX);
        assertThat(out.get(1).skipped).isEqualTo("other_stix_type");
        assertThat(out.get(2).skipped).isEqualTo("other_stix_type");
        assertThat(out.get(3).indicator.indicatorId).isEqualTo("indicator--2");
        assertThat(out).noneMatch(r -> r.deadLetter != null);
    }

    @Test
    void taxiiEnvelopeGivesItsObjects() {
        List<InputRecord> out =
                parse(
                        "{\"more\":true,\"next\":\"p2\",\"objects\":["
                                + STIX_1
                                + ","
                                + IDENTITY
                                + "]}");
        assertThat(out).hasSize(2);
        assertThat(out.get(0).indicator.indicatorId).isEqualTo("indicator--1");
        assertThat(out.get(1).skipped).isEqualTo("other_stix_type");
        assertThat(parse("{\"objects\":[" + STIX_1 + "]}"))
                .singleElement()
                .satisfies(r -> assertThat(r.indicator).isNotNull());
    }

    @Test
    void taxiiEnvelopeWithoutObjectsIsAnEmptyPage() {
        assertThat(parse("{\"more\":false}")).isEmpty();
        assertThat(parse("{\"next\":\"abc\",\"more\":true}")).isEmpty();
        assertThat(parse("{\"objects\":[]}")).isEmpty();
        assertThat(parse("{\"type\":7,\"more\":false}")).isEmpty(); // no string type
    }

    @Test
    void bundleWithoutObjectsIsEmptyAndObjectsThatIsNotAnArrayIsADeadLetter() {
        assertThat(parse("{\"type\":\"bundle\",\"id\":\"bundle--1\"}")).isEmpty();
        assertThat(parse("{\"type\":\"bundle\",\"objects\":null}")).isEmpty();
        InputRecord bundle = parse("{\"type\":\"bundle\",\"objects\":{}}").get(0);
        assertThat(bundle.deadLetter.reason).isEqualTo("bundle whose objects is not an array");
        assertThat(bundle.deadLetter.row).isEqualTo(-1);
        InputRecord taxii = parse("{\"objects\":null,\"more\":false}").get(0);
        assertThat(taxii.deadLetter.reason)
                .isEqualTo("TAXII envelope whose objects is not an array");
        assertThat(raw(taxii)).isEqualTo("{\"objects\":null,\"more\":false}");
    }

    @Test
    void elementThatIsNotAnObjectIsADeadLetterWithItsIndexAndTheRestGoOn() {
        List<InputRecord> out =
                parse("{\"type\":\"bundle\",\"objects\":[" + STIX_1 + ",7,\"x\"," + STIX_2 + "]}");
        assertThat(out).hasSize(4);
        assertThat(out.get(1).deadLetter.reason).isEqualTo("bundle object is not a JSON object");
        assertThat(out.get(1).deadLetter.position()).isEqualTo("f.jsonl:4#1");
        assertThat(raw(out.get(1))).isEqualTo("7");
        assertThat(out.get(2).deadLetter.position()).isEqualTo("f.jsonl:4#2");
        assertThat(out.get(3).indicator.indicatorId).isEqualTo("indicator--2");
        assertThat(parse("{\"objects\":[[1]]}").get(0).deadLetter.reason)
                .isEqualTo("TAXII envelope object is not a JSON object");
        assertThat(parse("{\"records\":[null]}").get(0).deadLetter.reason)
                .isEqualTo("envelope row is not a JSON object");
    }

    @Test
    void nestedBundleIsADeadLetterWithItsIndex() {
        String nested = "{\"type\":\"bundle\",\"objects\":[" + STIX_2 + "]}";
        List<InputRecord> out =
                parse("{\"type\":\"bundle\",\"objects\":[" + STIX_1 + "," + nested + "]}");
        assertThat(out).hasSize(2);
        assertThat(out.get(1).deadLetter.reason).isEqualTo("nested bundle");
        assertThat(out.get(1).deadLetter.row).isEqualTo(1);
        assertThat(raw(out.get(1))).isEqualTo(nested);
        assertThat(parse("{\"objects\":[" + nested + "]}").get(0).deadLetter.reason)
                .isEqualTo("nested bundle");
        assertThat(parse("{\"records\":[" + nested + "]}").get(0).deadLetter.reason)
                .isEqualTo("nested bundle");
    }

    @Test
    void deadLettersInsideATaxiiPageFromKafkaCarryTopicPartitionOffsetAndIndex() {
        List<InputRecord> out = new ArrayList<>();
        parser.parse(
                ("{\"objects\":[" + STIX_1 + ",{\"type\":\"indicator\"}]}")
                        .getBytes(StandardCharsets.UTF_8),
                "ti",
                3,
                42,
                out::add);
        assertThat(out.get(1).deadLetter.position()).isEqualTo("ti-3@42#1");
        assertThat(out.get(1).deadLetter.input).isEqualTo("indicators");
        assertThat(raw(out.get(1))).isEqualTo("{\"type\":\"indicator\"}");
    }

    @Test
    void otherStixTypeIsSkippedNotADeadLetter() {
        assertThat(parse(IDENTITY))
                .singleElement()
                .satisfies(r -> assertThat(r.skipped).isEqualTo("other_stix_type"));
        assertThat(parse("{\"type\":\"marking-definition\"}").get(0).skipped)
                .isEqualTo("other_stix_type");
    }

    @Test
    void aTypeThatIsNotLowerCaseIsNoStixType() {
        // read as the row its columns say: here a legacy row
        InputRecord r = parse(LEGACY.replace("{", "{\"type\":\"Indicator\",")).get(0);
        assertThat(r.indicator.shape).isEqualTo(Indicator.LEGACY);
        assertThat(r.indicator.indicatorId).isEqualTo("i1");
        assertThat(parse(LEGACY.replace("{", "{\"type\":\"\",")).get(0).indicator.shape)
                .isEqualTo(Indicator.LEGACY);
        assertThat(parse(LEGACY.replace("{", "{\"type\":1,")).get(0).indicator.shape)
                .isEqualTo(Indicator.LEGACY);
    }

    @Test
    void threatIntelIndicatorsRowIsKnownByItsColumns() {
        for (String row :
                List.of(
                        TI_ROW,
                        "{\"TimeGenerated\":\"" + T + "\",\"Id\":\"x\",\"ObservableKey\":null}",
                        "{\"TimeGenerated\":\"" + T + "\",\"Id\":\"x\",\"ObservableValue\":\"\"}",
                        "{\"TimeGenerated\":\""
                                + T
                                + "\",\"Id\":\"x\",\"Pattern\":\"[a:b = 'c']\"}",
                        "{\"TimeGenerated\":\"" + T + "\",\"Id\":\"x\"}",
                        "{\"TimeGenerated\":\""
                                + T
                                + "\",\"Id\":\"x\",\"IndicatorId\":\"y\",\"Pattern\":null}")) {
            assertThat(parse(row).get(0).indicator.shape).as(row).isEqualTo(Indicator.TI_ROW);
        }
    }

    @Test
    void rowWithIdAndIndicatorIdIsALegacyRow() {
        InputRecord r =
                parse("{\"TimeGenerated\":\"" + T + "\",\"Id\":\"x\",\"IndicatorId\":\"i1\"}")
                        .get(0);
        assertThat(r.indicator.shape).isEqualTo(Indicator.LEGACY);
        assertThat(r.indicator.indicatorId).isEqualTo("i1");
    }

    @Test
    void recordsEnvelopeMayHoldEveryShapeMixed() {
        List<InputRecord> out =
                parse(
                        "{\"records\":["
                                + LEGACY
                                + ","
                                + TI_ROW
                                + ","
                                + STIX_1
                                + ","
                                + IDENTITY
                                + "]}");
        assertThat(out).hasSize(4);
        assertThat(out.get(0).indicator.shape).isEqualTo(Indicator.LEGACY);
        assertThat(out.get(1).indicator.shape).isEqualTo(Indicator.TI_ROW);
        assertThat(out.get(2).indicator.shape).isEqualTo(Indicator.STIX);
        assertThat(out.get(3).skipped).isEqualTo("other_stix_type");
    }

    @Test
    void recordsArrayComesBeforeEveryOtherShape() {
        List<InputRecord> out =
                parse(
                        "{\"type\":\"bundle\",\"objects\":["
                                + STIX_1
                                + "],\"records\":["
                                + LEGACY
                                + "]}");
        assertThat(out)
                .singleElement()
                .satisfies(r -> assertThat(r.indicator.indicatorId).isEqualTo("i1"));
    }

    @Test
    void aTopLevelStixIndicatorIsOneRecord() {
        assertThat(parse(STIX_1))
                .singleElement()
                .satisfies(r -> assertThat(r.indicator.shape).isEqualTo(Indicator.STIX));
    }

    @Test
    void connectionInputReadsOnlyRowsAndRecordsEnvelopes() {
        RowParser connections = new RowParser(RowParser.Table.CONNECTIONS, 0);
        String bundle = "{\"type\":\"bundle\",\"objects\":[" + STIX_1 + "]}";
        assertThat(parse(connections, bundle))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.deadLetter.reason)
                                        .isEqualTo("row without TimeGenerated"));
        assertThat(parse(connections, "{\"objects\":[" + IDENTITY + "]}").get(0).deadLetter)
                .isNotNull();
        assertThat(parse(connections, "{\"records\":[" + bundle + "]}").get(0).deadLetter.reason)
                .isEqualTo("row without TimeGenerated");
        String conn = "{\"type\":\"x\",\"TimeGenerated\":\"" + T + "\",\"RemoteIp\":\"1.2.3.4\"}";
        assertThat(parse(connections, conn).get(0).connection.remoteIp).isEqualTo("1.2.3.4");
    }
}

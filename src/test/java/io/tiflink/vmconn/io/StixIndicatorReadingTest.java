package io.tiflink.vmconn.io;

import static io.tiflink.vmconn.testing.Rows.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 6.3 and 5.3: what the parser reads from a STIX 2.1 indicator object. */
class StixIndicatorReadingTest {

    private final RowParser parser = new RowParser(RowParser.Table.INDICATORS, 0);

    private static final String BASE =
            "\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--a\","
                    + "\"created\":\"2026-11-20T08:00:00Z\"";

    private InputRecord object(String properties) {
        List<InputRecord> out =
                IndicatorShapesTest.parse(
                        parser, "{" + BASE + (properties.isEmpty() ? "" : "," + properties) + "}");
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private Indicator indicator(String properties) {
        Indicator i = object(properties).indicator;
        assertThat(i).isNotNull();
        return i;
    }

    @Test
    void objectGivesOneVersionOfItsId() {
        Indicator i =
                indicator(
                        "\"modified\":\"2026-11-27T10:00:00.123Z\","
                                + "\"pattern\":\"[ipv4-addr:value = '203.0.113.5']\","
                                + "\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-27T09:00:00Z\","
                                + "\"valid_until\":\"2026-12-27T00:00:00Z\",\"confidence\":75,"
                                + "\"description\":\"C2\",\"labels\":[\"ActivityGroup:APT1\"]");
        assertThat(i.shape).isEqualTo(Indicator.STIX);
        assertThat(i.indicatorId).isEqualTo("indicator--a");
        assertThat(i.timeGenerated).isEqualTo(at("10:00:00.123"));
        assertThat(i.timeGeneratedDigits).isEqualTo(3);
        assertThat(i.active).isTrue();
        assertThat(i.validFrom).isEqualTo(at("09:00"));
        assertThat(i.hasValidUntil).isTrue();
        assertThat(i.expiration).isEqualTo(at("2026-12-27T00:00:00Z"));
        assertThat(i.confidenceScore).isEqualTo("75");
        assertThat(i.description).isEqualTo("C2");
        assertThat(i.activityGroupNames).isEqualTo("APT1");
        assertThat(i.pattern).isEqualTo("[ipv4-addr:value = '203.0.113.5']");
        assertThat(i.patternType).isEqualTo("stix");
        assertThat(i.ip).isNull(); // resolved by IndicatorRows
    }

    @Test
    void versionTimeIsModifiedElseCreated() {
        assertThat(indicator("\"modified\":\"2026-11-27T10:00:00Z\"").timeGenerated)
                .isEqualTo(at("10:00"));
        assertThat(indicator("").timeGenerated).isEqualTo(at("2026-11-20T08:00:00Z"));
        assertThat(indicator("\"modified\":null").timeGenerated)
                .isEqualTo(at("2026-11-20T08:00:00Z"));
    }

    @Test
    void stixWithoutModifiedOrCreatedIsADeadLetter() {
        String text = "{\"type\":\"indicator\",\"id\":\"indicator--a\",\"pattern\":\"x\"}";
        InputRecord r = IndicatorShapesTest.parse(parser, text).get(0);
        assertThat(r.deadLetter.reason).isEqualTo("STIX indicator without modified or created");
        assertThat(new String(r.deadLetter.raw, StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(r.deadLetter.input).isEqualTo("indicators");
    }

    @Test
    void unreadableModifiedIsADeadLetterEvenWithAReadableCreated() {
        assertThat(object("\"modified\":\"yesterday\"").deadLetter.reason)
                .isEqualTo("unreadable modified 'yesterday'");
        assertThat(
                        IndicatorShapesTest.parse(
                                        parser,
                                        "{\"type\":\"indicator\",\"id\":\"i\",\"created\":5}")
                                .get(0)
                                .deadLetter
                                .reason)
                .isEqualTo("unreadable created '5'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"id\":\"\",", "\"id\":\" \",", "\"id\":7,", "\"id\":null,"})
    void stixWithoutANonBlankStringIdIsADeadLetter(String id) {
        String text = "{\"type\":\"indicator\"," + id + "\"created\":\"2026-11-27T10:00:00Z\"}";
        assertThat(IndicatorShapesTest.parse(parser, text).get(0).deadLetter.reason)
                .isEqualTo("STIX indicator without id");
    }

    @Test
    void revokedIsNotActive() {
        String from = "\"valid_from\":\"2026-11-20T08:00:00Z\"";
        assertThat(indicator(from).active).isTrue();
        assertThat(indicator(from + ",\"revoked\":false").active).isTrue();
        assertThat(indicator(from + ",\"revoked\":true").active).isFalse();
        assertThat(indicator(from + ",\"revoked\":\"True\"").active).isFalse();
    }

    @Test
    void withoutAReadableValidFromItIsNeverLive() {
        assertThat(indicator("").active).isFalse();
        assertThat(indicator("\"valid_from\":null").active).isFalse();
        Indicator i = indicator("\"valid_from\":\"when\"");
        assertThat(i.active).isFalse();
        assertThat(i.validFrom).isZero();
    }

    @Test
    void validUntilAbsentIsNoExpiryAndUnreadableIsNeverLive() {
        String from = "\"valid_from\":\"2026-11-20T08:00:00Z\"";
        Indicator open = indicator(from);
        assertThat(open.hasValidUntil).isFalse();
        assertThat(open.expiration).isEqualTo(Long.MAX_VALUE);
        Indicator bad = indicator(from + ",\"valid_until\":\"never\"");
        assertThat(bad.active).isFalse();
        assertThat(bad.hasValidUntil).isTrue();
        assertThat(bad.expiration).isEqualTo(EventTimes.UNREADABLE);
    }

    @Test
    void labelsGiveTheActivityGroupAndNoneGivesEmptyText() {
        assertThat(indicator("\"labels\":[\"x\",\"ActivityGroup:Y\"]").activityGroupNames)
                .isEqualTo("Y");
        assertThat(indicator("").activityGroupNames).isEmpty();
        assertThat(indicator("").description).isNull();
    }

    @Test
    void patternAndPatternTypeTravelAsReceived() {
        Indicator i = indicator("\"pattern_type\":\"sigma\",\"pattern\":\"title: x\"");
        assertThat(i.patternType).isEqualTo("sigma");
        assertThat(i.pattern).isEqualTo("title: x");
        assertThat(indicator("").patternType).isNull();
        assertThat(indicator("").pattern).isNull();
    }
}

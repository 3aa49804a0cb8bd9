package io.tiflink.vmconn.io;

import static io.tiflink.vmconn.testing.Rows.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 6.2 and 5.3: what the parser reads from a ThreatIntelIndicators row. */
class ThreatIntelRowReadingTest {

    private final RowParser parser = new RowParser(RowParser.Table.INDICATORS, 0);

    /** A row with TimeGenerated 10:00, Id and the given extra columns (JSON text). */
    private InputRecord row(String columns) {
        List<InputRecord> out =
                IndicatorShapesTest.parse(
                        parser,
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00.1234567Z\","
                                + "\"Id\":\"indicator--9\""
                                + (columns.isEmpty() ? "" : "," + columns)
                                + "}");
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private Indicator indicator(String columns) {
        Indicator i = row(columns).indicator;
        assertThat(i).isNotNull();
        return i;
    }

    @Test
    void rowGivesOneVersionOfItsId() {
        Indicator i =
                indicator(
                        "\"ObservableKey\":\"ipv4-addr:value\",\"ObservableValue\":\" 203.0.113.5\","
                                + "\"Pattern\":\"[ipv4-addr:value = '203.0.113.5']\","
                                + "\"IsActive\":true,\"Confidence\":80,"
                                + "\"ValidFrom\":\"2026-11-01T00:00:00Z\","
                                + "\"ValidUntil\":\"2026-12-01T00:00:00.12Z\"");
        assertThat(i.shape).isEqualTo(Indicator.TI_ROW);
        assertThat(i.indicatorId).isEqualTo("indicator--9");
        assertThat(i.timeGenerated).isEqualTo(at("10:00:00.1234567"));
        assertThat(i.timeGeneratedDigits).isEqualTo(7);
        assertThat(i.active).isTrue();
        assertThat(i.confidenceScore).isEqualTo("80");
        assertThat(i.validFrom).isEqualTo(at("2026-11-01T00:00:00Z"));
        assertThat(i.hasValidUntil).isTrue();
        assertThat(i.expiration).isEqualTo(at("2026-12-01T00:00:00.12Z"));
        assertThat(i.expirationDigits).isEqualTo(2);
        assertThat(i.observableKey).isEqualTo("ipv4-addr:value");
        assertThat(i.networkSourceIp).isEqualTo(" 203.0.113.5"); // as received
        assertThat(i.pattern).isEqualTo("[ipv4-addr:value = '203.0.113.5']");
        assertThat(i.patternType).isNull();
        assertThat(i.ip).isNull(); // resolved by IndicatorRows
        assertThat(i.networkIp).isNull();
        assertThat(i.url).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"IsActive\":true | true",
                "\"IsActive\":\"TRUE\" | true",
                "\"IsActive\":\" true \" | true",
                "\"IsActive\":false | false",
                "\"IsActive\":1 | false",
                "\"IsActive\":null | false",
                "\"Confidence\":1 | false",
                "\"IsActive\":true,\"IsDeleted\":true | false",
                "\"IsActive\":true,\"IsDeleted\":\"True\" | false",
                "\"IsActive\":true,\"IsDeleted\":false | true",
                "\"IsActive\":true,\"Revoked\":true | false",
                "\"IsActive\":true,\"Revoked\":\"true\" | false",
                "\"IsActive\":true,\"Revoked\":\"no\" | true",
            })
    void activeIsIsActiveAndNotDeletedAndNotRevoked(String columns, boolean active) {
        assertThat(indicator(columns).active).isEqualTo(active);
    }

    @Test
    void validFromAbsentIsNoCondition() {
        Indicator i = indicator("\"IsActive\":true");
        assertThat(i.validFrom).isZero();
        assertThat(i.active).isTrue();
        assertThat(indicator("\"IsActive\":true,\"ValidFrom\":null").validFrom).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"soon\"", "\"\"", "42", "{\"a\":1}"})
    void validFromPresentButUnreadableIsNeverLive(String value) {
        Indicator i = indicator("\"IsActive\":true,\"ValidFrom\":" + value);
        assertThat(i.active).isFalse();
        assertThat(i.validFrom).isZero();
    }

    @Test
    void validUntilAbsentNeverExpires() {
        Indicator i = indicator("\"IsActive\":true");
        assertThat(i.hasValidUntil).isFalse();
        assertThat(i.expiration).isEqualTo(Long.MAX_VALUE);
        assertThat(i.active).isTrue();
        assertThat(indicator("\"IsActive\":true,\"ValidUntil\":null").hasValidUntil).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"never\"", "\"\"", "7"})
    void validUntilPresentButUnreadableIsNeverLive(String value) {
        Indicator i = indicator("\"IsActive\":true,\"ValidUntil\":" + value);
        assertThat(i.active).isFalse();
        assertThat(i.hasValidUntil).isTrue();
        assertThat(i.expiration).isEqualTo(EventTimes.UNREADABLE);
    }

    @Test
    void descriptionAndActivityGroupComeFromData() {
        Indicator i =
                indicator(
                        "\"Data\":{\"description\":\"C2 server\",\"labels\":[7,\"malicious-activity\","
                                + "\"ActivityGroup:FANCY BEAR\",\"ActivityGroup:other\"]}");
        assertThat(i.description).isEqualTo("C2 server");
        assertThat(i.activityGroupNames).isEqualTo("FANCY BEAR");
    }

    @Test
    void dataAsAJsonStringIsRead() {
        Indicator i =
                indicator(
                        "\"Data\":\"{\\\"description\\\":\\\"C2\\\","
                                + "\\\"labels\\\":[\\\"ActivityGroup:APT1\\\"]}\"");
        assertThat(i.description).isEqualTo("C2");
        assertThat(i.activityGroupNames).isEqualTo("APT1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"Data\":\"not json\"",
                "\"Data\":\"{\\\"description\\\":\\\"x\\\"} trailing\"",
                "\"Data\":\"[1]\"",
                "\"Data\":\"\"",
                "\"Data\":[{\"description\":\"x\"}]",
                "\"Data\":null",
                "\"Confidence\":1",
            })
    void withoutReadableDataThereIsNoDescriptionAndNoActivityGroup(String columns) {
        Indicator i = indicator(columns);
        assertThat(i.description).isNull();
        assertThat(i.activityGroupNames).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"labels\":[]}",
                "{\"labels\":\"ActivityGroup:x\"}",
                "{\"labels\":[\"activitygroup:x\",\" ActivityGroup:y\"]}",
                "{\"labels\":[{\"ActivityGroup:\":1}]}",
            })
    void activityGroupIsEmptyWhenNoLabelStartsWithIt(String data) {
        assertThat(indicator("\"Data\":" + data).activityGroupNames).isEmpty();
    }

    @Test
    void activityGroupMayBeEmptyText() {
        assertThat(indicator("\"Data\":{\"labels\":[\"ActivityGroup:\"]}").activityGroupNames)
                .isEmpty();
    }

    @Test
    void rowWithoutReadableTimeGeneratedIsADeadLetter() {
        List<InputRecord> out =
                IndicatorShapesTest.parse(
                        parser, "{\"Id\":\"x\",\"ObservableKey\":\"ipv4-addr:value\"}");
        assertThat(out.get(0).deadLetter.reason).isEqualTo("row without TimeGenerated");
        out =
                IndicatorShapesTest.parse(
                        parser, "{\"TimeGenerated\":\"later\",\"Id\":\"x\",\"Pattern\":\"\"}");
        assertThat(out.get(0).deadLetter.reason).isEqualTo("unreadable TimeGenerated 'later'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"  \"", "null", "true", "{\"a\":1}", "[1]"})
    void rowWithoutANonBlankIdIsADeadLetter(String id) {
        String text =
                "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"Id\":"
                        + id
                        + ",\"ObservableKey\":\"ipv4-addr:value\"}";
        InputRecord r = IndicatorShapesTest.parse(parser, text).get(0);
        assertThat(r.deadLetter.reason).isEqualTo("ThreatIntelIndicators row without Id");
        assertThat(new String(r.deadLetter.raw, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(text);
    }

    @Test
    void aNumericIdIsItsText() {
        List<InputRecord> out =
                IndicatorShapesTest.parse(
                        parser,
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"Id\":12,\"Pattern\":null}");
        assertThat(out.get(0).indicator.indicatorId).isEqualTo("12");
    }
}

package io.tiflink.vmconn.io;

import static io.tiflink.vmconn.testing.Rows.MINUTE;
import static io.tiflink.vmconn.testing.Rows.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input formats (SPEC 5) and dead letters (SPEC 5.3). */
class RowParserTest {

    private final RowParser indicators = new RowParser(RowParser.Table.INDICATORS, 5 * MINUTE);
    private final RowParser connections = new RowParser(RowParser.Table.CONNECTIONS, 5 * MINUTE);

    private static List<InputRecord> parse(RowParser p, String text, long line) {
        List<InputRecord> out = new ArrayList<>();
        p.parse(text.getBytes(StandardCharsets.UTF_8), "f.jsonl", -1, line, out::add);
        return out;
    }

    @Test
    void oneRowPerRecord() {
        List<InputRecord> out =
                parse(
                        indicators,
                        "{\"TimeGenerated\":\"2026-11-27T10:15:00.1234567Z\","
                                + "\"IndicatorId\":\"i1\",\"NetworkIP\":\"1.2.3.4\",\"Active\":true,"
                                + "\"ExpirationDateTime\":\"2026-12-27T00:00:00Z\",\"ConfidenceScore\":80}",
                        1);
        assertThat(out)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.indicator.indicatorId).isEqualTo("i1");
                            assertThat(r.indicator.timeGenerated).isEqualTo(at("10:15:00.1234567"));
                            assertThat(r.indicator.timeGeneratedDigits).isEqualTo(7);
                            assertThat(r.indicator.active).isTrue();
                            assertThat(r.indicator.confidenceScore).isEqualTo("80");
                        });
    }

    @Test
    void networkCidrBlockIsReadOnBothPathsAndTravelsInIpUntilTheColumnIsPicked() {
        String row =
                "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"i1\","
                        + "\"NetworkCidrBlock\":\"198.51.100.0/24\"}";
        assertThat(parse(indicators, row, 1).get(0).indicator.ip).isEqualTo("198.51.100.0/24");
        assertThat(parse(indicators, "{\"records\":[" + row + "]}", 1).get(0).indicator.ip)
                .isEqualTo("198.51.100.0/24");
    }

    @Test
    void envelopeHoldsSeveralRows() {
        List<InputRecord> out =
                parse(
                        connections,
                        "{\"records\":[{\"TimeGenerated\":\"2026-11-27T10:00:00Z\","
                                + "\"RemoteIp\":\"1.2.3.4\"},{\"TimeGenerated\":\"2026-11-27T10:01:00Z\",\"RemoteIp\":\"1.2.3.5\"}]}",
                        3);
        assertThat(out).hasSize(2).allSatisfy(r -> assertThat(r.connection).isNotNull());
        assertThat(out.get(1).connection.remoteIp).isEqualTo("1.2.3.5");
    }

    @Test
    void booleansAndNumbersMayArriveAsStrings() {
        List<InputRecord> out =
                parse(
                        indicators,
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\","
                                + "\"IndicatorId\":\"i1\",\"Active\":\"True\",\"ConfidenceScore\":\"80\"}",
                        1);
        assertThat(out.get(0).indicator.active).isTrue();
        assertThat(
                        parse(
                                        indicators,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"i1\","
                                                + "\"Active\":\"yes\"}",
                                        1)
                                .get(0)
                                .indicator
                                .active)
                .isFalse();
        assertThat(
                        parse(
                                        indicators,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"i1\"}",
                                        1)
                                .get(0)
                                .indicator
                                .active)
                .isFalse();
    }

    @Test
    void unreadableExpiryIsKeptAsExpired() {
        InputRecord r =
                parse(
                                indicators,
                                "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"i1\","
                                        + "\"ExpirationDateTime\":\"soon\"}",
                                1)
                        .get(0);
        assertThat(r.indicator.expiration).isEqualTo(EventTimes.UNREADABLE);
    }

    @Test
    void notJsonGoesToDeadLettersUnchangedWithItsPosition() {
        InputRecord r = parse(connections, "this is not json", 7).get(0);
        assertThat(r.deadLetter).isNotNull();
        assertThat(new String(r.deadLetter.raw, StandardCharsets.UTF_8))
                .isEqualTo("this is not json");
        assertThat(r.deadLetter.reason).startsWith("not JSON");
        assertThat(r.deadLetter.position()).isEqualTo("f.jsonl:7");
        assertThat(r.deadLetter.input).isEqualTo("connections");
    }

    @Test
    void jsonThatIsNotAnObjectOrEnvelopeIsADeadLetter() {
        assertThat(parse(connections, "[1,2]", 1).get(0).deadLetter.reason)
                .contains("not a JSON object");
        assertThat(parse(connections, "42", 1).get(0).deadLetter).isNotNull();
    }

    @Test
    void rowWithoutReadableTimeGeneratedIsADeadLetter() {
        assertThat(parse(connections, "{\"RemoteIp\":\"1.2.3.4\"}", 1).get(0).deadLetter.reason)
                .isEqualTo("row without TimeGenerated");
        assertThat(
                        parse(connections, "{\"TimeGenerated\":\"yesterday\"}", 1)
                                .get(0)
                                .deadLetter
                                .reason)
                .contains("unreadable TimeGenerated");
    }

    @Test
    void indicatorRowWithoutIndicatorIdIsADeadLetter() {
        assertThat(
                        parse(
                                        indicators,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\" \"}",
                                        1)
                                .get(0)
                                .deadLetter
                                .reason)
                .isEqualTo("indicator row without IndicatorId");
    }

    @Test
    void badRowInsideAnEnvelopeIsADeadLetterWithItsIndexAndTheRestGoOn() {
        List<InputRecord> out =
                parse(
                        connections,
                        "{\"records\":[{\"TimeGenerated\":\"2026-11-27T10:00:00Z\","
                                + "\"RemoteIp\":\"1.2.3.4\"},{\"RemoteIp\":\"x\"},7]}",
                        4);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).connection).isNotNull();
        assertThat(out.get(1).deadLetter.position()).isEqualTo("f.jsonl:4#1");
        assertThat(out.get(2).deadLetter.position()).isEqualTo("f.jsonl:4#2");
    }

    @Test
    void connectionBehindItsInputsWatermarkIsMarkedLate() {
        assertThat(
                        parse(
                                        connections,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"RemoteIp\":\"1.2.3.4\"}",
                                        1)
                                .get(0)
                                .connection
                                .late)
                .isFalse();
        assertThat(
                        parse(
                                        connections,
                                        "{\"TimeGenerated\":\"2026-11-27T09:56:00Z\",\"RemoteIp\":\"1.2.3.4\"}",
                                        2)
                                .get(0)
                                .connection
                                .late)
                .isFalse(); // within the 5 min bound
        assertThat(
                        parse(
                                        connections,
                                        "{\"TimeGenerated\":\"2026-11-27T09:54:59Z\",\"RemoteIp\":\"1.2.3.4\"}",
                                        3)
                                .get(0)
                                .connection
                                .late)
                .isTrue();
    }

    @Test
    void timestampsWithOffsetsAreReadAsUtc() {
        InputRecord r =
                parse(connections, "{\"TimeGenerated\":\"2026-11-27T11:00:00+01:00\"}", 1).get(0);
        assertThat(r.connection.timeGenerated).isEqualTo(at("10:00"));
    }
}

package io.tiflink.vmconn.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs a new user may send that the job must not take as good rows: times at the ends of what
 * ISO-8601 can write, times far ahead of "now" (wall clock or the input's own progress), and rows
 * that name a column twice. Each is a dead letter with its reason, alike on the fast path (one
 * plain row) and the tree path (envelopes, other shapes).
 */
class PoisonInputTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final MaxAhead.WallClock CLOCK = NOW::toEpochMilli;

    private static final String CONNECTION =
            "{\"TimeGenerated\":\"%s\",\"Computer\":\"vm1\",\"RemoteIp\":\"203.0.113.7\"}";
    private static final String INDICATOR =
            "{\"TimeGenerated\":\"%s\",\"IndicatorId\":\"i1\",\"NetworkIP\":\"203.0.113.7\","
                    + "\"Active\":true,\"ExpirationDateTime\":\"2027-01-01T00:00:00Z\"}";

    private static List<InputRecord> parse(RowParser p, String text) {
        return parse(p, text, "topic", 0);
    }

    private static List<InputRecord> parse(RowParser p, String text, String source, int part) {
        List<InputRecord> out = new ArrayList<>();
        p.parse(text.getBytes(StandardCharsets.UTF_8), source, part, 1, out::add);
        return out;
    }

    private static List<InputRecord> tree(RowParser p, String text) {
        List<InputRecord> out = new ArrayList<>();
        p.parseTree(text.getBytes(StandardCharsets.UTF_8), "topic", 0, 1, out::add);
        return out;
    }

    private static RowParser connections(MaxAhead m) {
        return new RowParser(RowParser.Table.CONNECTIONS, 0, m);
    }

    private static RowParser indicators(MaxAhead m) {
        return new RowParser(RowParser.Table.INDICATORS, 0, m);
    }

    private static String reasonOf(List<InputRecord> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0).deadLetter).as("a dead letter: " + out.get(0)).isNotNull();
        return out.get(0).deadLetter.reason;
    }

    // ---------------------------------------------------------------- the ends of time

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+999999999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2263-01-01T00:00:00Z",
                "1600-01-01T00:00:00Z"
            })
    void timesOutsideTheYearsTheJobHoldsAreDeadLettersOnBothPathsWithoutAnyBound(String time) {
        for (RowParser p : List.of(connections(MaxAhead.NONE), indicators(MaxAhead.NONE))) {
            String row =
                    String.format(
                            p.table() == RowParser.Table.CONNECTIONS ? CONNECTION : INDICATOR,
                            time);
            String reason = reasonOf(parse(p, row));
            assertThat(reason)
                    .isEqualTo(
                            "TimeGenerated '"
                                    + time
                                    + "' is outside the times the job can hold (years 1677 to 2262)");
            assertThat(reasonOf(tree(p, row))).isEqualTo(reason);
            List<InputRecord> inEnvelope = parse(p, "{\"records\":[" + row + "]}");
            assertThat(reasonOf(inEnvelope)).isEqualTo(reason);
        }
    }

    @Test
    void aStixObjectFromTheEndOfTimeIsADeadLetter() {
        String stix =
                "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"modified\":\"+999999999-12-31T23:59:59Z\","
                        + "\"valid_from\":\"2026-11-01T00:00:00Z\",\"pattern_type\":\"stix\","
                        + "\"pattern\":\"[ipv4-addr:value = '203.0.113.7']\"}";
        assertThat(reasonOf(parse(indicators(MaxAhead.NONE), stix)))
                .startsWith("modified '+999999999-12-31T23:59:59Z' is outside the times");
    }

    @Test
    void anExpiryAtTheEndOfTimeStillMeansNeverExpires() {
        String row =
                "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"i1\","
                        + "\"NetworkIP\":\"203.0.113.7\",\"Active\":true,"
                        + "\"ExpirationDateTime\":\"9999-12-31T23:59:59Z\"}";
        InputRecord r = parse(indicators(MaxAhead.NONE), row).get(0);
        assertThat(r.indicator).isNotNull();
        assertThat(r.indicator.expiration).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anUnreadableTimeIsQuotedShortInTheReason() {
        String longText = "x".repeat(10_000);
        String reason =
                reasonOf(parse(connections(MaxAhead.NONE), String.format(CONNECTION, longText)));
        assertThat(reason).hasSizeLessThan(120).startsWith("unreadable TimeGenerated 'xxx");
    }

    // ---------------------------------------------------------------- ahead of the wall clock

    @Test
    void aRowFurtherAheadOfTheWallClockThanTheBoundIsADeadLetter() {
        RowParser p = connections(MaxAhead.ofWallClock(Duration.ofDays(1).toMillis(), CLOCK));
        String reason = reasonOf(parse(p, String.format(CONNECTION, "2030-01-01T00:00:00Z")));
        assertThat(reason)
                .isEqualTo(
                        "TimeGenerated 2030-01-01T00:00:00Z lies 1130d ahead of the wall clock,"
                                + " more than --max-ahead 1d");
        assertThat(reasonOf(tree(p, String.format(CONNECTION, "2030-01-01T00:00:00Z"))))
                .isEqualTo(reason);
        assertThat(parse(p, String.format(CONNECTION, "2026-11-28T11:59:59Z")).get(0).connection)
                .as("within a day of the wall clock: a row")
                .isNotNull();
        assertThat(parse(p, String.format(CONNECTION, "2026-11-28T12:00:01Z")).get(0).deadLetter)
                .as("a second more than a day ahead")
                .isNotNull();
        assertThat(parse(p, String.format(CONNECTION, "2020-01-01T00:00:00Z")).get(0).connection)
                .as("far behind is late at most, never ahead")
                .isNotNull();
    }

    @Test
    void indicatorsOfEveryShapeAreBoundToo() {
        RowParser p = indicators(MaxAhead.ofWallClock(Duration.ofHours(1).toMillis(), CLOCK));
        assertThat(reasonOf(parse(p, String.format(INDICATOR, "2027-06-01T00:00:00Z"))))
                .startsWith("TimeGenerated 2027-06-01T00:00:00Z lies 185d ahead of the wall clock");
        String tiRow =
                "{\"TimeGenerated\":\"2027-06-01T00:00:00Z\",\"Id\":\"x\",\"ObservableKey\":"
                        + "\"ipv4-addr:value\",\"ObservableValue\":\"203.0.113.7\",\"IsActive\":true}";
        assertThat(reasonOf(parse(p, tiRow))).startsWith("TimeGenerated 2027-06-01T00:00:00Z");
        String stix =
                "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"modified\":\"2027-06-01T00:00:00.123Z\","
                        + "\"valid_from\":\"2026-11-01T00:00:00Z\",\"pattern_type\":\"stix\","
                        + "\"pattern\":\"[ipv4-addr:value = '203.0.113.7']\"}";
        assertThat(reasonOf(parse(p, "{\"type\":\"bundle\",\"objects\":[" + stix + "]}")))
                .startsWith(
                        "STIX version time (modified, else created) 2027-06-01T00:00:00.123Z lies");
    }

    @Test
    void aPoisonRowNeitherCountsAsLateNorMakesLaterRowsLate() {
        RowParser p = connections(MaxAhead.ofWallClock(Duration.ofDays(1).toMillis(), CLOCK));
        parse(p, String.format(CONNECTION, "2026-11-27T11:00:00Z"));
        assertThat(parse(p, String.format(CONNECTION, "2030-01-01T00:00:00Z")).get(0).deadLetter)
                .isNotNull();
        InputRecord next = parse(p, String.format(CONNECTION, "2026-11-27T11:01:00Z")).get(0);
        assertThat(next.connection.late).isFalse();
    }

    @Test
    void noBoundTakesEveryReadableTime() {
        RowParser p = connections(MaxAhead.ofWallClock(0, CLOCK));
        assertThat(parse(p, String.format(CONNECTION, "2200-01-01T00:00:00Z")).get(0).connection)
                .isNotNull();
    }

    // ---------------------------------------------------------------- ahead of the input's
    // progress

    @Test
    void inAReplayARowIsJudgedAgainstTheGreatestTimeReadSoFarFromItsFile() {
        RowParser p = connections(MaxAhead.ofInputProgress(Duration.ofDays(1).toMillis()));
        assertThat(first(p, "2026-11-20T00:00:00Z", "a.jsonl").connection)
                .as("the first row sets the progress")
                .isNotNull();
        assertThat(first(p, "2026-11-20T23:00:00Z", "a.jsonl").connection).isNotNull();
        InputRecord poison = first(p, "2030-01-01T00:00:00Z", "a.jsonl");
        assertThat(poison.deadLetter.reason)
                .isEqualTo(
                        "TimeGenerated 2030-01-01T00:00:00Z lies 1137d ahead of the greatest time"
                                + " read so far from this input (2026-11-20T23:00:00Z), more than"
                                + " --max-ahead 1d");
        assertThat(first(p, "2030-01-01T00:00:05Z", "a.jsonl").deadLetter)
                .as("a burst of rows from the future: every one of them")
                .isNotNull();
        assertThat(first(p, "2026-11-21T20:00:00Z", "a.jsonl").connection)
                .as("a poison row moved nothing: the next day's row is in time")
                .isNotNull();
        assertThat(first(p, "2026-11-25T00:00:00Z", "b.jsonl").connection)
                .as("each file has its own progress")
                .isNotNull();
    }

    @Test
    void theSameFileGivesTheSameDeadLettersWhateverTheDay() {
        List<String> times =
                List.of(
                        "2026-11-20T00:00:00Z",
                        "2031-05-05T00:00:00Z",
                        "2026-11-20T06:00:00Z",
                        "2026-11-22T06:00:00Z");
        List<Boolean> dead = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            RowParser p = connections(MaxAhead.ofInputProgress(Duration.ofDays(1).toMillis()));
            List<Boolean> d = new ArrayList<>();
            times.forEach(t -> d.add(first(p, t, "f").deadLetter != null));
            if (run == 0) {
                dead.addAll(d);
            } else {
                assertThat(d).isEqualTo(dead);
            }
        }
        assertThat(dead).containsExactly(false, true, false, true);
    }

    @Test
    void inAReplayAGapInTheFileIsBelievedOnceEnoughRowsInARowConfirmIt() {
        RowParser p = connections(MaxAhead.ofInputProgress(Duration.ofDays(1).toMillis()));
        assertThat(first(p, "2026-11-20T00:00:00Z", "f").connection).isNotNull();
        java.time.Instant monday = java.time.Instant.parse("2026-11-23T00:00:00Z");
        List<Boolean> dead = new ArrayList<>();
        for (int k = 0; k < MaxAhead.ROWS_CONFIRMING_A_JUMP + 2; k++) {
            dead.add(first(p, monday.plusSeconds(60L * k).toString(), "f").deadLetter != null);
        }
        List<Boolean> want = new ArrayList<>();
        for (int k = 0; k < MaxAhead.ROWS_CONFIRMING_A_JUMP + 2; k++) {
            want.add(k < MaxAhead.ROWS_CONFIRMING_A_JUMP - 1);
        }
        assertThat(dead)
                .as("the rows before the confirming one are dead letters, none after it")
                .isEqualTo(want);
        assertThat(first(p, "2026-11-23T05:00:00Z", "f").connection)
                .as("the progress moved to Monday")
                .isNotNull();
    }

    @Test
    void aBurstFromTheFutureShorterThanAConfirmationMovesNothing() {
        RowParser p = connections(MaxAhead.ofInputProgress(Duration.ofDays(1).toMillis()));
        assertThat(first(p, "2026-11-20T00:00:00Z", "f").connection).isNotNull();
        for (int k = 0; k < MaxAhead.ROWS_CONFIRMING_A_JUMP - 1; k++) {
            assertThat(first(p, "2030-01-01T00:00:0" + k + "Z", "f").deadLetter).isNotNull();
        }
        assertThat(first(p, "2026-11-20T01:00:00Z", "f").connection).isNotNull();
        assertThat(first(p, "2030-01-01T00:00:09Z", "f").deadLetter)
                .as("a row in time ended the run: the next one from the future starts a new one")
                .isNotNull();
    }

    @Test
    void aRowCenturiesBehindTheWallClockIsNotAhead() {
        RowParser p =
                connections(
                        MaxAhead.ofWallClock(
                                Duration.ofDays(1).toMillis(), () -> 1_790_000_000_000L));
        assertThat(first(p, "1700-01-01T00:00:00Z", "f").connection).isNotNull();
    }

    @Test
    void aBoundTooLargeForNanosecondsIsRefusedWithTheOptionsName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MaxAhead.ofWallClock(MaxAhead.MAX_BOUND_MILLIS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-ahead at most");
    }

    private static InputRecord first(RowParser p, String time, String file) {
        return parse(p, String.format(CONNECTION, time), file, -1).get(0);
    }

    // ---------------------------------------------------------------- duplicate keys

    @Test
    void aConnectionRowNamingAColumnItReadsTwiceIsADeadLetterOnBothPaths() {
        String row =
                "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"RemoteIp\":\"203.0.113.7\","
                        + "\"TimeGenerated\":\"2030-01-01T00:00:00Z\"}";
        RowParser p = connections(MaxAhead.NONE);
        assertThat(reasonOf(parse(p, row))).isEqualTo("duplicate key 'TimeGenerated'");
        assertThat(reasonOf(tree(p, row))).isEqualTo("duplicate key 'TimeGenerated'");
        InputRecord inEnvelope =
                parse(p, "{\"records\":[{\"TimeGenerated\":\"2026-11-27T10:00:00Z\"}," + row + "]}")
                        .get(1);
        assertThat(inEnvelope.deadLetter.reason).isEqualTo("duplicate key 'TimeGenerated'");
        assertThat(inEnvelope.deadLetter.row).isEqualTo(1);
        assertThat(
                        reasonOf(
                                parse(
                                        p,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\","
                                                + "\"RemoteIp\":\"203.0.113.7\",\"RemoteIp\":\"198.51.100.1\"}")))
                .isEqualTo("duplicate key 'RemoteIp'");
    }

    @Test
    void everyColumnTheJobReadsTwiceIsADeadLetterAlikeOnBothPaths() {
        for (RowParser p : List.of(connections(MaxAhead.NONE), indicators(MaxAhead.NONE))) {
            boolean conn = p.table() == RowParser.Table.CONNECTIONS;
            String row = String.format(conn ? CONNECTION : INDICATOR, "2026-11-27T10:00:00Z");
            for (String column :
                    conn ? JsonColumns.CONNECTION_COLUMNS : JsonColumns.LEGACY_COLUMNS) {
                String twice = row.substring(0, row.length() - 1) + ",\"" + column + "\":\"2\"}";
                String withOnce =
                        row.contains("\"" + column + "\"")
                                ? twice
                                : twice.replace("}", ",\"" + column + "\":\"1\"}");
                String expected = "duplicate key '" + column + "'";
                assertThat(reasonOf(parse(p, withOnce))).as(withOnce).isEqualTo(expected);
                assertThat(reasonOf(tree(p, withOnce))).as(withOnce).isEqualTo(expected);
            }
        }
    }

    @Test
    void aDuplicateOfAColumnTheJobIgnoresChangesNothingAndIsKept() {
        String row =
                "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"RemoteIp\":\"203.0.113.7\","
                        + "\"BytesSent\":1,\"BytesSent\":2,\"Extra\":{\"a\":1,\"a\":2}}";
        RowParser p = connections(MaxAhead.NONE);
        assertThat(parse(p, row).get(0).connection).isNotNull();
        assertThat(tree(p, row).get(0).connection).isNotNull();
        assertThat(tree(p, row).get(0).connection).isEqualTo(parse(p, row).get(0).connection);
    }

    @Test
    void indicatorsOfEveryShapeWithADuplicatedKeyTheJobReadsAreDeadLetters() {
        RowParser p = indicators(MaxAhead.NONE);
        assertThat(
                        reasonOf(
                                parse(
                                        p,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"i1\","
                                                + "\"NetworkIP\":\"203.0.113.7\",\"Active\":false,\"Active\":true}")))
                .isEqualTo("duplicate key 'Active'");
        assertThat(
                        reasonOf(
                                parse(
                                        p,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"Id\":\"x\","
                                                + "\"ObservableValue\":\"203.0.113.7\",\"ObservableValue\":\"198.51.100.1\"}")))
                .isEqualTo("duplicate key 'ObservableValue'");
        assertThat(
                        reasonOf(
                                parse(
                                        p,
                                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"Id\":\"x\","
                                                + "\"ObservableValue\":\"203.0.113.7\","
                                                + "\"Data\":\"{\\\"description\\\":\\\"a\\\",\\\"description\\\":\\\"b\\\"}\"}")))
                .as("in Data given as a JSON string")
                .isEqualTo("duplicate key 'Data.description'");
        String stix =
                "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"modified\":\"2026-11-27T10:00:00Z\","
                        + "\"valid_from\":\"2026-11-01T00:00:00Z\",\"pattern_type\":\"stix\","
                        + "\"pattern\":\"[ipv4-addr:value = '203.0.113.7']\","
                        + "\"revoked\":true,\"revoked\":false}";
        assertThat(reasonOf(parse(p, "{\"objects\":[" + stix + "]}")))
                .isEqualTo("duplicate key 'revoked'");
        assertThat(
                        parse(
                                        p,
                                        stix.replace(
                                                "\"revoked\":true,\"revoked\":false",
                                                "\"name\":\"a\",\"name\":\"b\""))
                                .get(0)
                                .indicator)
                .as("a STIX property the job ignores, twice")
                .isNotNull();
    }

    @Test
    void anElementWhoseTypeComesTwiceIsADeadLetterWhateverTheLastSays() {
        List<InputRecord> out =
                parse(
                        indicators(MaxAhead.NONE),
                        "{\"objects\":[{\"type\":\"indicator\",\"type\":\"identity\",\"id\":\"x\"}]}");
        assertThat(reasonOf(out)).isEqualTo("duplicate key 'type'");
    }

    @Test
    void anEnvelopeWhoseRecordsComeTwiceIsADeadLetterAsAWhole() {
        String record =
                "{\"records\":["
                        + String.format(CONNECTION, "2026-11-27T10:00:00Z")
                        + "],"
                        + "\"records\":["
                        + String.format(CONNECTION, "2026-11-27T10:01:00Z")
                        + "]}";
        List<InputRecord> out = parse(connections(MaxAhead.NONE), record);
        assertThat(reasonOf(out)).isEqualTo("duplicate key 'records'");
        assertThat(new String(out.get(0).deadLetter.raw, StandardCharsets.UTF_8)).isEqualTo(record);
    }
}

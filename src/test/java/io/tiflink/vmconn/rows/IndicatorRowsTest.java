package io.tiflink.vmconn.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.StateDescriptors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The indicator rows step as an operator: versions go on, dead letters to the side output, skipped
 * rows and elements counted by reason (SPEC 1.4, 5.3, 6.1).
 */
class IndicatorRowsTest {

    private static final String T = "\"TimeGenerated\":\"2026-11-27T10:00:00Z\"";

    private static OneInputStreamOperatorTestHarness<InputRecord, Indicator> harness(
            IndicatorRows rows) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(rows);
    }

    private static void send(
            OneInputStreamOperatorTestHarness<InputRecord, Indicator> h, String record)
            throws Exception {
        List<InputRecord> in = new ArrayList<>();
        new RowParser(RowParser.Table.INDICATORS, 0)
                .parse(record.getBytes(StandardCharsets.UTF_8), "f", -1, 1, in::add);
        for (InputRecord r : in) {
            h.processElement(r, 0L);
        }
    }

    /** The accumulators by name: accepted and skipped counts, dead letters. */
    private static Map<String, Object> counts(
            OneInputStreamOperatorTestHarness<InputRecord, Indicator> h) {
        Map<String, Object> m = new TreeMap<>();
        for (Map.Entry<String, Accumulator<?, ?>> e :
                h.getEnvironment().getAccumulatorRegistry().getUserMap().entrySet()) {
            m.put(e.getKey(), e.getValue().getLocalValue());
        }
        return m;
    }

    private static final String STIX =
            "{\"type\":\"indicator\",\"id\":\"indicator--s\",\"modified\":\"2026-11-27T10:00:00Z\","
                    + "\"valid_from\":\"2026-11-27T09:00:00Z\","
                    + "\"pattern\":\"[ipv4-addr:value = '203.0.113.5'] OR [ipv4-addr:value = '10.0.0.1']\"}";

    @Test
    void aBundleGivesItsVersionsCountsItsOtherTypesAndDeadLettersItsBadObjects() throws Exception {
        try (var h = harness(new IndicatorRows(DetectionSettings.defaults()))) {
            h.open();
            send(
                    h,
                    "{\"type\":\"bundle\",\"objects\":["
                            + STIX
                            + ",{\"type\":\"identity\",\"id\":\"identity--1\"},"
                            + "{\"type\":\"indicator\",\"id\":\"x\"},"
                            + "{\"type\":\"indicator\",\"id\":\"y\",\"created\":\"2026-11-27T10:00:00Z\","
                            + "\"pattern_type\":\"yara\",\"pattern\":\"rule x {}\"}]}");
            List<Indicator> out = h.extractOutputValues();
            assertThat(out)
                    .singleElement()
                    .satisfies(v -> assertThat(v.targets).containsExactly("203.0.113.5"));
            assertThat(h.getSideOutput(StateDescriptors.DEAD_LETTERS))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().reason)
                                        .isEqualTo("STIX indicator without modified or created");
                                assertThat(r.getValue().position()).isEqualTo("f:1#2");
                            });
            assertThat(counts(h))
                    .containsEntry("indicatorRows.accepted", 1L)
                    .containsEntry("indicatorRows.skipped.other_stix_type", 1L)
                    .containsEntry("indicatorRows.skipped.pattern_type", 1L)
                    .containsEntry("deadLetters.indicatorRows", 1L);
        }
    }

    @Test
    void aPatternOnlyRowHandsOnOneVersionPerTargetEachCountedAsAccepted() throws Exception {
        try (var h = harness(new IndicatorRows(DetectionSettings.defaults()))) {
            h.open();
            send(
                    h,
                    "{"
                            + T
                            + ",\"Id\":\"indicator--t\",\"IsActive\":true,\"Pattern\":"
                            + "\"[ipv4-addr:value = '203.0.113.5'] OR [ipv4-addr:value = '198.51.100.0/24']\"}");
            assertThat(h.extractOutputValues())
                    .extracting(v -> v.ip)
                    .containsExactly("203.0.113.5", "198.51.100.0/24");
            assertThat(counts(h)).containsEntry("indicatorRows.accepted", 2L);
        }
    }

    @Test
    void skippedRowsAreCountedByReason() throws Exception {
        try (var h = harness(new IndicatorRows(DetectionSettings.defaults()))) {
            h.open();
            send(h, "{" + T + ",\"IndicatorId\":\"a\"}");
            send(h, "{" + T + ",\"IndicatorId\":\"a\",\"NetworkIP\":\"nope\"}");
            send(h, "{" + T + ",\"IndicatorId\":\"a\",\"NetworkIP\":\"10.1.1.1\"}");
            send(h, "{" + T + ",\"IndicatorId\":\"a\",\"NetworkCidrBlock\":\"2.0.0.0/7\"}");
            send(h, "{" + T + ",\"Id\":\"b\",\"ObservableKey\":\"url:value\"}");
            send(h, "{" + T + ",\"Id\":\"b\",\"Pattern\":\"[ipv4-addr:value LIKE '1.%']\"}");
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(counts(h))
                    .containsEntry("indicatorRows.skipped.no_ip", 1L)
                    .containsEntry("indicatorRows.skipped.not_an_ip", 1L)
                    .containsEntry("indicatorRows.skipped.excluded_ip", 1L)
                    .containsEntry("indicatorRows.skipped.range_too_broad", 1L)
                    .containsEntry("indicatorRows.skipped.not_ip_type", 1L)
                    .containsEntry("indicatorRows.skipped.unsupported_pattern", 1L);
        }
    }

    @Test
    void theBroadestRangesComeFromTheSettings() throws Exception {
        String row = "{" + T + ",\"IndicatorId\":\"a\",\"NetworkIP\":\"198.51.0.0/16\"}";
        try (var h = harness(new IndicatorRows(DetectionSettings.defaults()))) {
            h.open();
            send(h, row);
            assertThat(h.extractOutputValues())
                    .extracting(v -> v.ip)
                    .containsExactly("198.51.0.0/16");
        }
        try (var h =
                harness(
                        new IndicatorRows(
                                DetectionSettings.defaults().withBroadestIpv4Range(24)))) {
            h.open();
            send(h, row);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(counts(h)).containsEntry("indicatorRows.skipped.range_too_broad", 1L);
        }
    }

    @Test
    void theExclusionsConstructorKeepsTheDefaultBroadestRanges() throws Exception {
        try (var h =
                harness(
                        new IndicatorRows(
                                DetectionSettings.defaults()
                                        .withExtraExcludedRanges(List.of("203.0.113.0/24"))
                                        .exclusions()))) {
            h.open();
            send(h, "{" + T + ",\"IndicatorId\":\"a\",\"NetworkIP\":\"203.0.113.5\"}");
            send(h, "{" + T + ",\"IndicatorId\":\"a\",\"NetworkIP\":\"4.0.0.0/7\"}");
            send(h, "{" + T + ",\"IndicatorId\":\"a\",\"NetworkIP\":\"4.0.0.0/8\"}");
            assertThat(h.extractOutputValues()).extracting(v -> v.ip).containsExactly("4.0.0.0/8");
            assertThat(counts(h))
                    .containsEntry("indicatorRows.skipped.excluded_ip", 1L)
                    .containsEntry("indicatorRows.skipped.range_too_broad", 1L);
        }
    }
}

package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.StateDescriptors;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * First step after a source: dead letters leave by the side output (SPEC 5.3), readable but
 * unusable rows are counted by reason and dropped (SPEC 1.2, 2.1), usable rows go on.
 */
abstract class RowRouter<T> extends ProcessFunction<InputRecord, T> {

    private static final long serialVersionUID = 1L;

    private transient MetricGroup metrics;
    private transient Counter deadLetters;
    private transient Counter accepted;
    private transient Map<String, Counter> skipped;
    private transient LongCounter deadLettersTotal;
    private transient LongCounter acceptedTotal;
    private transient Map<String, LongCounter> skippedTotal;

    /** Metric name prefix: "indicatorRows" or "connectionRows". */
    abstract String metricPrefix();

    /**
     * Hands on the usable rows of a record (an indicator record may give several versions, SPEC
     * 6.2b), or calls {@link #skip(String)} and hands on none.
     */
    abstract void route(InputRecord record, Consumer<T> usable);

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup();
        deadLetters = metrics.counter("deadLetters");
        accepted = metrics.counter(metricPrefix() + "Accepted");
        skipped = new HashMap<>();
        // Accumulators: the same counts, summed over subtasks, for the replay's closing summary.
        deadLettersTotal = getRuntimeContext().getLongCounter("deadLetters." + metricPrefix());
        acceptedTotal = getRuntimeContext().getLongCounter(metricPrefix() + ".accepted");
        skippedTotal = new HashMap<>();
    }

    @Override
    public void processElement(InputRecord record, Context ctx, Collector<T> out) {
        if (record.deadLetter != null) {
            deadLetters.inc();
            deadLettersTotal.add(1L);
            ctx.output(StateDescriptors.DEAD_LETTERS, record.deadLetter);
            return;
        }
        if (record.skipped != null) {
            skip(record.skipped);
            return;
        }
        route(
                record,
                row -> {
                    accepted.inc();
                    acceptedTotal.add(1L);
                    out.collect(row);
                });
    }

    /** Counts a readable row that cannot be used, under metric {prefix}Skipped{reason=...}. */
    void skip(String reason) {
        skipped.computeIfAbsent(
                        reason,
                        r -> metrics.addGroup("reason", r).counter(metricPrefix() + "Skipped"))
                .inc();
        skippedTotal
                .computeIfAbsent(
                        reason,
                        r -> getRuntimeContext().getLongCounter(metricPrefix() + ".skipped." + r))
                .add(1L);
    }
}

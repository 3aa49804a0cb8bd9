package io.tiflink.vmconn.testing;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.match.IndicatorMatcher;
import io.tiflink.vmconn.match.MatcherKeys;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorEvent;
import io.tiflink.vmconn.model.KeyedInput;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.StateDescriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** The matcher in Flink's operator harness, driven the way the workflow drives it. */
public final class MatcherHarness implements AutoCloseable {

    public final KeyedBroadcastOperatorTestHarness<String, KeyedInput, IndicatorEvent, Match>
            harness;

    /** The broadcast states the workflow gives the matcher. */
    private static final MapStateDescriptor<?, ?>[] BROADCAST = {
        StateDescriptors.INDICATORS_BY_IP,
        StateDescriptors.INDICATOR_IPS,
        StateDescriptors.INDICATOR_TOMBSTONES
    };

    public MatcherHarness(DetectionSettings settings) throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new IndicatorMatcher(settings),
                        DetectionWorkflow::matcherKey,
                        Types.STRING,
                        BROADCAST);
    }

    /** A harness of {@code matcher} with its state restored from {@code snapshot}, opened. */
    public static KeyedBroadcastOperatorTestHarness<String, KeyedInput, IndicatorEvent, Match>
            restored(IndicatorMatcher matcher, OperatorSubtaskState snapshot) throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(matcher, List.of(BROADCAST)),
                        DetectionWorkflow::matcherKey,
                        Types.STRING,
                        1,
                        1,
                        0);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** An indicator row: its broadcast copy and its probe, as the workflow sends both. */
    public MatcherHarness indicator(Indicator i) throws Exception {
        long ts = EventTimes.toMillis(i.timeGenerated);
        harness.processBroadcastElement(IndicatorEvent.version(i), ts);
        for (KeyedInput p : probes(i)) {
            harness.processElement(p, ts);
        }
        return this;
    }

    public MatcherHarness connection(Connection c) throws Exception {
        harness.processElement(keyed(c), EventTimes.toMillis(c.timeGenerated));
        return this;
    }

    /** A connection as the workflow hands it to the matcher: to its bucket's key. */
    public static KeyedInput keyed(Connection c) {
        return KeyedInput.connection(c, MatcherKeys.bucketOf(c.ip));
    }

    /** A version's probes as the workflow sends them (to each bucket, and each address's key). */
    public static List<KeyedInput> probes(Indicator v) {
        List<KeyedInput> out = new ArrayList<>();
        DetectionWorkflow.probes(
                v,
                new org.apache.flink.util.Collector<>() {
                    @Override
                    public void collect(KeyedInput k) {
                        out.add(k);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    /** Both inputs' watermarks to this instant (Flink millis). */
    public MatcherHarness watermark(long millis) throws Exception {
        harness.processWatermark(millis);
        harness.processBroadcastWatermark(millis);
        return this;
    }

    public MatcherHarness watermark(String time) throws Exception {
        return watermark(Rows.millis(time));
    }

    /** A tick as the connection side's watermark sends it (sweeps expired indicators). */
    public MatcherHarness tick(long millis) throws Exception {
        harness.processBroadcastElement(IndicatorEvent.tick(millis), millis);
        return this;
    }

    public List<Match> matches() {
        return harness.extractOutputValues();
    }

    public int broadcastEntries() throws Exception {
        int n = 0;
        for (Map.Entry<String, ?> ignored :
                harness.getBroadcastState(StateDescriptors.INDICATORS_BY_IP).entries()) {
            n++;
        }
        for (Map.Entry<String, ?> ignored :
                harness.getBroadcastState(StateDescriptors.INDICATOR_IPS).entries()) {
            n++;
        }
        return n;
    }

    /** IndicatorIds kept as tombstones of indicators that left the state. */
    public List<String> tombstones() throws Exception {
        List<String> ids = new ArrayList<>();
        harness.getBroadcastState(StateDescriptors.INDICATOR_TOMBSTONES)
                .entries()
                .forEach(e -> ids.add(e.getKey()));
        return ids;
    }

    public List<String> broadcastIps() throws Exception {
        List<String> ips = new ArrayList<>();
        harness.getBroadcastState(StateDescriptors.INDICATORS_BY_IP)
                .entries()
                .forEach(e -> ips.add(e.getKey()));
        return ips;
    }

    public int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}

package io.tiflink.vmconn.workflow;

import io.tiflink.vmconn.alert.AlertAggregator;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.match.IndicatorMatcher;
import io.tiflink.vmconn.match.MatcherKeys;
import io.tiflink.vmconn.match.WatermarkTicker;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorEvent;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.model.KeyedInput;
import io.tiflink.vmconn.model.Match;
import io.tiflink.vmconn.rows.ConnectionRows;
import io.tiflink.vmconn.rows.IndicatorRows;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The detection, defined once. Sources (Kafka, files, tests) hand in their records with event time
 * assigned; the workflow returns the alerts and the dead letters for the sinks to take.
 */
public final class DetectionWorkflow {

    /** What the workflow gives the sinks. */
    public static final class Outputs {
        public final DataStream<Alert> alerts;
        public final DataStream<DeadLetter> deadLetters;

        Outputs(DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters) {
            this.alerts = alerts;
            this.deadLetters = deadLetters;
        }
    }

    /**
     * Buffer timeout, in first mode, of the shuffles that carry the watermark to the matcher (see
     * define).
     */
    static final long FIRST_MODE_BUFFER_MILLIS = 10;

    private DetectionWorkflow() {}

    public static Outputs define(
            DataStream<InputRecord> indicatorRecords,
            DataStream<InputRecord> connectionRecords,
            DetectionSettings settings) {
        // The row steps run at their source's parallelism, chained to it: rows stay in input order.
        // Records pass between chained steps without copies (HandOff): no step keeps them.
        SingleOutputStreamOperator<Indicator> indicators =
                sameParallelism(
                        indicatorRecords
                                .process(new IndicatorRows(settings), HandOff.of(Indicator.class))
                                .name("Indicator rows (SPEC 1.1-1.4, 6)")
                                .uid(Uids.INDICATOR_ROWS),
                        indicatorRecords);
        SingleOutputStreamOperator<Connection> connections =
                sameParallelism(
                        connectionRecords
                                .process(new ConnectionRows(), HandOff.of(Connection.class))
                                .name("Connection rows (SPEC 2.1)")
                                .uid(Uids.CONNECTION_ROWS),
                        connectionRecords);

        SingleOutputStreamOperator<IndicatorEvent> ticks =
                connections
                        .transform(
                                "Watermark ticks",
                                TypeInformation.of(IndicatorEvent.class),
                                new WatermarkTicker(IndicatorMatcher.SWEEP_INTERVAL_MILLIS))
                        .uid(Uids.WATERMARK_TICKS);
        // Keyed by indicator id before the broadcast: every row of one indicator reaches every
        // matcher task through one channel, in input order, so ties on the version time resolve
        // alike everywhere (SPEC 1.5) whatever the parallelism.
        SingleOutputStreamOperator<IndicatorEvent> versions =
                indicators
                        .keyBy(DetectionWorkflow::indicatorKey, Types.STRING)
                        .map(IndicatorEvent::version, TypeInformation.of(IndicatorEvent.class))
                        .name("Indicator versions")
                        .uid(Uids.INDICATOR_EVENTS);
        BroadcastStream<IndicatorEvent> indicatorState =
                versions.union(ticks)
                        .broadcast(
                                StateDescriptors.INDICATORS_BY_IP,
                                StateDescriptors.INDICATOR_IPS,
                                StateDescriptors.INDICATOR_TOMBSTONES);

        SingleOutputStreamOperator<KeyedInput> connectionInputs =
                connections
                        .map(
                                c -> KeyedInput.connection(c, MatcherKeys.bucketOf(c.ip)),
                                HandOff.of(KeyedInput.class))
                        .name("Connections")
                        .uid(Uids.CONNECTION_INPUTS);
        SingleOutputStreamOperator<KeyedInput> probes =
                indicators
                        .flatMap(DetectionWorkflow::probes, HandOff.of(KeyedInput.class))
                        .name("Indicator probes")
                        .uid(Uids.INDICATOR_PROBES);
        DataStream<KeyedInput> keyed = connectionInputs.union(probes);

        SingleOutputStreamOperator<Match> matches =
                keyed.keyBy(DetectionWorkflow::matcherKey, Types.STRING)
                        .connect(indicatorState)
                        .process(new IndicatorMatcher(settings), TypeInformation.of(Match.class))
                        .name("Match connections to indicators (SPEC 2)")
                        .uid(Uids.MATCHER);
        if (settings.emitMode() == EmitMode.FIRST) {
            // An alert within a second (SPEC 4.2): a connection is judged when the watermark passes
            // it,
            // and both the watermark (to the matcher) and the match (to the alert groups) wait in a
            // network buffer for up to the buffer timeout (Flink's default 100 ms) at each of the
            // two
            // shuffles. Matches are rare: send each at once. Connections are many: flush every 10
            // ms.
            // The matcher's watermark is the least of all its input channels', so the watermark's
            // other
            // ways in (ticks and indicator versions to the broadcast side, probes to the keyed
            // side)
            // flush every 10 ms too: they carry few records.
            connectionInputs.setBufferTimeout(FIRST_MODE_BUFFER_MILLIS);
            ticks.setBufferTimeout(FIRST_MODE_BUFFER_MILLIS);
            versions.setBufferTimeout(FIRST_MODE_BUFFER_MILLIS);
            probes.setBufferTimeout(FIRST_MODE_BUFFER_MILLIS);
            matches.setBufferTimeout(0);
        }

        DataStream<Alert> alerts =
                matches.keyBy(DetectionWorkflow::alertKey, Types.STRING)
                        .process(new AlertAggregator(settings), TypeInformation.of(Alert.class))
                        .name("Alerts per indicator, IP and window (SPEC 3, 4)")
                        .uid(Uids.ALERTS);

        DataStream<DeadLetter> deadLetters =
                indicators
                        .getSideOutput(StateDescriptors.DEAD_LETTERS)
                        .union(connections.getSideOutput(StateDescriptors.DEAD_LETTERS));
        return new Outputs(alerts, deadLetters);
    }

    private static <T> SingleOutputStreamOperator<T> sameParallelism(
            SingleOutputStreamOperator<T> op, DataStream<?> input) {
        int p = input.getParallelism();
        return p > 0 ? op.setParallelism(p) : op;
    }

    /** Key of the indicator rows on their way to the broadcast. */
    public static String indicatorKey(Indicator row) {
        return row.indicatorId;
    }

    /** Key of the matcher: a bucket of addresses (or, for 1.x state, an address). */
    public static String matcherKey(KeyedInput in) {
        return in.key;
    }

    /**
     * A version's probes: one to each bucket its targets reach, and one to each address target's
     * own key, where state restored from 1.x may keep connections ({@code match.LegacyIpKeys}).
     */
    public static void probes(Indicator v, Collector<KeyedInput> out) {
        for (String bucket : MatcherKeys.bucketsOf(v.targetList())) {
            out.collect(KeyedInput.probe(v, bucket));
        }
        for (String target : v.targetList()) {
            if (target.indexOf('/') < 0) {
                out.collect(KeyedInput.probe(v, target));
            }
        }
    }

    /** Key of the alert groups: canonical IP and IndicatorId. */
    public static String alertKey(Match m) {
        return AlertAggregator.groupKey(m);
    }
}

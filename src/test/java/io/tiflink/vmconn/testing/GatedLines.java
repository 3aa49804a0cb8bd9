package io.tiflink.vmconn.testing;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.HandOff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * An input for savepoint tests: JSON lines from a checkpointable sequence source (its position is
 * in the savepoint) that lets through only a given number of lines per run and then waits, so a
 * savepoint can be taken at a known place and the next run goes on from there.
 */
public final class GatedLines {

    private static final java.util.Map<RowParser.Table, java.util.concurrent.atomic.AtomicLong>
            EMITTED = new java.util.concurrent.ConcurrentHashMap<>();

    private GatedLines() {}

    /**
     * Lines of this input parsed in this JVM since the last {@link #resetCounts()} (MiniCluster
     * tests).
     */
    public static long emitted(RowParser.Table table) {
        return EMITTED.computeIfAbsent(table, t -> new java.util.concurrent.atomic.AtomicLong())
                .get();
    }

    public static void resetCounts() {
        EMITTED.clear();
    }

    /**
     * @param permits how many lines this run lets through before waiting (Long.MAX_VALUE: all);
     *     counted from where the restored source resumes
     */
    public static DataStream<InputRecord> source(
            StreamExecutionEnvironment env,
            List<String> lines,
            RowParser.Table table,
            DetectionSettings settings,
            long permits,
            String uid) {
        ArrayList<String> copy = new ArrayList<>(lines);
        DataGeneratorSource<String> source =
                new DataGeneratorSource<>(
                        i -> copy.get(i.intValue()), copy.size(), new Gate(permits), Types.STRING);
        WatermarkStrategy<InputRecord> watermarks =
                table == RowParser.Table.INDICATORS
                        ? InputWatermarks.forIndicators(settings)
                        : InputWatermarks.forConnections(settings);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), table.label + " lines")
                .uid(uid)
                .setParallelism(1)
                .process(
                        new Parse(table, settings.outOfOrdernessNanos()),
                        HandOff.of(InputRecord.class))
                .uid(uid + "-parse")
                .setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks)
                .uid(uid + "-watermarks")
                .setParallelism(1);
    }

    static final class Parse extends ProcessFunction<String, InputRecord> {
        private final RowParser parser;
        private transient long line;

        Parse(RowParser.Table table, long outOfOrdernessNanos) {
            this.parser = new RowParser(table, outOfOrdernessNanos);
        }

        @Override
        public void open(OpenContext ctx) {
            line = 0;
        }

        @Override
        public void processElement(String value, Context ctx, Collector<InputRecord> out) {
            parser.parse(
                    value.getBytes(StandardCharsets.UTF_8),
                    parser.table().label,
                    -1,
                    ++line,
                    out::collect);
            EMITTED.computeIfAbsent(
                            parser.table(), t -> new java.util.concurrent.atomic.AtomicLong())
                    .incrementAndGet();
        }
    }

    /** Grants {@code permits} records, then never again in this run. */
    static final class Gate
            implements RateLimiterStrategy<org.apache.flink.api.connector.source.SourceSplit> {
        private final long permits;

        Gate(long permits) {
            this.permits = permits;
        }

        @Override
        public RateLimiter<org.apache.flink.api.connector.source.SourceSplit> createRateLimiter(
                int parallelism) {
            return new RateLimiter<>() {
                private long granted;

                @Override
                public CompletionStage<Void> acquire(int n) {
                    if (granted + n <= permits) {
                        granted += n;
                        return CompletableFuture.completedFuture(null);
                    }
                    return new CompletableFuture<>();
                }
            };
        }
    }
}

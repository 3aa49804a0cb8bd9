package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.connector.datagen.source.GeneratingIteratorSourceReader;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded, checkpointable source over the benchmark's pre-generated rows: a number sequence (its
 * position is checkpointed, as DataGeneratorSource's) whose reader looks up row i and parses it
 * with the project's {@link RowParser} inside the source reader, as the Kafka and file plugs do.
 * Unlike DataGeneratorSource it has no per-record rate-limiter round trip (that costs a future per
 * record), so it adds as little as a source can to what is measured.
 *
 * <p>Connection sources are gated by their {@link RunControl}: nothing flows until the driver
 * allows it (the indicators are loaded first, a warm-up runs, a checkpoint is taken), and the
 * latency run paces rows. While gated the reader is idle but not blocked, so checkpoints pass.
 */
final class ArraySource extends NumberedRowSource {

    private static final long serialVersionUID = 1L;

    private final RowsFunction rows;
    private final boolean gated;

    private ArraySource(long count, RowsFunction rows, boolean gated) {
        super(count);
        this.rows = rows;
        this.gated = gated;
    }

    /**
     * The run's connection rows, row i of the sequence being row {@code interleave(i)} of the
     * array.
     */
    static ArraySource connections(RunControl run, long outOfOrdernessNanos) {
        return new ArraySource(
                run.connectionCount,
                new RowsFunction(
                        run.id,
                        RowParser.Table.CONNECTIONS,
                        outOfOrdernessNanos,
                        run.connectionCount),
                true);
    }

    /** The run's indicator rows, made as they are read. */
    static ArraySource indicators(RunControl run, long outOfOrdernessNanos) {
        return new ArraySource(
                run.indicatorCount,
                new RowsFunction(
                        run.id,
                        RowParser.Table.INDICATORS,
                        outOfOrdernessNanos,
                        run.indicatorCount),
                false);
    }

    @Override
    public SourceReader<InputRecord, NumberSequenceSplit> createReader(SourceReaderContext ctx) {
        RowsFunction fn = rows.copy();
        SourceReader<InputRecord, NumberSequenceSplit> reader =
                new GeneratingIteratorSourceReader<>(ctx, fn);
        return gated ? new GatedReader(reader, fn, false) : reader;
    }

    /**
     * Index -> bytes -> {@link RowParser#parse}: the source reader's work. Connection rows: the
     * sequence is split into one contiguous range per reader (NumberSequenceSource's split of a
     * count divisible by the parallelism); local position j of reader s reads array row j * p + s,
     * so every reader covers the whole event-time span, as Kafka partitions of one topic do, and
     * the watermarks of the readers move together.
     */
    static final class RowsFunction implements GeneratorFunction<Long, InputRecord>, Gate {

        private static final long serialVersionUID = 1L;

        private final String runId;
        private final RowParser.Table table;
        private final long outOfOrdernessNanos;
        private final long count;

        private transient RunControl run;
        private transient RowParser parser;
        private transient String sourceName;
        private transient int subtask;
        private transient int parallelism;
        private transient long perReader;
        private transient InputRecord held;
        private transient long freshHits;
        transient long emitted;

        @Override
        public CompletableFuture<Void> blocked() {
            return run == null ? null : run.blocked(emitted);
        }

        RowsFunction(String runId, RowParser.Table table, long outOfOrdernessNanos, long count) {
            this.runId = runId;
            this.table = table;
            this.outOfOrdernessNanos = outOfOrdernessNanos;
            this.count = count;
        }

        RowsFunction copy() {
            return new RowsFunction(runId, table, outOfOrdernessNanos, count);
        }

        @Override
        public void open(SourceReaderContext ctx) {
            run = RunControl.get(runId);
            parser = new RowParser(table, outOfOrdernessNanos);
            sourceName = "bench-" + table.label;
            subtask = ctx.getIndexOfSubtask();
            parallelism = ctx.currentParallelism();
            if (count % parallelism != 0) {
                throw new IllegalStateException(
                        count + " rows do not split evenly over " + parallelism + " readers");
            }
            perReader = count / parallelism;
        }

        @Override
        public InputRecord map(Long index) {
            long i = index;
            byte[] bytes;
            if (table == RowParser.Table.CONNECTIONS) {
                long s = i / perReader;
                long k = (i - s * perReader) * parallelism + s;
                byte[][] rows = run.data.connections;
                bytes = rows[(int) (k % rows.length)];
                if (run.stampNow) {
                    if (run.data.isHit(k)) {
                        byte[] fresh = run.data.freshHit(freshHits++ * parallelism + subtask);
                        bytes = fresh == null ? bytes : fresh;
                    }
                    bytes = BenchData.withTime(bytes, Instant.now());
                }
                run.connectionsEmitted.increment();
            } else {
                bytes = run.indicatorRow((int) i);
                run.indicatorsEmitted.increment();
            }
            held = null;
            parser.parse(bytes, sourceName, subtask, i, r -> held = r);
            emitted++;
            return held;
        }
    }
}

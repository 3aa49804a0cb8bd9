package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.connector.datagen.source.GeneratingIteratorSourceReader;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The soak's sources: a number sequence (its position is checkpointed) whose reader makes row k and
 * parses it with the project's {@link RowParser} inside the reader, as the Kafka and file plugs do,
 * so generating and parsing are part of what is measured. Nothing is held: a row's bytes exist only
 * while it is parsed. Connection row k comes from {@link SoakRows}; indicator row k is the demo
 * feed's row k ({@link BenchData#indicatorRow}) at the address {@link SoakRows#indicatorIp}.
 *
 * <p>Connection reader s of p reads rows k = s, s + p, s + 2p, ... (local position j of the split
 * of reader s is row j * p + s), so every reader covers the whole event-time span, as partitions of
 * one topic, and their watermarks move together. The reader emits nothing until the {@link
 * RunControl} allows it (the indicators load first), and once its rows are out it holds instead of
 * ending: the driver measures the kept state with the watermark where the last row left it, then
 * cancels the job (no end-of-input drain of the kept connections).
 */
final class SoakSource extends NumberedRowSource {

    private static final long serialVersionUID = 1L;

    private final Rows rows;

    private SoakSource(long count, Rows rows) {
        super(count);
        this.rows = rows;
    }

    /** The run's connection rows ({@code count}: a multiple of the parallelism), held as above. */
    static SoakSource connections(
            RunControl run, SoakRows shape, long count, long outOfOrdernessNanos) {
        return new SoakSource(
                count,
                new Rows(run.id, RowParser.Table.CONNECTIONS, shape, count, outOfOrdernessNanos));
    }

    /**
     * The run's indicator rows: the demo's feed ({@link BenchData#indicatorRow}) at the addresses
     * {@link SoakRows#indicatorIp} spreads them over; not held.
     */
    static SoakSource indicators(RunControl run, long outOfOrdernessNanos) {
        return new SoakSource(
                run.indicatorCount,
                new Rows(
                        run.id,
                        RowParser.Table.INDICATORS,
                        null,
                        run.indicatorCount,
                        outOfOrdernessNanos));
    }

    @Override
    public SourceReader<InputRecord, NumberSequenceSplit> createReader(SourceReaderContext ctx) {
        Rows fn = rows.copy();
        SourceReader<InputRecord, NumberSequenceSplit> reader =
                new GeneratingIteratorSourceReader<>(ctx, fn);
        return fn.table == RowParser.Table.CONNECTIONS ? new GatedReader(reader, fn, true) : reader;
    }

    /** Index -> row k -> JSON bytes -> {@link RowParser#parse}: the reader's work. */
    static final class Rows implements GeneratorFunction<Long, InputRecord>, Gate {

        private static final long serialVersionUID = 1L;

        private final String runId;
        private final RowParser.Table table;
        private final SoakRows shape;
        private final long count;
        private final long outOfOrdernessNanos;

        private transient RunControl run;
        private transient SoakRows rows;
        private transient RowParser parser;
        private transient int subtask;
        private transient int parallelism;
        private transient long perReader;
        private transient InputRecord held;
        transient long emitted;

        @Override
        public CompletableFuture<Void> blocked() {
            return run == null ? null : run.blocked(emitted);
        }

        Rows(
                String runId,
                RowParser.Table table,
                SoakRows shape,
                long count,
                long outOfOrdernessNanos) {
            this.runId = runId;
            this.table = table;
            this.shape = shape;
            this.count = count;
            this.outOfOrdernessNanos = outOfOrdernessNanos;
        }

        Rows copy() {
            return new Rows(runId, table, shape, count, outOfOrdernessNanos);
        }

        @Override
        public void open(SourceReaderContext ctx) {
            run = RunControl.get(runId);
            rows = shape == null ? null : shape.copy().open();
            parser = new RowParser(table, outOfOrdernessNanos);
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
            long s = i / perReader;
            long k = (i - s * perReader) * parallelism + s;
            byte[] bytes;
            if (rows != null) {
                bytes = rows.row(k);
                run.connectionsEmitted.increment();
            } else {
                int n = (int) k;
                bytes =
                        run.data.indicatorRow(
                                n,
                                SoakRows.ipString(SoakRows.indicatorIp(n)),
                                run.indicatorsObserved,
                                run.indicatorsExpire);
                run.indicatorsEmitted.increment();
            }
            held = null;
            parser.parse(bytes, "soak-" + table.label, subtask, k, r -> held = r);
            emitted++;
            return held;
        }
    }
}

package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.HandOff;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source of the bench's rows, numbered 0 to count - 1: splits, enumerator and their
 * serializers are {@link NumberSequenceSource}'s; a subclass makes the reader that turns a number
 * into a parsed row. Its records are handed to the next step as the job's own sources hand them
 * ({@link HandOff}: no copy in the chain).
 */
abstract class NumberedRowSource
        implements Source<InputRecord, NumberSequenceSplit, Collection<NumberSequenceSplit>>,
                ResultTypeQueryable<InputRecord> {

    private static final long serialVersionUID = 1L;

    private final NumberSequenceSource numbers;

    NumberedRowSource(long count) {
        this.numbers = new NumberSequenceSource(0, count - 1);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> createEnumerator(
            SplitEnumeratorContext<NumberSequenceSplit> ctx) {
        return numbers.createEnumerator(ctx);
    }

    @Override
    public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> restoreEnumerator(
            SplitEnumeratorContext<NumberSequenceSplit> ctx,
            Collection<NumberSequenceSplit> checkpoint) {
        return numbers.restoreEnumerator(ctx, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<NumberSequenceSplit> getSplitSerializer() {
        return numbers.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<NumberSequenceSplit>>
            getEnumeratorCheckpointSerializer() {
        return numbers.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return HandOff.of(InputRecord.class);
    }

    /** What a reader's rows wait for: the {@link RunControl} of their run. */
    interface Gate {
        /** Null when the next row may go now, else a future to look again at. */
        CompletableFuture<Void> blocked();
    }

    /**
     * Emits only what the gate allows; idle (not blocked: checkpoints pass) otherwise. With {@code
     * holdAtEnd}, at the end of its rows it holds instead of ending (the job then runs on until the
     * driver cancels it).
     */
    static final class GatedReader implements SourceReader<InputRecord, NumberSequenceSplit> {

        private final SourceReader<InputRecord, NumberSequenceSplit> reader;
        private final Gate gate;
        private final boolean holdAtEnd;
        private final CompletableFuture<Void> never = new CompletableFuture<>();
        private CompletableFuture<Void> waiting;

        GatedReader(
                SourceReader<InputRecord, NumberSequenceSplit> reader,
                Gate gate,
                boolean holdAtEnd) {
            this.reader = reader;
            this.gate = gate;
            this.holdAtEnd = holdAtEnd;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<InputRecord> output) throws Exception {
            waiting = gate.blocked();
            if (waiting != null) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            InputStatus status = reader.pollNext(output);
            if (holdAtEnd && status == InputStatus.END_OF_INPUT) {
                waiting = never;
                return InputStatus.NOTHING_AVAILABLE;
            }
            return status;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (waiting != null && !waiting.isDone()) {
                return waiting;
            }
            waiting = null;
            return reader.isAvailable();
        }

        @Override
        public List<NumberSequenceSplit> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public void addSplits(List<NumberSequenceSplit> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }
}

package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.model.Alert;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A discarding sink that counts what it gets and notes when its input ended (the end of a
 * throughput run, before the job's teardown). In a latency run it also takes, for each alert, the
 * time from its connection row entering the source (the row's TimeGenerated, stamped there) to the
 * alert reaching this sink.
 */
final class EndSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String runId;
    private final boolean latency;

    EndSink(String runId, boolean latency) {
        this.runId = runId;
        this.latency = latency;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        RunControl run = RunControl.get(runId);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                if (latency && element instanceof Alert) {
                    Instant now = Instant.now();
                    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                    run.latencies.add(
                            new long[] {
                                nowNanos,
                                nowNanos - ((Alert) element).match.connection.timeGenerated
                            });
                }
                run.sinkRecords.increment();
            }

            @Override
            public void flush(boolean endOfInput) {
                if (endOfInput) {
                    run.endOfInput();
                }
            }

            @Override
            public void close() {}
        };
    }
}

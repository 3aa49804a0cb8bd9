package io.tiflink.vmconn.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads a feed's alert topic as a SOC's consumer would (read_committed), from the start, on a
 * thread of its own, and notes when each alert became visible: the figure of how late alerts come.
 */
final class AlertWatch implements AutoCloseable {

    /** An alert and the wall time a read_committed consumer first got it. */
    record Seen(Instant at, ConsumerRecord<String, String> record, JsonNode alert) {}

    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    AlertWatch(Feed feed) {
        thread =
                new Thread(
                        () -> {
                            try (KafkaConsumer<String, String> c =
                                    feed.committedReader(feed.alerts())) {
                                while (!stop) {
                                    var batch = c.poll(Duration.ofMillis(100));
                                    Instant now = Instant.now();
                                    synchronized (this) {
                                        batch.forEach(
                                                r ->
                                                        seen.add(
                                                                new Seen(
                                                                        now,
                                                                        r,
                                                                        Reliability.json(
                                                                                r.value()))));
                                    }
                                }
                            }
                        },
                        "alert-watch-" + feed.alerts());
        thread.setDaemon(true);
        thread.start();
    }

    synchronized List<Seen> seen() {
        return new ArrayList<>(seen);
    }

    synchronized List<ConsumerRecord<String, String>> records() {
        return seen.stream().map(Seen::record).toList();
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.kafka.KafkaSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The demo's feed into Kafka: it creates the topics, publishes the IOC list to the indicator topic
 * (in the shapes of {@link IndicatorMix}) and sends generated VMConnection rows to the connection
 * topic, at a pace, some of them in {"records": [...]} envelopes and some malformed (they become
 * dead letters). It counts what it sent.
 */
final class DemoFeed implements AutoCloseable {

    /** What the feed has sent so far. */
    record Sent(long rows, long records, long hits, long malformed) {
        static final Sent NONE = new Sent(0, 0, 0, 0);
    }

    private final KafkaSettings kafka;
    private final DemoOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong rowsSent = new AtomicLong();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong hitsSent = new AtomicLong();
    private final AtomicLong malformedSent = new AtomicLong();

    /** Creates the topics (a no-op for those that exist) and the producer. */
    static DemoFeed open(KafkaSettings kafka, DemoOptions options, PrintStream out, PrintStream err)
            throws Exception {
        createTopics(kafka);
        Console.say(
                out,
                "topics: "
                        + kafka.indicatorsTopic()
                        + " (compacted), "
                        + kafka.connectionsTopic()
                        + ", "
                        + kafka.alertsTopic()
                        + ", "
                        + kafka.deadLettersTopic());
        return new DemoFeed(kafka, options, out, err);
    }

    private DemoFeed(KafkaSettings kafka, DemoOptions options, PrintStream out, PrintStream err) {
        this.kafka = kafka;
        this.options = options;
        this.out = out;
        this.err = err;
        this.producer = new KafkaProducer<>(producerProperties(kafka));
    }

    private static void createTopics(KafkaSettings kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(kafka.indicatorsTopic(), 2, (short) 1)
                                            .configs(Map.of("cleanup.policy", "compact")),
                                    new NewTopic(kafka.connectionsTopic(), 2, (short) 1),
                                    new NewTopic(kafka.alertsTopic(), 2, (short) 1),
                                    new NewTopic(kafka.deadLettersTopic(), 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static Properties producerProperties(KafkaSettings kafka) {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * Publishes the IOC list to the indicator topic, in the shapes the options ask for, each record
     * keyed by its indicator's id, and waits for it.
     */
    IndicatorMix publishIndicators(List<IocList.Ioc> iocs) {
        Instant now = Instant.now();
        IndicatorMix mix =
                options.indicators == DemoOptions.Indicators.LEGACY
                        ? IndicatorMix.legacy(iocs, now)
                        : IndicatorMix.mixed(iocs, now);
        for (IndicatorMix.Record r : mix.records()) {
            producer.send(
                    new ProducerRecord<>(kafka.indicatorsTopic(), r.keyBytes(), r.valueBytes()));
        }
        producer.flush();
        Console.say(
                out,
                "published "
                        + mix.indicators()
                        + " indicators in "
                        + mix.records().size()
                        + " records from the public list IP_IOC_V1.csv (Azure Sentinel "
                        + "sample feed) to "
                        + kafka.indicatorsTopic()
                        + ", live for 30 days");
        Console.say(out, mix.shapes());
        return mix;
    }

    /**
     * Sends the generator's rows at the demo's rate until {@code stop} says so (run on a thread of
     * its own): single rows keyed by Computer, some grouped into envelopes, some malformed records.
     */
    void sendConnections(ConnectionGenerator g, BooleanSupplier stop) {
        Random r = new Random(options.seed + 1);
        List<ObjectNode> envelope = new ArrayList<>();
        int[] envelopeSize = {0};
        try {
            g.run(
                    options.rate,
                    stop,
                    row -> {
                        rowsSent.incrementAndGet();
                        if (g.lastWasHit()) {
                            hitsSent.incrementAndGet();
                        }
                        if (options.badRate > 0 && r.nextDouble() < options.badRate) {
                            send(null, g.malformed(Instant.now()));
                            malformedSent.incrementAndGet();
                        }
                        if (envelopeSize[0] == 0 && r.nextDouble() < options.envelopeRate) {
                            envelopeSize[0] = 2 + r.nextInt(4);
                        }
                        if (envelopeSize[0] > 0) {
                            envelope.add(row);
                            if (envelope.size() >= envelopeSize[0]) {
                                send(
                                        envelope.get(0).get("Computer").textValue(),
                                        ConnectionGenerator.envelope(envelope));
                                envelope.clear();
                                envelopeSize[0] = 0;
                            }
                        } else {
                            send(row.get("Computer").textValue(), ConnectionGenerator.bytes(row));
                        }
                    });
        } catch (InterruptedException | InterruptException e) {
            // stopping
        } catch (RuntimeException e) {
            if (!stop.getAsBoolean()) {
                err.println("demo: the connection generator failed: " + e);
            }
        }
    }

    private void send(String key, byte[] value) {
        producer.send(
                new ProducerRecord<>(
                        kafka.connectionsTopic(),
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        value));
        recordsSent.incrementAndGet();
    }

    Sent sent() {
        return new Sent(rowsSent.get(), recordsSent.get(), hitsSent.get(), malformedSent.get());
    }

    /** Closes the producer, sending what it still holds (5 s at most). */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

package io.tiflink.vmconn.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (Kafka's own KRaft server, one combined broker+controller node) inside the
 * test JVM, for all tests of a class: {@code @RegisterExtension static final KafkaBrokerExtension
 * KAFKA = new KafkaBrokerExtension();}. Ready in about two seconds; its files go under the
 * temporary directory and are deleted when the class is done.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        cluster =
                new KafkaClusterTestKit.Builder(nodes)
                        // One node: every replication factor and minimum ISR is 1.
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "2")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "2")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /** Creates topics with the given partition counts: name, partitions, name, partitions, ... */
    public void createTopics(Object... namesAndPartitions) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < namesAndPartitions.length; i += 2) {
            topics.add(
                    new NewTopic(
                            (String) namesAndPartitions[i],
                            (Integer) namesAndPartitions[i + 1],
                            (short) 1));
        }
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Sends one record and waits for it to be written; returns where it went. */
    public static RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            Integer partition,
            String key,
            String value)
            throws Exception {
        return producer.send(
                        new ProducerRecord<>(
                                topic,
                                partition,
                                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                                value.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    /** A consumer of the whole topic from the beginning, reading only committed transactions. */
    public KafkaConsumer<byte[], byte[]> readCommitted(String topic) {
        Properties p = clientProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topic)
                .forEach(info -> parts.add(new TopicPartition(topic, info.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /**
     * Polls {@code consumer} into {@code into} until {@code done} holds for what was read, then
     * keeps polling for {@code quiet} more (to catch anything extra, such as a duplicate). Fails
     * after {@code timeout}.
     */
    public static void pollUntil(
            KafkaConsumer<byte[], byte[]> consumer,
            List<ConsumerRecord<byte[], byte[]>> into,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration quiet,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(into)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after "
                                + timeout.toSeconds()
                                + " s with "
                                + into.size()
                                + " records read");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(into::add);
        }
        long quietEnd = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietEnd) {
            consumer.poll(Duration.ofMillis(200)).forEach(into::add);
        }
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}

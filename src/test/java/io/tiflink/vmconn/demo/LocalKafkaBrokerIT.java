package io.tiflink.vmconn.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The demo's broker: a real Kafka broker process (KRaft, combined mode) that starts, serves a
 * transactional producer, and leaves no process and no file behind. It runs from this test's
 * classpath, which holds Kafka's server jars (the demo uses target/kafka-broker/lib).
 */
class LocalKafkaBrokerIT {

    @Test
    void startsServesAndLeavesNothingBehind() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalKafkaBroker broker =
                LocalKafkaBroker.start(
                        new LocalKafkaBroker.Settings()
                                .port(0)
                                .heap("256m")
                                .classpath(System.getProperty("java.class.path"))
                                .log(new PrintStream(log)));
        Path dir = broker.directory();
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.of(broker.pid())
                .ifPresent(
                        p -> {
                            processes.add(p);
                            p.descendants().forEach(processes::add);
                        });
        try {
            assertThat(processes).as("guard and broker JVM").hasSizeGreaterThanOrEqualTo(2);
            assertThat(processes.get(processes.size() - 1).info().command().orElse(""))
                    .endsWith("java");
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            // Transactions need the transaction state log (replication factor and min ISR 1).
            Properties pp = new Properties();
            pp.putAll(p);
            pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-broker-test");
            pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "hello"));
                producer.commitTransaction();
            }
            Properties cp = new Properties();
            cp.putAll(p);
            cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            cp.put(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName());
            cp.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
                TopicPartition tp = new TopicPartition("t", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<String, String>> got = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertThat(got).extracting(ConsumerRecord::value).containsExactly("hello");
            }
        } finally {
            broker.close();
        }
        assertThat(processes)
                .allSatisfy(h -> assertThat(h.isAlive()).as(h.info().toString()).isFalse());
        assertThat(Files.exists(dir)).as("its directory is deleted").isFalse();
        broker.close(); // idempotent
    }

    @Test
    void withoutItsJarsItSaysToRunMavenPackage() {
        assertThatThrownBy(() -> LocalKafkaBroker.classpathOf(Path.of("target/no-such-dir")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mvn -DskipTests package")
                .hasMessageContaining(LocalKafkaBroker.LIB_PROPERTY);
    }
}

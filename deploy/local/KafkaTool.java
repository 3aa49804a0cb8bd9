import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The few Kafka client commands deploy/local/kafka.sh needs, without Kafka's command-line tools:
 * run as a single source file on the jars `mvn package` copies to target/kafka-broker/lib.
 *
 * <p>topics BOOTSTRAP the job's four topics, 2 partitions each (indicators compacted) produce
 * BOOTSTRAP TOPIC FILE [FIELD] one record per line of FILE, keyed by the JSON field FIELD consume
 * BOOTSTRAP TOPIC [SECONDS] every committed record, from the beginning, until SECONDS pass without
 * one
 */
public class KafkaTool {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaTool topics|produce|consume BOOTSTRAP ...");
            System.exit(2);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", args[1]);
        switch (args[0]) {
            case "topics" -> topics(p);
            case "produce" ->
                    produce(p, args[2], Path.of(args[3]), args.length > 4 ? args[4] : null);
            case "consume" -> consume(p, args[2], args.length > 3 ? Integer.parseInt(args[3]) : 5);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    static void topics(Properties p) throws Exception {
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics =
                    List.of(
                            new NewTopic("ti-indicators", 2, (short) 1)
                                    .configs(Map.of("cleanup.policy", "compact")),
                            new NewTopic("vm-connections", 2, (short) 1),
                            new NewTopic("ti-alerts", 2, (short) 1),
                            new NewTopic("ti-dead-letters", 2, (short) 1));
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                    System.out.println("created " + t.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    System.out.println("exists  " + t.name());
                }
            }
        }
    }

    static void produce(Properties p, String topic, Path file, String keyField) throws Exception {
        p.put("acks", "all");
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String key = null;
                if (keyField != null) {
                    try {
                        JsonNode k = json.readTree(line).get(keyField);
                        key = k == null || k.isNull() ? null : k.asText();
                    } catch (Exception notJson) {
                        // sent without a key: the job dead-letters it
                    }
                }
                producer.send(new ProducerRecord<>(topic, key, line));
                n++;
            }
        }
        System.out.println(n + " records to " + topic);
    }

    static void consume(Properties p, String topic, int quietSeconds) {
        p.put("isolation.level", "read_committed"); // alerts of exactly-once jobs: committed only
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic)
                    .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(quietSeconds).toNanos()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    System.out.println(r.value());
                    quietSince = System.nanoTime();
                }
            }
        }
    }
}

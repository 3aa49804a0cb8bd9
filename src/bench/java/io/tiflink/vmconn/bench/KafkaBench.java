package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.demo.LocalKafkaBroker;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.kafka.KafkaPipeline;
import io.tiflink.vmconn.kafka.KafkaRecordsDeserializer;
import io.tiflink.vmconn.kafka.KafkaSettings;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.Uids;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The workflow through Kafka: a real single-node broker ({@link LocalKafkaBroker}, its own JVM on
 * the same cores), the rows produced to two-partition topics first, then the production Kafka
 * plug's pieces (its consumer settings, {@link KafkaRecordsDeserializer}, its watermarks, its
 * exactly-once alert and dead-letter sinks, checkpoints) around {@link DetectionWorkflow#define}.
 * The one change: the sources are bounded at the topics' end offsets, so the run ends when every
 * row is read. Timed from the first connection record read to the end of input at the sinks.
 */
final class KafkaBench {

    static final class Figures {
        long rows;
        int parallelism;
        double produceSeconds;
        double produceEps;
        double seconds;
        double eps;
        long alertsAtSink;
        long alertsInTopic;
        double checkpointIntervalSeconds;
    }

    private KafkaBench() {}

    static Figures run(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int indicators,
            int parallelism,
            PrintStream log)
            throws Exception {
        Figures f = new Figures();
        f.parallelism = parallelism;
        rows -= rows % parallelism;
        f.rows = rows;
        try (LocalKafkaBroker broker =
                LocalKafkaBroker.start(
                        new LocalKafkaBroker.Settings()
                                .port(0)
                                .heap("512m")
                                .startTimeout(Duration.ofMinutes(2))
                                .log(log))) {
            String prefix = "bench";
            List<String> args =
                    List.of(
                            "--bootstrap-servers",
                            broker.bootstrapServers(),
                            "--indicators-topic",
                            prefix + "-indicators",
                            "--connections-topic",
                            prefix + "-connections",
                            "--alerts-topic",
                            prefix + "-alerts",
                            "--dead-letters-topic",
                            prefix + "-dead-letters",
                            "--group-id",
                            prefix,
                            "--transactional-id-prefix",
                            prefix,
                            "--connections-start",
                            "earliest",
                            "--checkpoint-interval",
                            "1s",
                            "--idleness",
                            "0",
                            "--parallelism",
                            Integer.toString(parallelism));
            KafkaJobConfig c = KafkaJobConfig.parse(false, args.toArray(new String[0]));
            f.checkpointIntervalSeconds = c.checkpointInterval.toMillis() / 1e3;
            createTopics(c.kafka);

            Instant observed = BenchData.T0.minusSeconds(600);
            long t = System.nanoTime();
            produce(c.kafka, data, rows, indicators, observed);
            f.produceSeconds = (System.nanoTime() - t) / 1e9;
            f.produceEps = (rows + indicators) / f.produceSeconds;
            log.printf(
                    "bench: kafka: produced %,d connection rows and %,d indicator rows in %.1f s%n",
                    rows, indicators, f.produceSeconds);

            RunControl run = RunControl.create("kafka", data, 0, 0, observed, false);
            try {
                StreamExecutionEnvironment env = cluster.env(parallelism);
                c.applyTo(env);
                DetectionSettings d = c.detection;
                DataStream<InputRecord> ind =
                        env.fromSource(
                                        source(
                                                c.kafka,
                                                c.kafka.indicatorsTopic(),
                                                RowParser.Table.INDICATORS,
                                                d,
                                                "-indicators",
                                                run.id),
                                        InputWatermarks.forIndicators(d),
                                        "Kafka " + c.kafka.indicatorsTopic())
                                .uid(Uids.INDICATOR_SOURCE);
                DataStream<InputRecord> conn =
                        env.fromSource(
                                        source(
                                                c.kafka,
                                                c.kafka.connectionsTopic(),
                                                RowParser.Table.CONNECTIONS,
                                                d,
                                                "-connections",
                                                run.id),
                                        InputWatermarks.forConnections(d),
                                        "Kafka " + c.kafka.connectionsTopic())
                                .uid(Uids.CONNECTION_SOURCE);
                DetectionWorkflow.Outputs out = DetectionWorkflow.define(ind, conn, d);
                KafkaPipeline.sinkAlerts(out.alerts, c.kafka);
                KafkaPipeline.sinkDeadLetters(out.deadLetters, c.kafka);
                out.alerts.sinkTo(new EndSink<>(run.id, false)).name("Alert count");
                JobExecutionResult result = env.execute("bench kafka");
                long t0 = run.firstRecordNanos.get();
                long t1 = run.endOfInputNanos.get();
                f.seconds = (t1 - t0) / 1e9;
                f.eps = rows / f.seconds;
                f.alertsAtSink = run.sinkRecords.sum();
                Object emitted = result.getAllAccumulatorResults().get("alerts.emitted");
                if (emitted instanceof Number && ((Number) emitted).longValue() != f.alertsAtSink) {
                    log.println("bench: kafka: alert count differs between accumulator and sink");
                }
            } finally {
                run.release();
            }
            f.alertsInTopic = countCommitted(c.kafka.bootstrapServers(), c.kafka.alertsTopic());
        }
        return f;
    }

    private static void createTopics(KafkaSettings k) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(k.indicatorsTopic(), 2, (short) 1),
                                    new NewTopic(k.connectionsTopic(), 2, (short) 1),
                                    new NewTopic(k.alertsTopic(), 2, (short) 1),
                                    new NewTopic(k.deadLettersTopic(), 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static void produce(
            KafkaSettings k, BenchData data, int rows, int indicators, Instant observed)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Instant expires = observed.plusSeconds(30L * 24 * 3600);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < indicators; i++) {
                producer.send(
                        new ProducerRecord<>(
                                k.indicatorsTopic(),
                                BenchData.indicatorIp(i).getBytes(StandardCharsets.UTF_8),
                                data.indicatorRow(i, observed, expires)));
            }
            // Keyed by a stand-in for the VM (as the demo keys by Computer): each partition holds
            // its rows in time order.
            for (int i = 0; i < rows; i++) {
                producer.send(
                        new ProducerRecord<>(
                                k.connectionsTopic(),
                                ("vm" + (i % 97)).getBytes(StandardCharsets.UTF_8),
                                data.connections[i % data.size()]));
            }
            producer.flush();
        }
    }

    /** Records in the topic as a read_committed consumer sees them. */
    static long countCommitted(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long n = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> ignored :
                        consumer.poll(Duration.ofMillis(200))) {
                    n++;
                }
                boolean done = true;
                for (TopicPartition tp : parts) {
                    done &= consumer.position(tp) >= end.get(tp);
                }
                if (done) {
                    break;
                }
            }
            return n;
        }
    }

    /** As KafkaJob's sources, bounded at the topic's current end. */
    private static KafkaSource<InputRecord> source(
            KafkaSettings k,
            String topic,
            RowParser.Table table,
            DetectionSettings d,
            String suffix,
            String runId) {
        return KafkaPipeline.sourceBuilder(k, topic, suffix)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(
                        new Timing(
                                new KafkaRecordsDeserializer(table, d.outOfOrdernessNanos()),
                                table == RowParser.Table.CONNECTIONS ? runId : null))
                .build();
    }

    /** The production deserializer, noting when the first connection record was read. */
    static final class Timing implements KafkaRecordDeserializationSchema<InputRecord> {
        private static final long serialVersionUID = 1L;
        private final KafkaRecordsDeserializer delegate;
        private final String runId;
        private transient RunControl run;

        Timing(KafkaRecordsDeserializer delegate, String runId) {
            this.delegate = delegate;
            this.runId = runId;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            delegate.open(context);
            run = runId == null ? null : RunControl.get(runId);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord> out)
                throws IOException {
            if (run != null && run.firstRecordNanos.get() == Long.MIN_VALUE) {
                run.firstRecordNanos.compareAndSet(Long.MIN_VALUE, System.nanoTime());
            }
            delegate.deserialize(record, out);
        }

        @Override
        public TypeInformation<InputRecord> getProducedType() {
            return delegate.getProducedType();
        }
    }
}

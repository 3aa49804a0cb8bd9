package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.kafka.KafkaDeadLetterSerializer;
import io.tiflink.vmconn.kafka.KafkaSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's console viewer: it reads the alert and dead-letter topics as a SOC tool would
 * (read_committed), prints one line per alert and per dead letter, and the periodic summary of what
 * was sent and seen. It counts alerts and dead letters and notes when the first alert came.
 */
final class AlertConsole {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos;
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile long firstAlertNanos;
    private volatile long jobSubmittedNanos;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param startNanos when the demo started (System.nanoTime), for the first alert's delay
     */
    AlertConsole(PrintStream out, PrintStream err, long startNanos) {
        this.out = out;
        this.err = err;
        this.startNanos = startNanos;
    }

    /** The job was submitted now: the first alert's delay is also told from this instant. */
    void jobSubmitted() {
        jobSubmittedNanos = System.nanoTime();
    }

    /** Reads and prints alerts and dead letters until {@code stop} (run on a thread of its own). */
    void view(KafkaSettings kafka, BooleanSupplier stop) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ti-demo-viewer");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            consumer = c;
            c.subscribe(List.of(kafka.alertsTopic(), kafka.deadLettersTopic()));
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(500))) {
                    if (rec.topic().equals(kafka.alertsTopic())) {
                        onAlert(rec.value());
                    } else {
                        onDeadLetter(rec);
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (RuntimeException e) {
            if (!stop.getAsBoolean()) {
                err.println("demo: the alert viewer failed: " + e);
            }
        }
    }

    /** Ends a poll in progress at once (when stopping). */
    void wakeup() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            try {
                c.wakeup();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    private void onAlert(byte[] value) {
        long n = alerts.incrementAndGet();
        if (n == 1) {
            firstAlertNanos = System.nanoTime();
            Console.say(
                    out,
                    String.format(
                            "first alert %.1f s after the demo started (%.1f s after the job was submitted)",
                            (firstAlertNanos - startNanos) / 1e9,
                            (firstAlertNanos - jobSubmittedNanos) / 1e9));
        }
        try {
            JsonNode alert = MAPPER.readTree(value);
            // The rule's columns make one short line; OCSF and ECS documents are shown whole.
            out.println(
                    alert.has("TI_ipEntity")
                            ? alertLine(alert)
                            : Console.now() + "  ALERT  " + alert);
        } catch (Exception e) {
            out.println("ALERT (unreadable: " + e.getMessage() + ")");
        }
    }

    private void onDeadLetter(ConsumerRecord<byte[], byte[]> rec) {
        deadLetters.incrementAndGet();
        out.println(
                deadLetterLine(
                        header(rec, KafkaDeadLetterSerializer.TOPIC),
                        header(rec, KafkaDeadLetterSerializer.PARTITION),
                        header(rec, KafkaDeadLetterSerializer.OFFSET),
                        header(rec, KafkaDeadLetterSerializer.REASON)));
    }

    private static String header(ConsumerRecord<byte[], byte[]> rec, String key) {
        Header h = rec.headers().lastHeader(key);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Prints the summary line: what was sent, what came back, the job's status. */
    void printSummary(DemoFeed.Sent sent, String jobStatus) {
        long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.println(summaryLine(secs, sent, alerts.get(), deadLetters.get(), jobStatus));
    }

    /** The closing line: rows sent, alerts and dead letters seen, when the first alert came. */
    String closingLine(DemoFeed.Sent sent) {
        long first = firstAlertNanos;
        return String.format(
                "sent %s connection rows; %s alerts, %s dead letters%s",
                Console.count(sent.rows()),
                Console.count(alerts.get()),
                Console.count(deadLetters.get()),
                first == 0
                        ? ""
                        : String.format(
                                "; first alert %.1f s after start", (first - startNanos) / 1e9));
    }

    /**
     * One line per alert: which host, which connection (and when), which indicator, which alert.
     * Alerts of legacy rows carry ConfidenceScore, those of ThreatIntelIndicators rows and STIX
     * objects Confidence (SPEC 3.3, 6.2e).
     */
    static String alertLine(JsonNode a) {
        String time = text(a, "VMConnection_TimeGenerated");
        String clock = time.length() >= 19 ? time.substring(11, 19) : time;
        String group = text(a, "ActivityGroupNames");
        String id = text(a, "AlertId");
        return String.format(
                "%s  ALERT  %-26s %-8s %-10s %s -> %s:%s/%s at %s  IOC %s%s \"%s\" conf %s  id %s%s",
                Console.now(),
                text(a, "Computer"),
                text(a, "Direction"),
                text(a, "ProcessName"),
                text(a, "SourceIp"),
                text(a, "DestinationIp"),
                text(a, "DestinationPort"),
                text(a, "Protocol"),
                clock,
                text(a, "TI_ipEntity"),
                group.isBlank() ? "" : " [" + group.trim() + "]",
                Console.abbreviate(text(a, "Description"), 40),
                a.hasNonNull("ConfidenceScore")
                        ? text(a, "ConfidenceScore")
                        : text(a, "Confidence"), // ThreatIntelIndicators and STIX alerts
                id.length() > 8 ? id.substring(0, 8) : id,
                a.path("Late").asBoolean(false) ? "  (late)" : "");
    }

    /** One line per dead letter: where the record came from and why it could not be read. */
    static String deadLetterLine(String topic, String partition, String offset, String reason) {
        return Console.now()
                + "  DEAD LETTER  "
                + topic
                + "-"
                + partition
                + "@"
                + offset
                + "  "
                + Console.abbreviate(reason, 90);
    }

    /** The periodic summary, {@code secs} after the start. */
    static String summaryLine(
            long secs, DemoFeed.Sent sent, long alerts, long deadLetters, String jobStatus) {
        return String.format(
                "%s  -- [+%d:%02d] sent %s connection rows in %s records (%s to/from listed IPs, "
                        + "%s malformed) | alerts %s | dead letters %s | job %s",
                Console.now(),
                secs / 60,
                secs % 60,
                Console.count(sent.rows()),
                Console.count(sent.records()),
                Console.count(sent.hits()),
                Console.count(sent.malformed()),
                Console.count(alerts),
                Console.count(deadLetters),
                jobStatus);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}

package io.tiflink.vmconn.kafka;

import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client properties of a job, {@code ${NAME}} already expanded: those of every client,
 * those of the consumers only and those of the producers only (their {@code consumer.} or {@code
 * producer.} prefix taken off); and the {@link Properties} each client gets from them.
 */
final class KafkaClientProperties {

    private final Map<String, String> common;
    private final Map<String, String> consumerOnly;
    private final Map<String, String> producerOnly;

    KafkaClientProperties(
            Map<String, String> common,
            Map<String, String> consumerOnly,
            Map<String, String> producerOnly) {
        this.common = Collections.unmodifiableMap(new TreeMap<>(common));
        this.consumerOnly = Collections.unmodifiableMap(new TreeMap<>(consumerOnly));
        this.producerOnly = Collections.unmodifiableMap(new TreeMap<>(producerOnly));
    }

    /** The properties of every client (unmodifiable). */
    Map<String, String> common() {
        return common;
    }

    /**
     * Properties for the consumers of the sources (group id and client ids are set by the source).
     */
    Properties consumerProperties() {
        Properties p = new Properties();
        // Inputs written by transactional producers (another exactly-once job) are read committed.
        p.setProperty("isolation.level", "read_committed");
        p.putAll(common);
        p.putAll(consumerOnly);
        return p;
    }

    /** Properties for the producers of the sinks (transactional ids are set by the sink). */
    Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty(
                "transaction.timeout.ms",
                Long.toString(KafkaSettings.DEFAULT_TRANSACTION_TIMEOUT_MS));
        p.putAll(common);
        p.putAll(producerOnly);
        return p;
    }

    /**
     * Properties for an admin client or a plain consumer/producer of a tool (the common ones only).
     */
    Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(common);
        return p;
    }

    /** Whether some property is given to the consumers or the producers only. */
    boolean hasPerClientProperties() {
        return !consumerOnly.isEmpty() || !producerOnly.isEmpty();
    }

    /** The properties as text, secrets masked ({@link KafkaSecrets}): safe to log. */
    String describe() {
        StringBuilder sb = new StringBuilder(KafkaSecrets.mask(common));
        if (!consumerOnly.isEmpty()) {
            sb.append("; consumer: ").append(KafkaSecrets.mask(consumerOnly));
        }
        if (!producerOnly.isEmpty()) {
            sb.append("; producer: ").append(KafkaSecrets.mask(producerOnly));
        }
        return sb.toString();
    }
}

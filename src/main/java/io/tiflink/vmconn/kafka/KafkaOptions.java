package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.kafka.KafkaSettings.DeadLetterFormat;
import java.util.List;

/** The options of the Kafka job's sources and sinks, {@code --bootstrap-servers} first. */
public final class KafkaOptions {

    private KafkaOptions() {}

    /** How the sinks write: the values of {@code --delivery}. */
    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    public static final Option<String> BOOTSTRAP_SERVERS =
            Option.text(
                    "bootstrap-servers",
                    KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS,
                    "Kafka bootstrap servers, HOST:PORT[,HOST:PORT...] (Event Hubs:"
                            + " NAMESPACE.servicebus.windows.net:9093)");
    public static final Option<String> INDICATORS_TOPIC =
            Option.text(
                    "indicators-topic",
                    KafkaSettings.DEFAULT_INDICATORS_TOPIC,
                    "indicator records: ThreatIntelligenceIndicator or ThreatIntelIndicators rows,"
                            + " STIX 2.1 objects (best compacted, keyed by indicator id); read from"
                            + " the earliest offset on a first start");
    public static final Option<String> CONNECTIONS_TOPIC =
            Option.text(
                    "connections-topic",
                    KafkaSettings.DEFAULT_CONNECTIONS_TOPIC,
                    "VMConnection rows");
    public static final Option<String> ALERTS_TOPIC =
            Option.text(
                    "alerts-topic",
                    KafkaSettings.DEFAULT_ALERTS_TOPIC,
                    "alerts, JSON, record key = AlertId");
    public static final Option<String> DEAD_LETTERS_TOPIC =
            Option.text(
                    "dead-letters-topic",
                    KafkaSettings.DEFAULT_DEAD_LETTERS_TOPIC,
                    "unreadable records with the reason and their topic/partition/offset");
    public static final Option<String> GROUP_ID =
            Option.text(
                    "group-id",
                    KafkaSettings.DEFAULT_GROUP_ID,
                    "consumer group: offsets are committed to it on each checkpoint (for"
                            + " monitoring, and as the connection topic's start on a first start)");
    public static final Option<String> CONNECTIONS_START =
            Option.text(
                    "connections-start",
                    "latest",
                    "first start without committed offsets for the group: where to read the"
                            + " connection topic: latest, earliest, an ISO-8601 instant"
                            + " (2026-11-27T10:00:00Z), or a duration back from now (2h). After a"
                            + " restore both topics continue from the checkpoint");
    public static final Option<Delivery> DELIVERY =
            Option.choice(
                    "delivery",
                    Delivery.class,
                    Delivery.EXACTLY_ONCE,
                    "exactly-once (Kafka transactions committed on each checkpoint: read the alert"
                            + " topic with isolation.level=read_committed) or at-least-once"
                            + " (duplicates carry the same AlertId)");
    public static final Option<String> TRANSACTIONAL_ID_PREFIX =
            Option.text(
                    "transactional-id-prefix",
                    KafkaSettings.DEFAULT_GROUP_ID,
                    "prefix of the sinks' Kafka transactional ids (exactly-once): unique per job on"
                            + " a cluster");
    public static final Option<DeadLetterFormat> DEAD_LETTER_FORMAT =
            Option.choice(
                    "dead-letter-format",
                    DeadLetterFormat.class,
                    DeadLetterFormat.RAW,
                    "raw: the record's bytes unchanged, reason and position in headers; json: a"
                            + " JSON object with the same facts as fields (and the headers)");
    public static final Option<String> KAFKA_PROPERTIES =
            Option.text(
                    "kafka-properties",
                    null,
                    "a Java properties file of Kafka client properties (security.protocol, sasl.*,"
                            + " ssl.*, ...); consumer.NAME / producer.NAME for one client only;"
                            + " ${ENV_VAR} is expanded");
    public static final Option<String> SECURITY_PROTOCOL =
            Option.text(
                    "security-protocol",
                    null,
                    "Kafka security.protocol: PLAINTEXT (default), SSL, SASL_PLAINTEXT, SASL_SSL");
    public static final Option<String> SASL_MECHANISM =
            Option.text(
                    "sasl-mechanism",
                    null,
                    "Kafka sasl.mechanism: PLAIN (Event Hubs), SCRAM-SHA-512, ...");
    public static final Option<String> SASL_JAAS_CONFIG =
            Option.secret(
                    "sasl-jaas-config",
                    "Kafka sasl.jaas.config (never printed); prefer the properties file or"
                            + " ${ENV_VAR}");

    /** The Kafka options, in the order --help lists them. */
    public static final List<Option<?>> ALL =
            List.of(
                    BOOTSTRAP_SERVERS,
                    INDICATORS_TOPIC,
                    CONNECTIONS_TOPIC,
                    ALERTS_TOPIC,
                    DEAD_LETTERS_TOPIC,
                    GROUP_ID,
                    CONNECTIONS_START,
                    DELIVERY,
                    TRANSACTIONAL_ID_PREFIX,
                    DEAD_LETTER_FORMAT,
                    KAFKA_PROPERTIES,
                    SECURITY_PROTOCOL,
                    SASL_MECHANISM,
                    SASL_JAAS_CONFIG);
}

package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.Option;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where the Kafka job reads and writes: topics, consumer group, start position, delivery guarantee,
 * and the Kafka client properties (bootstrap servers, security.protocol, SASL, SSL, anything else
 * the clients take).
 *
 * <p>Client properties come, each overriding the one before, from: a properties file ({@code
 * --kafka-properties}), {@code --kafka.NAME VALUE} on the command line, and the dedicated options
 * ({@code --bootstrap-servers}, {@code --security-protocol}, {@code --sasl-mechanism}, {@code
 * --sasl-jaas-config}). A name prefixed {@code consumer.} or {@code producer.} goes to that client
 * only. {@code ${NAME}} in a value is replaced by the environment variable NAME, so that secrets
 * need not appear on a command line ({@link KafkaPropertySources} reads them). Secrets (see {@link
 * KafkaSecrets#isSecret}) are masked in everything this class prints.
 */
public final class KafkaSettings {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_INDICATORS_TOPIC = "ti-indicators";
    public static final String DEFAULT_CONNECTIONS_TOPIC = "vm-connections";
    public static final String DEFAULT_ALERTS_TOPIC = "ti-alerts";
    public static final String DEFAULT_DEAD_LETTERS_TOPIC = "ti-dead-letters";
    public static final String DEFAULT_GROUP_ID = "ti-ip-vmconnection";

    /**
     * At most a default broker's transaction.max.timeout.ms (15 min), or the sink restarts forever.
     */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000L;

    /**
     * How dead letters are written: the record unchanged with the facts in headers, or a JSON
     * object.
     */
    public enum DeadLetterFormat {
        RAW,
        JSON
    }

    private final KafkaClientProperties clients;
    private final String indicatorsTopic;
    private final String connectionsTopic;
    private final String alertsTopic;
    private final String deadLettersTopic;
    private final String groupId;
    private final KafkaStartOffsets connectionsStart;
    private final DeliveryGuarantee delivery;
    private final String transactionalIdPrefix;
    private final DeadLetterFormat deadLetterFormat;

    private KafkaSettings(
            KafkaClientProperties clients,
            String indicatorsTopic,
            String connectionsTopic,
            String alertsTopic,
            String deadLettersTopic,
            String groupId,
            KafkaStartOffsets connectionsStart,
            DeliveryGuarantee delivery,
            String transactionalIdPrefix,
            DeadLetterFormat deadLetterFormat) {
        this.clients = clients;
        this.indicatorsTopic = indicatorsTopic;
        this.connectionsTopic = connectionsTopic;
        this.alertsTopic = alertsTopic;
        this.deadLettersTopic = deadLettersTopic;
        this.groupId = groupId;
        this.connectionsStart = connectionsStart;
        this.delivery = delivery;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.deadLetterFormat = deadLetterFormat;
    }

    // ---------------------------------------------------------------- options

    /** What --help adds below the options. */
    public static String helpFooter() {
        return String.join(
                "\n",
                "Any other Kafka client property: --kafka.NAME VALUE (e.g. --kafka.ssl.truststore.location "
                        + "/etc/kafka/truststore.jks),",
                "  --kafka.consumer.NAME / --kafka.producer.NAME for one client only. Precedence: properties file,",
                "  then --kafka.*, then the dedicated options. Values with password, secret, jaas, token or a private",
                "  key in their name are never printed. Event Hubs (SASL_SSL, PLAIN):",
                "  --bootstrap-servers NS.servicebus.windows.net:9093 --security-protocol SASL_SSL --sasl-mechanism PLAIN",
                "  --sasl-jaas-config 'org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"$ConnectionString\" password=\"${EVENTHUBS_CONNECTION_STRING}\";'");
    }

    /** Reads the settings from parsed options and the {@code --kafka.*} pairs. */
    public static KafkaSettings from(CommandLine o, Map<String, String> cliProperties) {
        return from(o, cliProperties, System::getenv, Instant.now());
    }

    static KafkaSettings from(
            CommandLine o,
            Map<String, String> cliProperties,
            UnaryOperator<String> env,
            Instant now) {
        KafkaClientProperties clients = KafkaPropertySources.merge(o, cliProperties, env);
        Map<String, String> common = clients.common();

        DeliveryGuarantee delivery =
                o.get(KafkaOptions.DELIVERY) == KafkaOptions.Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        String groupId =
                o.isGiven(KafkaOptions.GROUP_ID) || !common.containsKey("group.id")
                        ? o.get(KafkaOptions.GROUP_ID)
                        : common.get("group.id");
        return new KafkaSettings(
                clients,
                topic(o, KafkaOptions.INDICATORS_TOPIC),
                topic(o, KafkaOptions.CONNECTIONS_TOPIC),
                topic(o, KafkaOptions.ALERTS_TOPIC),
                topic(o, KafkaOptions.DEAD_LETTERS_TOPIC),
                groupId,
                KafkaStartOffsets.parse(o.get(KafkaOptions.CONNECTIONS_START), now),
                delivery,
                o.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX),
                o.get(KafkaOptions.DEAD_LETTER_FORMAT));
    }

    private static String topic(CommandLine o, Option<String> option) {
        String t = o.required(option).trim();
        if (t.isEmpty() || t.contains(",")) {
            throw new IllegalArgumentException(option + " takes one topic name, not '" + t + "'");
        }
        return t;
    }

    // ---------------------------------------------------------------- client properties

    /**
     * Properties for the consumers of the sources (group id and client ids are set by the source).
     */
    public Properties consumerProperties() {
        return clients.consumerProperties();
    }

    /** Properties for the producers of the sinks (transactional ids are set by the sink). */
    public Properties producerProperties() {
        return clients.producerProperties();
    }

    /** Whether some property is given to the consumers or the producers only. */
    public boolean hasPerClientProperties() {
        return clients.hasPerClientProperties();
    }

    /**
     * Properties for an admin client or a plain consumer/producer of a tool (the common ones only).
     */
    public Properties clientProperties() {
        return clients.clientProperties();
    }

    public String bootstrapServers() {
        return clients.common().get("bootstrap.servers");
    }

    public String indicatorsTopic() {
        return indicatorsTopic;
    }

    public String connectionsTopic() {
        return connectionsTopic;
    }

    public String alertsTopic() {
        return alertsTopic;
    }

    public String deadLettersTopic() {
        return deadLettersTopic;
    }

    public String groupId() {
        return groupId;
    }

    public KafkaStartOffsets connectionsStart() {
        return connectionsStart;
    }

    public DeliveryGuarantee delivery() {
        return delivery;
    }

    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public DeadLetterFormat deadLetterFormat() {
        return deadLetterFormat;
    }

    /** Safe to log: secrets masked. */
    public String describe() {
        StringBuilder sb =
                new StringBuilder()
                        .append("topics: ")
                        .append(indicatorsTopic)
                        .append(" + ")
                        .append(connectionsTopic)
                        .append(" -> ")
                        .append(alertsTopic)
                        .append(", dead letters -> ")
                        .append(deadLettersTopic)
                        .append("; group ")
                        .append(groupId)
                        .append("; connections start (first start): ")
                        .append(connectionsStart)
                        .append("; delivery ")
                        .append(
                                delivery == DeliveryGuarantee.EXACTLY_ONCE
                                        ? "exactly-once (transactional id prefix "
                                                + transactionalIdPrefix
                                                + ")"
                                        : "at-least-once")
                        .append("; client properties: ")
                        .append(clients.describe());
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}

package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.Option;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * need not appear on a command line. Secrets (see {@link #isSecret}) are masked in everything this
 * class prints.
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
     * The prefix of a client property on the command line: {@code --kafka.security.protocol
     * SASL_SSL}.
     */
    public static final String CLI_PREFIX = "--kafka.";

    private static final String CONSUMER = "consumer.";
    private static final String PRODUCER = "producer.";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String MASK = "******";

    /**
     * How dead letters are written: the record unchanged with the facts in headers, or a JSON
     * object.
     */
    public enum DeadLetterFormat {
        RAW,
        JSON
    }

    private final Map<String, String> common;
    private final Map<String, String> consumerOnly;
    private final Map<String, String> producerOnly;
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
            Map<String, String> common,
            Map<String, String> consumerOnly,
            Map<String, String> producerOnly,
            String indicatorsTopic,
            String connectionsTopic,
            String alertsTopic,
            String deadLettersTopic,
            String groupId,
            KafkaStartOffsets connectionsStart,
            DeliveryGuarantee delivery,
            String transactionalIdPrefix,
            DeadLetterFormat deadLetterFormat) {
        this.common = Collections.unmodifiableMap(new TreeMap<>(common));
        this.consumerOnly = Collections.unmodifiableMap(new TreeMap<>(consumerOnly));
        this.producerOnly = Collections.unmodifiableMap(new TreeMap<>(producerOnly));
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

    /**
     * Takes the {@code --kafka.NAME VALUE} (or {@code --kafka.NAME=VALUE}) pairs out of {@code
     * args} into {@code into}, in order, and returns the other arguments for {@link
     * CommandLine#parse}.
     */
    public static String[] extractClientProperties(String[] args, Map<String, String> into) {
        List<String> rest = new ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (!a.startsWith(CLI_PREFIX)) {
                rest.add(a);
                continue;
            }
            String name = a.substring(CLI_PREFIX.length());
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (k + 1 < args.length) {
                value = args[++k];
            } else {
                throw new IllegalArgumentException(a + " needs a value: " + a + " VALUE");
            }
            if (name.isBlank()) {
                throw new IllegalArgumentException(
                        "'" + a + "': write a Kafka client property as --kafka.NAME VALUE");
            }
            into.put(name, value);
        }
        return rest.toArray(new String[0]);
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
        Map<String, String> all = new LinkedHashMap<>();
        String file = o.get(KafkaOptions.KAFKA_PROPERTIES);
        if (file != null && !file.isBlank()) {
            all.putAll(readPropertiesFile(Paths.get(file)));
        }
        all.putAll(cliProperties);
        if (o.isGiven(KafkaOptions.BOOTSTRAP_SERVERS) || !all.containsKey("bootstrap.servers")) {
            all.put("bootstrap.servers", o.get(KafkaOptions.BOOTSTRAP_SERVERS));
        }
        putIfGiven(o, KafkaOptions.SECURITY_PROTOCOL, "security.protocol", all);
        putIfGiven(o, KafkaOptions.SASL_MECHANISM, "sasl.mechanism", all);
        putIfGiven(o, KafkaOptions.SASL_JAAS_CONFIG, "sasl.jaas.config", all);

        Map<String, String> common = new LinkedHashMap<>();
        Map<String, String> consumer = new LinkedHashMap<>();
        Map<String, String> producer = new LinkedHashMap<>();
        all.forEach(
                (k, v) -> {
                    String value = expand(k, v, env);
                    if (k.startsWith(CONSUMER)) {
                        consumer.put(k.substring(CONSUMER.length()), value);
                    } else if (k.startsWith(PRODUCER)) {
                        producer.put(k.substring(PRODUCER.length()), value);
                    } else {
                        common.put(k, value);
                    }
                });
        String servers = common.get("bootstrap.servers");
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("missing --bootstrap-servers");
        }

        DeliveryGuarantee delivery =
                o.get(KafkaOptions.DELIVERY) == KafkaOptions.Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        String groupId =
                o.isGiven(KafkaOptions.GROUP_ID) || !common.containsKey("group.id")
                        ? o.get(KafkaOptions.GROUP_ID)
                        : common.get("group.id");
        return new KafkaSettings(
                common,
                consumer,
                producer,
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

    private static void putIfGiven(
            CommandLine o, Option<String> option, String property, Map<String, String> into) {
        String v = o.get(option);
        if (v != null && !v.isBlank()) {
            into.put(property, v);
        }
    }

    private static String topic(CommandLine o, Option<String> option) {
        String t = o.required(option).trim();
        if (t.isEmpty() || t.contains(",")) {
            throw new IllegalArgumentException(option + " takes one topic name, not '" + t + "'");
        }
        return t;
    }

    static Map<String, String> readPropertiesFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--kafka-properties: no such file: " + file);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--kafka-properties: cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.trim(), p.getProperty(k).trim()));
        return m;
    }

    /** Replaces each {@code ${NAME}} by the environment variable NAME; an unset one is an error. */
    static String expand(String key, String value, UnaryOperator<String> env) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        Matcher m = ENV_REFERENCE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(
                        "Kafka property "
                                + key
                                + " refers to ${"
                                + m.group(1)
                                + "}, but that environment variable is not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------- secrets

    /** Whether a client property holds a secret: never print its value. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.contains("credential")
                || k.contains("private.key")
                || k.endsWith("keystore.key")
                || k.contains("api.key")
                || k.contains("apikey");
    }

    /** The properties as text, secrets masked: safe to log. */
    public static String mask(Map<String, String> props) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(props)
                .forEach(
                        (k, v) -> {
                            if (sb.length() > 0) sb.append(", ");
                            sb.append(k).append('=').append(isSecret(k) ? MASK : v);
                        });
        return sb.toString();
    }

    // ---------------------------------------------------------------- client properties

    /**
     * Properties for the consumers of the sources (group id and client ids are set by the source).
     */
    public Properties consumerProperties() {
        Properties p = new Properties();
        // Inputs written by transactional producers (another exactly-once job) are read committed.
        p.setProperty("isolation.level", "read_committed");
        p.putAll(common);
        p.putAll(consumerOnly);
        return p;
    }

    /** Properties for the producers of the sinks (transactional ids are set by the sink). */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", Long.toString(DEFAULT_TRANSACTION_TIMEOUT_MS));
        p.putAll(common);
        p.putAll(producerOnly);
        return p;
    }

    /**
     * Properties for an admin client or a plain consumer/producer of a tool (the common ones only).
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(common);
        return p;
    }

    public String bootstrapServers() {
        return common.get("bootstrap.servers");
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
                        .append(mask(common));
        if (!consumerOnly.isEmpty()) sb.append("; consumer: ").append(mask(consumerOnly));
        if (!producerOnly.isEmpty()) sb.append("; producer: ").append(mask(producerOnly));
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}

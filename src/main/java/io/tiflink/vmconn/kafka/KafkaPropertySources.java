package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.Option;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Kafka client properties come from, each overriding the one before: a properties file
 * ({@code --kafka-properties}), {@code --kafka.NAME VALUE} on the command line, and the dedicated
 * options ({@code --bootstrap-servers}, {@code --security-protocol}, {@code --sasl-mechanism},
 * {@code --sasl-jaas-config}). A name prefixed {@code consumer.} or {@code producer.} goes to that
 * client only. {@code ${NAME}} in a value is replaced by the environment variable NAME, so that
 * secrets need not appear on a command line.
 */
public final class KafkaPropertySources {

    /**
     * The prefix of a client property on the command line: {@code --kafka.security.protocol
     * SASL_SSL}.
     */
    public static final String CLI_PREFIX = "--kafka.";

    private static final String CONSUMER = "consumer.";
    private static final String PRODUCER = "producer.";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private KafkaPropertySources() {}

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

    /**
     * The client properties of the properties file, the {@code --kafka.*} pairs and the dedicated
     * options, in that order of precedence, {@code ${NAME}} expanded from {@code env}.
     */
    static KafkaClientProperties merge(
            CommandLine o, Map<String, String> cliProperties, UnaryOperator<String> env) {
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
        return new KafkaClientProperties(common, consumer, producer);
    }

    private static void putIfGiven(
            CommandLine o, Option<String> option, String property, Map<String, String> into) {
        String v = o.get(option);
        if (v != null && !v.isBlank()) {
            into.put(property, v);
        }
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
}

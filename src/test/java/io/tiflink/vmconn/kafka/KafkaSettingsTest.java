package io.tiflink.vmconn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.job.KafkaJobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka job's settings: defaults, client properties and their precedence, secrets, start
 * positions.
 */
class KafkaSettingsTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"$ConnectionString\" password=\"Endpoint=sb://ns.servicebus.windows.net/;"
                    + "SharedAccessKeyName=send;SharedAccessKey=TOP-SECRET-KEY\";";

    @TempDir Path dir;

    private static KafkaJobConfig parse(String... args) {
        return KafkaJobConfig.parse(false, args);
    }

    @Test
    void defaultsAreTheDocumentedTopicsAndLocalBroker() {
        KafkaJobConfig c = parse();
        KafkaSettings k = c.kafka;
        assertThat(k.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(
                        List.of(
                                k.indicatorsTopic(),
                                k.connectionsTopic(),
                                k.alertsTopic(),
                                k.deadLettersTopic()))
                .containsExactly("ti-indicators", "vm-connections", "ti-alerts", "ti-dead-letters");
        assertThat(k.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(k.connectionsStart().fallback()).isEqualTo(KafkaStartOffsets.Fallback.LATEST);
        assertThat(c.checkpointInterval).hasSeconds(10);
        assertThat(k.producerProperties().getProperty("transaction.timeout.ms"))
                .as("at most a default broker's transaction.max.timeout.ms")
                .isEqualTo("900000");
        assertThat(k.consumerProperties().getProperty("isolation.level"))
                .isEqualTo("read_committed");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultBootstrapServersFirst() {
        String help = KafkaJobConfig.help(true, "run");
        int first = help.indexOf("--");
        assertThat(help.substring(first)).startsWith("--bootstrap-servers");
        for (String name :
                List.of(
                        "bootstrap-servers",
                        "indicators-topic",
                        "connections-topic",
                        "alerts-topic",
                        "dead-letters-topic",
                        "group-id",
                        "connections-start",
                        "delivery",
                        "transactional-id-prefix",
                        "kafka-properties",
                        "security-protocol",
                        "sasl-mechanism",
                        "sasl-jaas-config",
                        "checkpoint-interval",
                        "checkpoint-dir",
                        "restore-from",
                        "web-ui-port",
                        "window",
                        "emit",
                        "idleness",
                        "parallelism")) {
            assertThat(help).contains("--" + name + " ");
        }
        assertThat(help)
                .contains(
                        "(default: localhost:9092)",
                        "(default: ti-indicators)",
                        "(default: vm-connections)",
                        "(default: ti-alerts)",
                        "(default: ti-dead-letters)",
                        "(default: exactly-once)",
                        "(default: latest)",
                        "(default: 8081)",
                        "--kafka.NAME VALUE");
    }

    @Test
    void clientPropertiesComeFromFileThenCommandLineThenDedicatedOptions() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "bootstrap.servers=file:9093",
                        "security.protocol=SSL",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "consumer.max.poll.records=100",
                        "producer.linger.ms=5",
                        "client.dns.lookup=use_all_dns_ips"));
        KafkaSettings k =
                parse(
                                "--kafka-properties",
                                file.toString(),
                                "--kafka.security.protocol",
                                "SASL_SSL",
                                "--kafka.request.timeout.ms=20000",
                                "--sasl-mechanism",
                                "PLAIN")
                        .kafka;
        assertThat(k.bootstrapServers()).as("file beats the default").isEqualTo("file:9093");
        Properties consumer = k.consumerProperties();
        Properties producer = k.producerProperties();
        assertThat(consumer.getProperty("security.protocol"))
                .as("--kafka.* beats the file")
                .isEqualTo("SASL_SSL");
        assertThat(consumer.getProperty("sasl.mechanism"))
                .as("dedicated option beats both")
                .isEqualTo("PLAIN");
        assertThat(consumer.getProperty("request.timeout.ms")).isEqualTo("20000");
        assertThat(consumer.getProperty("client.dns.lookup")).isEqualTo("use_all_dns_ips");
        assertThat(consumer.getProperty("max.poll.records")).isEqualTo("100");
        assertThat(producer.getProperty("max.poll.records"))
                .as("consumer.* stays with the consumer")
                .isNull();
        assertThat(producer.getProperty("linger.ms")).isEqualTo("5");
        assertThat(consumer.getProperty("linger.ms")).isNull();

        KafkaSettings explicit =
                parse("--kafka-properties", file.toString(), "--bootstrap-servers", "cli:9092")
                        .kafka;
        assertThat(explicit.bootstrapServers())
                .as("--bootstrap-servers beats the file")
                .isEqualTo("cli:9092");
    }

    @Test
    void eventHubsSaslSslSettingsReachTheClientsAndTheSecretIsNeverPrinted() {
        KafkaJobConfig c =
                parse(
                        "--bootstrap-servers",
                        "ns.servicebus.windows.net:9093",
                        "--security-protocol",
                        "SASL_SSL",
                        "--sasl-mechanism",
                        "PLAIN",
                        "--sasl-jaas-config",
                        JAAS,
                        "--kafka.ssl.truststore.password",
                        "changeit",
                        "--kafka.producer.ssl.key.password",
                        "hunter2");
        Properties consumer = c.kafka.consumerProperties();
        assertThat(consumer.getProperty("bootstrap.servers"))
                .isEqualTo("ns.servicebus.windows.net:9093");
        assertThat(consumer.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(consumer.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
        assertThat(consumer.getProperty("sasl.jaas.config")).isEqualTo(JAAS);
        assertThat(c.kafka.producerProperties().getProperty("sasl.jaas.config")).isEqualTo(JAAS);

        String printed = c.describe() + c.kafka + c.options.describe();
        assertThat(printed)
                .doesNotContain("TOP-SECRET-KEY", "SharedAccessKey", "changeit", "hunter2")
                .contains("sasl.jaas.config=******", "ssl.truststore.password=******", "SASL_SSL");
    }

    @Test
    void secretsAreRecognisedByName() {
        for (String key :
                List.of(
                        "sasl.jaas.config",
                        "ssl.truststore.password",
                        "ssl.keystore.password",
                        "ssl.key.password",
                        "ssl.keystore.key",
                        "sasl.oauthbearer.client.credentials.client.secret",
                        "basic.auth.user.info.token",
                        "schema.registry.api.key")) {
            assertThat(KafkaSecrets.isSecret(key)).as(key).isTrue();
        }
        for (String key :
                List.of(
                        "bootstrap.servers",
                        "security.protocol",
                        "sasl.mechanism",
                        "ssl.truststore.location",
                        "group.id")) {
            assertThat(KafkaSecrets.isSecret(key)).as(key).isFalse();
        }
        assertThat(KafkaSecrets.mask(Map.of("sasl.jaas.config", "x", "security.protocol", "SSL")))
                .isEqualTo("sasl.jaas.config=******, security.protocol=SSL");
    }

    @Test
    void environmentVariablesInValuesAreExpandedAndAMissingOneIsAClearError() throws Exception {
        Path file = dir.resolve("eh.properties");
        Files.writeString(
                file, "sasl.jaas.config=x password=\"${TI_TEST_SURELY_UNSET_VARIABLE}\";\n");
        assertThatThrownBy(() -> parse("--kafka-properties", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TI_TEST_SURELY_UNSET_VARIABLE")
                .hasMessageNotContaining("password=");
        String path = System.getenv("PATH");
        KafkaSettings k =
                parse(
                                "--kafka.ssl.truststore.location",
                                "${PATH}/x",
                                "--sasl-jaas-config",
                                "u=\"$ConnectionString\"")
                        .kafka;
        assertThat(k.consumerProperties().getProperty("ssl.truststore.location"))
                .isEqualTo(path + "/x");
        assertThat(k.consumerProperties().getProperty("sasl.jaas.config"))
                .as("$Name without braces is text (Event Hubs' user name)")
                .isEqualTo("u=\"$ConnectionString\"");
    }

    @Test
    void kafkaPrefixedArgumentsAreTakenOutBeforeTheOptions() {
        Map<String, String> props = new LinkedHashMap<>();
        String[] rest =
                KafkaPropertySources.extractClientProperties(
                        new String[] {
                            "--emit",
                            "first",
                            "--kafka.acks",
                            "all",
                            "--kafka.compression.type=zstd",
                            "--kafka-properties",
                            "f"
                        },
                        props);
        assertThat(rest).containsExactly("--emit", "first", "--kafka-properties", "f");
        assertThat(props)
                .containsExactly(Map.entry("acks", "all"), Map.entry("compression.type", "zstd"));
        assertThatThrownBy(
                        () ->
                                KafkaPropertySources.extractClientProperties(
                                        new String[] {"--kafka.acks"}, props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void badSettingsAreRejectedWithTheOptionNamed() {
        assertThatThrownBy(() -> parse("--delivery", "maybe-once"))
                .hasMessageContaining("--delivery");
        assertThatThrownBy(() -> parse("--checkpoint-interval", "0"))
                .hasMessageContaining("--delivery at-least-once");
        assertThat(
                        parse("--checkpoint-interval", "0", "--delivery", "at-least-once")
                                .kafka
                                .delivery())
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThatThrownBy(() -> parse("--connections-start", "yesterday"))
                .hasMessageContaining("--connections-start");
        assertThatThrownBy(() -> parse("--alerts-topic", "a,b")).hasMessageContaining("one topic");
        assertThatThrownBy(() -> parse("--dead-letter-format", "xml"))
                .hasMessageContaining("raw or json");
        assertThatThrownBy(() -> parse("--kafka-properties", dir.resolve("none").toString()))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> parse("--no-such-option", "1"))
                .hasMessageContaining("--no-such-option");
    }

    @Test
    void theKafkaJobBuildsWithoutKryoTypes() {
        // pipeline.generic-types=false makes building the graph fail on any type that would use
        // Kryo.
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FlinkEnvironments.baseConfiguration());
        KafkaJobConfig c = parse("--bootstrap-servers", "localhost:1");
        c.applyTo(env);
        KafkaPipeline.define(env, c.kafka, c.detection);
        assertThat(env.getStreamGraph().getStreamNodes()).isNotEmpty();
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10_000L);
    }
}

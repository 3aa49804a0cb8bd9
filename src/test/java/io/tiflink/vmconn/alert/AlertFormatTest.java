package io.tiflink.vmconn.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.job.JobOptions;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.kafka.KafkaAlertSerializer;
import io.tiflink.vmconn.model.Alert;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --alert-format}: the option, the default, and the Kafka record's value. */
class AlertFormatTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void sentinelIsTheDefaultAndWritesTheRulesColumnsUnchanged() throws Exception {
        Alert a = SampleAlerts.legacyAddress();
        assertThat(JobOptions.ALERT_FORMAT.defaultValue()).isEqualTo(AlertFormat.SENTINEL);
        assertThat(AlertFormat.SENTINEL.toJson(a)).isEqualTo(AlertJson.toJson(a));
        byte[] value = new KafkaAlertSerializer("t").serialize(a, null, 1L).value();
        assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo(AlertJson.toJson(a));
    }

    @ParameterizedTest
    @EnumSource(AlertFormat.class)
    void theReplayAndTheKafkaJobTakeTheOption(AlertFormat format) {
        String label = format.name().toLowerCase();
        CommandLine replay =
                CommandLine.parse(
                        JobOptions.replay(),
                        new String[] {
                            "--indicators",
                            "i.jsonl",
                            "--connections",
                            "c.jsonl",
                            "--alert-format",
                            label
                        });
        assertThat(replay.get(JobOptions.ALERT_FORMAT)).isEqualTo(format);
        KafkaJobConfig kafka = KafkaJobConfig.parse(false, "--alert-format", label);
        assertThat(kafka.alertFormat).isEqualTo(format);
        assertThat(kafka.describe()).contains("alerts as " + label);
    }

    @Test
    void anUnknownFormatNamesTheChoices() {
        assertThatThrownBy(() -> KafkaJobConfig.parse(false, "--alert-format", "cef"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sentinel or ocsf or ecs");
    }

    @ParameterizedTest
    @EnumSource(AlertFormat.class)
    void theKafkaRecordCarriesTheFormatsDocumentKeyedByAlertId(AlertFormat format)
            throws Exception {
        Alert a = SampleAlerts.legacyAddress();
        ProducerRecord<byte[], byte[]> r =
                new KafkaAlertSerializer("ti-alerts", format).serialize(a, null, 1L);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.alertId);
        JsonNode value = MAPPER.readTree(r.value());
        assertThat(value.toString()).isEqualTo(format.toJson(a));
        if (format != AlertFormat.SENTINEL) {
            assertThat(AlertSchemas.violations(AlertSchemas.of(format), value)).isEmpty();
        }
    }

    @Test
    void theSchemasRejectANameOrAValueTheStandardsDoNotHave() {
        ObjectNode ocsf = OcsfAlert.toNode(SampleAlerts.legacyAddress());
        ocsf.put("alert_id", "x");
        assertThat(AlertSchemas.violations(AlertSchemas.OCSF, ocsf)).isNotEmpty();
        ObjectNode badEnum = OcsfAlert.toNode(SampleAlerts.legacyAddress());
        badEnum.put("type_uid", 200405);
        assertThat(AlertSchemas.violations(AlertSchemas.OCSF, badEnum)).isNotEmpty();
        ObjectNode noOsint = OcsfAlert.toNode(SampleAlerts.legacyAddress());
        noOsint.remove("osint");
        assertThat(AlertSchemas.violations(AlertSchemas.OCSF, noOsint)).isNotEmpty();
        ObjectNode ecs = EcsAlert.toNode(SampleAlerts.legacyAddress());
        ((ObjectNode) ecs.get("event")).put("kind", "finding");
        assertThat(AlertSchemas.violations(AlertSchemas.ECS, ecs)).isNotEmpty();
        ObjectNode cidr = EcsAlert.toNode(SampleAlerts.legacyAddress());
        ((ObjectNode) cidr.get("source")).put("ip", "198.51.100.0/24");
        assertThat(AlertSchemas.violations(AlertSchemas.ECS, cidr)).isNotEmpty();
        ObjectNode custom = EcsAlert.toNode(SampleAlerts.legacyAddress());
        ((ObjectNode) custom.get("threat")).put("indicator_id", "x");
        assertThat(AlertSchemas.violations(AlertSchemas.ECS, custom)).isNotEmpty();
    }
}

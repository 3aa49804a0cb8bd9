package io.tiflink.vmconn.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON schemas the alert formats are checked against, written from the published definitions
 * (src/test/resources/schemas; docs/alerts.md says which files of which version): OCSF 1.8.0's
 * Detection Finding and the ECS 9.4.0 fields of an alert. Formats (ipv4, ipv6, date-time) are
 * asserted, not only annotated.
 */
final class AlertSchemas {

    static final JsonSchema OCSF = load("/schemas/ocsf-1.8.0-detection_finding.schema.json");
    static final JsonSchema ECS = load("/schemas/ecs-9.4.0-alert.schema.json");

    private AlertSchemas() {}

    /** The schema of a format; null for the rule's columns (checked by AlertJsonTest). */
    static JsonSchema of(AlertFormat format) {
        switch (format) {
            case OCSF:
                return OCSF;
            case ECS:
                return ECS;
            default:
                return null;
        }
    }

    /** What is wrong with a document, one line per violation; empty when it is valid. */
    static List<String> violations(JsonSchema schema, JsonNode document) {
        return schema.validate(document).stream().map(ValidationMessage::getMessage).toList();
    }

    private static JsonSchema load(String resource) {
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = AlertSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the test class path");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

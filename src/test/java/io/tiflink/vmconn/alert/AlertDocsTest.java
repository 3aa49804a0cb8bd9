package io.tiflink.vmconn.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.model.Alert;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/alerts.md's examples are what the code writes for the sample alerts: this test regenerates
 * them and fails when the page differs ({@code -Ddocs.write=true} rewrites the page instead), and
 * validates each OCSF and ECS example against its schema.
 */
class AlertDocsTest {

    private static final Path PAGE = Path.of("docs/alerts.md");
    private static final Pattern EXAMPLE =
            Pattern.compile("(<!-- example: ([\\w-]+) -->\n```json\n)(.*?)(```)", Pattern.DOTALL);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Each example: the document (or part of one) the page shows. */
    static Map<String, JsonNode> examples() {
        Alert legacy = SampleAlerts.legacyAddress();
        Alert range = SampleAlerts.all().get("STIX range");
        Map<String, JsonNode> e = new LinkedHashMap<>();
        e.put("sentinel", AlertFormat.SENTINEL.toNode(legacy));
        e.put("ocsf", AlertFormat.OCSF.toNode(legacy));
        e.put("ecs", AlertFormat.ECS.toNode(legacy));
        e.put("ocsf-range-osint", AlertFormat.OCSF.toNode(range).at("/osint/0"));
        e.put("ecs-range-enrichment", AlertFormat.ECS.toNode(range).at("/threat/enrichments/0"));
        return e;
    }

    @Test
    void theExamplesAreWhatTheCodeWrites() throws Exception {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        Map<String, JsonNode> examples = examples();
        Matcher m = EXAMPLE.matcher(page);
        StringBuilder out = new StringBuilder();
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            JsonNode example = examples.get(m.group(2));
            assertThat(example).as("an example named " + m.group(2)).isNotNull();
            seen.add(m.group(2));
            String json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(example);
            m.appendReplacement(
                    out, Matcher.quoteReplacement(m.group(1) + json + "\n" + m.group(4)));
        }
        m.appendTail(out);
        assertThat(seen).containsExactlyElementsOf(examples.keySet());
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(PAGE, out.toString(), StandardCharsets.UTF_8);
        }
        assertThat(page)
                .as(
                        "docs/alerts.md's examples differ from what the code writes: run"
                                + " mvn -o test -Dtest=AlertDocsTest -Ddocs.write=true")
                .isEqualTo(out.toString());
    }

    @Test
    void theWholeExamplesAreValid() {
        Map<String, JsonNode> e = examples();
        assertThat(AlertSchemas.violations(AlertSchemas.OCSF, e.get("ocsf"))).isEmpty();
        assertThat(AlertSchemas.violations(AlertSchemas.ECS, e.get("ecs"))).isEmpty();
    }
}

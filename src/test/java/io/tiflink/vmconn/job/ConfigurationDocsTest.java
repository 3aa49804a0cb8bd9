package io.tiflink.vmconn.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.CommandLine;
import io.tiflink.vmconn.config.DetectionOptions;
import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.demo.DemoOptions;
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
 * docs/configuration.md's option tables are the options' declarations: this test regenerates them
 * and fails when the page differs ({@code -Ddocs.write=true} rewrites the page instead).
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("docs/configuration.md");
    private static final Pattern SECTION =
            Pattern.compile("(<!-- generated: (\\w+) -->\n)(.*?)(<!-- end -->)", Pattern.DOTALL);

    /** Each generated section: the options it lists. */
    static Map<String, List<Option<?>>> sections() {
        Map<String, List<Option<?>>> s = new LinkedHashMap<>();
        List<Option<?>> detection = new ArrayList<>(DetectionOptions.ALL);
        detection.add(JobOptions.PARALLELISM);
        s.put("detection", detection);
        s.put("replay", without(JobOptions.replay(), detection));
        s.put("kafka", without(JobOptions.kafkaJob(false), detection));
        s.put("demo", without(DemoOptions.all(), detection));
        return s;
    }

    private static List<Option<?>> without(List<Option<?>> all, List<Option<?>> shared) {
        List<String> names = shared.stream().map(Option::name).toList();
        return all.stream().filter(o -> !names.contains(o.name())).toList();
    }

    @Test
    void optionTablesAreGeneratedFromTheDeclarations() throws Exception {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        Map<String, List<Option<?>>> sections = sections();
        Matcher m = SECTION.matcher(page);
        StringBuilder out = new StringBuilder();
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            List<Option<?>> options = sections.get(m.group(2));
            assertThat(options).as("a generated section named " + m.group(2)).isNotNull();
            seen.add(m.group(2));
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            m.group(1) + CommandLine.markdownTable(options) + m.group(4)));
        }
        m.appendTail(out);
        assertThat(seen).containsExactlyElementsOf(sections.keySet());
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(PAGE, out.toString(), StandardCharsets.UTF_8);
        }
        assertThat(page)
                .as(
                        "docs/configuration.md's tables differ from the options' declarations:"
                                + " run mvn -o test -Dtest=ConfigurationDocsTest -Ddocs.write=true")
                .isEqualTo(out.toString());
    }

    @Test
    void helpListsTheSameOptionsAsTheDocs() {
        String help = CommandLine.help("usage", JobOptions.kafkaJob(false));
        for (Option<?> o : JobOptions.kafkaJob(false)) {
            assertThat(help).contains("--" + o.name()).contains(o.description());
        }
    }
}

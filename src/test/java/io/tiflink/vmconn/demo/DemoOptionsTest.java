package io.tiflink.vmconn.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.config.Option;
import io.tiflink.vmconn.job.KafkaJobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo's options: defaults, checks (one clear error line, exit code 2), --help, job args. */
class DemoOptionsTest {

    /** What {@code ./demo.sh ARGS} prints and returns, up to the start of the broker. */
    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Demo.exitCode(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void defaultsAreTheDemosOwn() {
        DemoOptions o = DemoOptions.parse();
        assertThat(o.brokerPort).isEqualTo(9092);
        assertThat(o.webUiPort).isEqualTo(8081);
        assertThat(o.rate).isEqualTo(100);
        assertThat(o.hitRate).isEqualTo(0.005);
        assertThat(o.badRate).isEqualTo(0.002);
        assertThat(o.envelopeRate).isEqualTo(0.2);
        assertThat(o.hosts).isEqualTo(40);
        assertThat(o.indicators).isEqualTo(DemoOptions.Indicators.MIXED);
        assertThat(o.seed).isEqualTo(7);
        assertThat(o.duration).isEqualTo(Duration.ZERO);
        assertThat(o.parallelism()).isEqualTo(2);
        assertThat(o.emitting())
                .startsWith(
                        "emit mode first, out-of-orderness 2s, exactly-once with a checkpoint every 2s")
                .contains("1h window");
    }

    @Test
    void valuesAreReadAsGiven() {
        DemoOptions o =
                DemoOptions.parse(
                        "--indicators",
                        "legacy",
                        "--rate",
                        "2500",
                        "--hit-rate",
                        "0.1",
                        "--duration",
                        "45s",
                        "--seed",
                        "-3");
        assertThat(o.rate).isEqualTo(2500);
        assertThat(o.indicators).isEqualTo(DemoOptions.Indicators.LEGACY);
        assertThat(o.hitRate).isEqualTo(0.1);
        assertThat(o.duration).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.seed).isEqualTo(-3);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--hit-rate|2|--hit-rate must lie in 0.0..1.0",
                "--hit-rate|-0.1|--hit-rate must lie in 0.0..1.0",
                "--hit-rate|NaN|--hit-rate must lie in 0.0..1.0",
                "--hit-rate|lots|--hit-rate takes a number, not 'lots'",
                "--bad-rate|1.5|--bad-rate must lie in 0.0..1.0",
                "--rate|0|--rate must lie in 0.001..1000000.0",
                "--seed|x|--seed takes a whole number, not 'x'",
                "--hosts|many|--hosts takes a whole number, not 'many'",
                "--duration|soon|cannot read duration 'soon'",
                "--emit|sometimes|--emit takes final or first, not 'sometimes'",
                "--indicators|stix|--indicators takes mixed or legacy, not 'stix'",
            })
    void aBadValueGivesOneErrorLineAndExitCode2(String option, String value, String message) {
        Outcome o = demo(option, value);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.out()).as("nothing started").isEmpty();
        assertThat(o.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("error: " + message);
    }

    @Test
    void anUnknownOptionIsNamed() {
        Outcome o = demo("--hitrate", "0.1");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("error: unknown option --hitrate (see --help)\n");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Outcome o = demo("--help");
        assertThat(o.exitCode()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).startsWith(DemoOptions.USAGE);
        for (Option<?> option : DemoOptions.all()) {
            assertThat(o.out()).contains("--" + option.name() + " VALUE");
        }
        for (String d :
                List.of(
                        "(default: 9092)",
                        "(default: 8081)",
                        "(default: 0.005)",
                        "(default: 0s)",
                        "(default: first)",
                        "(default: 2s)",
                        "(default: exactly-once)",
                        "(default: mixed)")) {
            assertThat(o.out()).contains(d);
        }
    }

    @Test
    void theJobGetsTheDemosDeliveryAndDetectionOptions() {
        DemoOptions o = DemoOptions.parse("--window", "30m", "--parallelism", "1");
        String[] args = o.jobArgs("127.0.0.1:40000", 0, "file:///tmp/cp");
        assertThat(String.join(" ", args))
                .contains("--bootstrap-servers 127.0.0.1:40000")
                .contains("--connections-start earliest")
                .contains("--checkpoint-interval 2s")
                .contains("--checkpoint-dir file:///tmp/cp")
                .contains("--emit first")
                .contains("--out-of-orderness 2s")
                .contains("--window 30m")
                .contains("--parallelism 1")
                .contains("--web-ui-port 0");
        KafkaJobConfig config = KafkaJobConfig.parse(true, args);
        assertThat(config.kafka.bootstrapServers()).isEqualTo("127.0.0.1:40000");
        assertThat(config.detection.emitMode().label()).isEqualTo("first");
        assertThat(config.checkpointDir).isEqualTo("file:///tmp/cp");
    }
}

package io.tiflink.vmconn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 6.4b: the broadest range indicators kept, as settings and as options. */
class BroadestRangeOptionsTest {

    private static DetectionSettings settings(String... args) {
        return DetectionOptions.settings(CommandLine.parse(DetectionOptions.ALL, args));
    }

    @Test
    void defaultsAreSlash8ForIpv4AndSlash32ForIpv6() {
        DetectionSettings d = DetectionSettings.defaults();
        assertThat(d.broadestIpv4Range()).isEqualTo(8);
        assertThat(d.broadestIpv6Range()).isEqualTo(32);
        assertThat(settings().broadestIpv4Range()).isEqualTo(8);
        assertThat(settings().broadestIpv6Range()).isEqualTo(32);
        assertThat(DetectionOptions.BROADEST_IPV4_RANGE.formattedDefault()).isEqualTo("8");
        assertThat(DetectionOptions.BROADEST_IPV6_RANGE.formattedDefault()).isEqualTo("32");
    }

    @Test
    void optionsSetTheBroadestRanges() {
        DetectionSettings s = settings("--broadest-ipv4-range", "16", "--broadest-ipv6-range=48");
        assertThat(s.broadestIpv4Range()).isEqualTo(16);
        assertThat(s.broadestIpv6Range()).isEqualTo(48);
        assertThat(s.toString()).contains("broadest-ipv4-range=/16 broadest-ipv6-range=/48");
    }

    @ParameterizedTest
    @CsvSource({"8", "32"})
    void theEndsOfTheIpv4SpanAreAllowed(int prefix) {
        assertThat(settings("--broadest-ipv4-range", "" + prefix).broadestIpv4Range())
                .isEqualTo(prefix);
    }

    @ParameterizedTest
    @CsvSource({"24", "128"})
    void theEndsOfTheIpv6SpanAreAllowed(int prefix) {
        assertThat(settings("--broadest-ipv6-range", "" + prefix).broadestIpv6Range())
                .isEqualTo(prefix);
    }

    @ParameterizedTest
    @CsvSource({"7", "0", "33", "-1"})
    void anIpv4ValueOutsideItsSpanIsAnOptionError(String prefix) {
        assertThatThrownBy(() -> settings("--broadest-ipv4-range", prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "--broadest-ipv4-range must be a prefix length from 8 to 32, not "
                                + prefix);
    }

    @ParameterizedTest
    @CsvSource({"23", "0", "129"})
    void anIpv6ValueOutsideItsSpanIsAnOptionError(String prefix) {
        assertThatThrownBy(() -> settings("--broadest-ipv6-range", prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "--broadest-ipv6-range must be a prefix length from 24 to 128, not "
                                + prefix);
    }

    @Test
    void aValueThatIsNoNumberIsAnOptionError() {
        assertThatThrownBy(() -> settings("--broadest-ipv4-range", "/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--broadest-ipv4-range takes a whole number, not '/8'");
    }

    @Test
    void settingsRefuseAValueOutsideTheSpanToo() {
        assertThatThrownBy(() -> DetectionSettings.defaults().withBroadestIpv4Range(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("broadest IPv4 range must be a prefix length from 8");
        assertThatThrownBy(() -> DetectionSettings.defaults().withBroadestIpv6Range(16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("broadest IPv6 range must be a prefix length from 24");
    }

    @Test
    void eachWitherChangesOneSettingAndKeepsTheOthers() {
        DetectionSettings s =
                DetectionSettings.defaults()
                        .withBroadestIpv4Range(12)
                        .withBroadestIpv6Range(40)
                        .withWindow(Duration.ofMinutes(30))
                        .withExtraExcludedRanges(List.of("100.64.0.0/10"))
                        .withEmitMode(EmitMode.FIRST);
        assertThat(s.broadestIpv4Range()).isEqualTo(12);
        assertThat(s.broadestIpv6Range()).isEqualTo(40);
        assertThat(s.windowMillis()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(s.extraExcludedRanges()).containsExactly("100.64.0.0/10");
        assertThat(s.exclusions().ranges()).contains("100.64.0.0/10");
        assertThat(s.emitMode()).isEqualTo(EmitMode.FIRST);
        assertThat(s.lookbackMillis()).isEqualTo(Duration.ofHours(1).toMillis());
        DetectionSettings d = DetectionSettings.defaults();
        assertThat(d.withBroadestIpv4Range(12).broadestIpv4Range()).isEqualTo(12);
        assertThat(d.broadestIpv4Range()).isEqualTo(8); // the original is unchanged
        assertThat(d.exclusions().ranges()).doesNotContain("100.64.0.0/10");
    }

    @Test
    void otherChecksStillHold() {
        assertThatThrownBy(() -> DetectionSettings.defaults().withWindow(Duration.ZERO))
                .hasMessage("window must be positive");
        assertThatThrownBy(() -> DetectionSettings.defaults().withLookback(Duration.ofHours(-1)))
                .hasMessage("durations must not be negative");
        assertThatThrownBy(
                        () ->
                                DetectionSettings.defaults()
                                        .withExtraExcludedRanges(List.of("not a range")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

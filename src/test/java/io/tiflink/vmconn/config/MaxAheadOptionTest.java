package io.tiflink.vmconn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiflink.vmconn.job.JobOptions;
import io.tiflink.vmconn.job.KafkaJobConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** --max-ahead: a day ahead of the wall clock for the Kafka job; off for a replay unless given. */
class MaxAheadOptionTest {

    @Test
    void theKafkaJobBoundsRowsADayAheadOfTheWallClockByDefault() {
        KafkaJobConfig c = KafkaJobConfig.parse(false, "--bootstrap-servers", "k:9092");
        assertThat(c.detection.maxAheadMillis()).isEqualTo(Duration.ofDays(1).toMillis());
        assertThat(c.describe()).contains("max-ahead=1d");
        KafkaJobConfig off =
                KafkaJobConfig.parse(true, "--bootstrap-servers", "k:9092", "--max-ahead", "0");
        assertThat(off.detection.maxAheadMillis()).isZero();
        assertThat(off.describe()).contains("max-ahead=none");
    }

    @Test
    void aReplayHasNoBoundUnlessGivenOne() {
        CommandLine replay = CommandLine.parse(JobOptions.replay(), "--indicators", "i");
        assertThat(DetectionOptions.settings(replay).maxAheadMillis()).isZero();
        CommandLine bounded =
                CommandLine.parse(JobOptions.replay(), "--indicators", "i", "--max-ahead", "6h");
        assertThat(DetectionOptions.settings(bounded).maxAheadMillis())
                .isEqualTo(Duration.ofHours(6).toMillis());
    }

    @Test
    void theRulesDefaultsHaveNoBoundAndANegativeOneIsRefused() {
        assertThat(DetectionSettings.defaults().maxAheadMillis()).isZero();
        assertThatThrownBy(() -> DetectionSettings.defaults().withMaxAhead(Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

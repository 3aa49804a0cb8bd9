package io.tiflink.vmconn.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.Indicator;
import org.junit.jupiter.api.Test;

/** SPEC 1.1: which column holds an indicator's IP. */
class IndicatorIpsTest {

    private static Indicator row(
            String networkIp, String destination, String source, String email) {
        Indicator i = new Indicator();
        i.networkIp = networkIp;
        i.networkDestinationIp = destination;
        i.networkSourceIp = source;
        i.emailSourceIpAddress = email;
        return i;
    }

    @Test
    void networkIpComesFirst() {
        assertThat(IndicatorIps.pickColumn(row("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4")))
                .isEqualTo("1.1.1.1");
    }

    @Test
    void emptyColumnsFallThroughInTheRulesOrder() {
        assertThat(IndicatorIps.pickColumn(row(null, "2.2.2.2", "3.3.3.3", "4.4.4.4")))
                .isEqualTo("2.2.2.2");
        assertThat(IndicatorIps.pickColumn(row("", null, "3.3.3.3", "4.4.4.4")))
                .isEqualTo("3.3.3.3");
        assertThat(IndicatorIps.pickColumn(row(null, "  ", null, "4.4.4.4"))).isEqualTo("4.4.4.4");
    }

    @Test
    void whiteSpaceOnlyIsEmptyAndNoColumnMeansNoIp() {
        assertThat(IndicatorIps.pickColumn(row(" \t", "", null, "\n"))).isNull();
    }

    @Test
    void aNonEmptyColumnThatIsNotAnAddressIsStillTheOneChosen() {
        // The row is then unusable (SPEC 1.2), it does not fall through to the next column.
        assertThat(IndicatorIps.pickColumn(row("1.2.3.0/24", "2.2.2.2", null, null)))
                .isEqualTo("1.2.3.0/24");
    }
}

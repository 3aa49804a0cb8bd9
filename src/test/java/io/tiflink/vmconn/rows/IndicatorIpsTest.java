package io.tiflink.vmconn.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.Indicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 1.1 and 6.2b: which column holds an indicator's IP. */
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
        assertThat(IndicatorIps.pickColumn(row("not an ip", "2.2.2.2", null, null)))
                .isEqualTo("not an ip");
        assertThat(IndicatorIps.pickColumn(row("1.2.3.0/24", "2.2.2.2", null, null)))
                .isEqualTo("1.2.3.0/24");
    }

    @Test
    void networkCidrBlockIsTheLastColumn() {
        // The parser hands NetworkCidrBlock on in ip, as received.
        Indicator onlyCidr = row(null, " ", "", null);
        onlyCidr.ip = "198.51.100.0/24";
        assertThat(IndicatorIps.pickColumn(onlyCidr)).isEqualTo("198.51.100.0/24");
        Indicator both = row(null, null, null, "4.4.4.4");
        both.ip = "198.51.100.0/24";
        assertThat(IndicatorIps.pickColumn(both)).isEqualTo("4.4.4.4");
        Indicator blank = row(null, null, null, null);
        blank.ip = " \t";
        assertThat(IndicatorIps.pickColumn(blank)).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ipv4-addr:value | ipv4-addr | true",
                "ipv6-addr:value | ipv6-addr | true",
                "network-traffic:dst_ref.value | network-traffic | true",
                "[ipv4-addr:value] | ipv4-addr | true",
                "\"ipv4-addr\":value | ipv4-addr | true",
                "' [\"ipv6-addr\"] :value' | ipv6-addr | true",
                "ipv4-addr | ipv4-addr | true",
                "url:value | url | false",
                "domain-name:value | domain-name | false",
                "IPv4-addr:value | IPv4-addr | false",
                "'' | '' | false",
            })
    void objectTypeIsTheKeysTextBeforeTheFirstColonWithoutBracketsAndQuotes(
            String key, String type, boolean ip) {
        assertThat(IndicatorIps.objectType(key)).isEqualTo(type);
        assertThat(IndicatorIps.isIpKey(key)).isEqualTo(ip);
    }

    @Test
    void aMissingKeyHasNoObjectType() {
        assertThat(IndicatorIps.objectType(null)).isEmpty();
        assertThat(IndicatorIps.isIpKey(null)).isFalse();
    }
}

package io.tiflink.vmconn.alert;

import static io.tiflink.vmconn.testing.Rows.at;
import static io.tiflink.vmconn.testing.Rows.connection;
import static io.tiflink.vmconn.testing.Rows.indicator;
import static io.tiflink.vmconn.testing.Rows.millis;
import static io.tiflink.vmconn.testing.Rows.stix;
import static io.tiflink.vmconn.testing.Rows.tiRow;
import static io.tiflink.vmconn.testing.Rows.validFrom;
import static io.tiflink.vmconn.testing.Rows.validUntil;

import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.Match;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sample alerts of every indicator source (ThreatIntelligenceIndicator rows, ThreatIntelIndicators
 * rows, STIX 2.1 objects), for addresses and ranges, IPv4 and IPv6, outbound and inbound, and with
 * the odd values a row may carry (no process, a port or a score that is no number, late updates).
 */
final class SampleAlerts {

    private SampleAlerts() {}

    /** The alert of one match, in a window of an hour from 10:00 (final mode unless updated). */
    static Alert alert(Connection c, Indicator i, String target, String detection) {
        Match m = Match.of(c, i, at(detection), EventTimes.fractionDigits(detection));
        m.target = target;
        m.targetAsWritten = target;
        AlertGroup g = AlertGroups.merge(null, m);
        return AlertGroups.toAlert(g, millis("10:00"), 3_600_000L, EmitMode.FINAL);
    }

    /** The legacy row the docs show: an address, with threat type, activity group and URL. */
    static Alert legacyAddress() {
        Indicator i = indicator("ind-legacy-1", "203.0.113.7", "09:30");
        i.threatType = "C2";
        i.activityGroupNames = "STRONTIUM";
        i.description = "C2 server of a botnet";
        i.confidenceScore = "85";
        i.url = "http://203.0.113.7/gate.php";
        Connection c = connection("203.0.113.7", "10:15:00.1234567");
        return alert(c, i, "203.0.113.7", "10:15:00.1234567");
    }

    static Map<String, Alert> all() {
        Map<String, Alert> s = new LinkedHashMap<>();
        s.put("legacy address", legacyAddress());

        Indicator legacyRange = indicator("ind-legacy-2", "198.51.100.0/24", "09:00");
        legacyRange.confidenceScore = "72.5";
        s.put(
                "legacy range, inbound",
                alert(inbound("198.51.100.23", "10:20"), legacyRange, "198.51.100.0/24", "10:20"));

        Indicator row =
                validUntil(
                        tiRow("indicator--ti-1", "203.0.113.9", "08:00"), "2026-12-27T00:00:00Z");
        row.activityGroupNames = "Storm-0001";
        row.confidenceScore = "40";
        s.put(
                "ThreatIntelIndicators address",
                alert(connection("203.0.113.9", "10:30"), row, "203.0.113.9", "10:30"));

        Indicator row6 = tiRow("indicator--ti-2", "2001:db8:4::/48", "08:00");
        row6.confidenceScore = null;
        s.put(
                "ThreatIntelIndicators IPv6 range",
                alert(connection("2001:db8:4::17", "10:31"), row6, "2001:db8:4::/48", "10:31"));

        Indicator st =
                validFrom(
                        stix(
                                "indicator--5a8c7e9f-0000-4000-8000-000000000001",
                                "07:00",
                                "192.0.2.0/25",
                                "2001:db8::1"),
                        "07:00:00.5");
        st.confidenceScore = "0";
        st.description = "Scanning range of a botnet";
        s.put("STIX range", alert(connection("192.0.2.77", "10:40"), st, "192.0.2.0/25", "10:40"));
        s.put(
                "STIX IPv6 address",
                alert(connection("2001:db8::1", "10:41"), st, "2001:db8::1", "10:41"));

        Indicator odd = tiRow("indicator--ti-3", "203.0.113.10", "08:00");
        odd.confidenceScore = "high";
        Connection c = connection("203.0.113.10", "10:50");
        c.processName = null;
        c.destinationPort = "n/a";
        c.protocol = "UDP";
        c.direction = "";
        c.sourceIp = "not an address";
        Alert late = alert(c, odd, "203.0.113.10", "10:50");
        late.late = true;
        late.afterWindowClosed = true;
        late.emitMode = "first";
        s.put("odd values, late update", late);
        return s;
    }

    /** An inbound connection from {@code remoteIp} to the VM at 10.0.0.4. */
    static Connection inbound(String remoteIp, String time) {
        Connection c = connection(remoteIp, time);
        c.direction = "inbound";
        c.sourceIp = remoteIp;
        c.destinationIp = "10.0.0.4";
        c.destinationPort = "3389";
        c.processName = "svchost";
        return c;
    }
}

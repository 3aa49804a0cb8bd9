package io.tiflink.vmconn.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's data: the public IOC list as indicator rows, and the VMConnection generator. */
class DemoDataTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.123456789Z");

    private static List<InputRecord> parse(RowParser.Table table, byte[] record) {
        List<InputRecord> out = new ArrayList<>();
        new RowParser(table, 0).parse(record, "test", 0, 0, out::add);
        return out;
    }

    @Test
    void thePublicIocListBecomesLiveIndicatorRows() {
        List<IocList.Ioc> iocs = IocList.load();
        assertThat(iocs).hasSize(423);
        assertThat(new HashSet<>(IocList.ips(iocs))).hasSize(423);
        List<ObjectNode> rows = IocList.indicatorRows(iocs, NOW);
        Set<String> ids = new HashSet<>();
        for (ObjectNode row : rows) {
            ids.add(row.get("IndicatorId").asText());
            InputRecord r =
                    parse(RowParser.Table.INDICATORS, ConnectionGenerator.bytes(row)).get(0);
            assertThat(r.indicator).as(row.toString()).isNotNull();
            assertThat(r.indicator.active).isTrue();
            assertThat(r.indicator.expiration).isGreaterThan(r.indicator.timeGenerated);
            assertThat(r.indicator.networkIp).isNotBlank();
            assertThat(row.get("TimeGenerated").asText()).isEqualTo("2026-11-27T11:59:00.1234567Z");
        }
        assertThat(ids).hasSize(423);
        ObjectNode barium =
                rows.stream()
                        .filter(r -> r.get("NetworkIP").asText().equals("103.99.209.78"))
                        .findFirst()
                        .orElseThrow();
        assertThat(barium.get("ActivityGroupNames").asText()).isEqualTo("Barium");
        assertThat(barium.get("Description").asText()).isEqualTo("Barium/APT41 infrastructure");
        assertThat(barium.get("Url").asText()).startsWith("https://techcommunity.microsoft.com/");
        assertThat(barium.get("IndicatorId").asText()).isEqualTo(IocList.indicatorId(iocs.get(0)));
    }

    @Test
    void generatedConnectionsLookLikeTheVmConnectionTableAndHitListedIpsAtTheGivenRate() {
        List<String> listed = IocList.ips(IocList.load());
        Set<String> listedSet = new HashSet<>(listed);
        ConnectionGenerator g = new ConnectionGenerator(listed, 0.05, 40, 1);
        int n = 20_000;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            ObjectNode row = g.next(NOW.plusMillis(i));
            boolean listedIp = listedSet.contains(row.get("RemoteIp").asText());
            assertThat(listedIp).isEqualTo(g.lastWasHit());
            hits += listedIp ? 1 : 0;
            if (i < 200) {
                assertThat(row.size()).isGreaterThanOrEqualTo(40);
                assertThat(row.get("Type").asText()).isEqualTo("VMConnection");
                assertThat(row.get("TimeGenerated").asText())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
                String dir = row.get("Direction").asText();
                String own =
                        dir.equals("outbound")
                                ? row.get("SourceIp").asText()
                                : row.get("DestinationIp").asText();
                String remote =
                        dir.equals("outbound")
                                ? row.get("DestinationIp").asText()
                                : row.get("SourceIp").asText();
                assertThat(own).startsWith("10.1.");
                assertThat(remote).isEqualTo(row.get("RemoteIp").asText());
                InputRecord r =
                        parse(RowParser.Table.CONNECTIONS, ConnectionGenerator.bytes(row)).get(0);
                assertThat(r.connection).isNotNull();
            }
        }
        assertThat(g.hits()).isEqualTo(hits);
        assertThat(hits / (double) n).isBetween(0.04, 0.06);
    }

    @Test
    void theGeneratorIsDeterministicForASeedAndCanSendEnvelopesAndBadRecords() {
        List<String> listed = List.of("203.0.113.7", "198.51.100.9");
        ConnectionGenerator a = new ConnectionGenerator(listed, 0.3, 10, 42);
        ConnectionGenerator b = new ConnectionGenerator(listed, 0.3, 10, 42);
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ObjectNode r = a.next(NOW);
            assertThat(r).isEqualTo(b.next(NOW));
            rows.add(r);
        }
        assertThat(
                        parse(
                                RowParser.Table.CONNECTIONS,
                                ConnectionGenerator.envelope(rows.subList(0, 4))))
                .hasSize(4)
                .allSatisfy(r -> assertThat(r.connection).isNotNull());
        long before = a.rows();
        for (int i = 0; i < 20; i++) {
            byte[] bad = a.malformed(NOW);
            assertThat(parse(RowParser.Table.CONNECTIONS, bad))
                    .as(new String(bad, StandardCharsets.UTF_8))
                    .singleElement()
                    .satisfies(r -> assertThat(r.deadLetter).isNotNull());
        }
        assertThat(a.rows()).as("bad records are not rows").isEqualTo(before);
    }

    @Test
    void logAnalyticsTimesHaveSevenFractionalDigits() {
        assertThat(
                        ConnectionGenerator.logAnalyticsTime(
                                Instant.parse("2026-11-27T10:15:00.123456789Z")))
                .isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(ConnectionGenerator.logAnalyticsTime(Instant.parse("2026-11-27T10:15:00Z")))
                .isEqualTo("2026-11-27T10:15:00.0000000Z");
    }
}

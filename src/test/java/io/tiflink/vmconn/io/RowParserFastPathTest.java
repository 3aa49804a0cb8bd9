package io.tiflink.vmconn.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.demo.ConnectionGenerator;
import io.tiflink.vmconn.demo.IocList;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming path of RowParser gives exactly the rows and dead letters of its tree path. */
class RowParserFastPathTest {

    private static List<InputRecord> parse(RowParser p, byte[] bytes, boolean tree) {
        List<InputRecord> out = new ArrayList<>();
        if (tree) {
            p.parseTree(bytes, "t", 0, 1, out::add);
        } else {
            p.parse(bytes, "t", 0, 1, out::add);
        }
        return out;
    }

    private static void assertSame(RowParser.Table table, List<byte[]> records) {
        RowParser fast = new RowParser(table, 300_000_000_000L);
        RowParser tree = new RowParser(table, 300_000_000_000L);
        for (byte[] b : records) {
            List<InputRecord> a = parse(fast, b, false);
            List<InputRecord> e = parse(tree, b, true);
            String what = new String(b, StandardCharsets.UTF_8);
            assertThat(a).as(what).hasSameSizeAs(e);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).indicator).as(what).isEqualTo(e.get(i).indicator);
                assertThat(a.get(i).connection).as(what).isEqualTo(e.get(i).connection);
                assertThat(a.get(i).skipped).as(what).isEqualTo(e.get(i).skipped);
                assertThat(a.get(i).deadLetter == null)
                        .as(what)
                        .isEqualTo(e.get(i).deadLetter == null);
                if (e.get(i).deadLetter != null) {
                    assertThat(a.get(i).deadLetter.reason)
                            .as(what)
                            .isEqualTo(e.get(i).deadLetter.reason);
                    assertThat(a.get(i).deadLetter.raw).as(what).isEqualTo(e.get(i).deadLetter.raw);
                }
            }
        }
    }

    /**
     * SPEC 6.1: records of the other shapes (ThreatIntelIndicators rows, STIX objects, bundles,
     * TAXII pages, rows with NetworkCidrBlock), which the fast path leaves to the tree path or
     * reads as legacy rows.
     */
    private static List<byte[]> section6Records() {
        String t = "\"TimeGenerated\":\"2026-11-27T10:00:00Z\"";
        String stix =
                "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"modified\":\"2026-11-27T10:00:00Z\","
                        + "\"pattern\":\"[ipv4-addr:value = '203.0.113.5']\",\"valid_from\":\"2026-11-27T09:00:00Z\","
                        + "\"labels\":[\"ActivityGroup:X\"],\"confidence\":50}";
        List<String> texts =
                List.of(
                        "{"
                                + t
                                + ",\"IndicatorId\":\"a\",\"NetworkCidrBlock\":\"198.51.100.0/24\"}",
                        "{" + t + ",\"IndicatorId\":\"a\",\"NetworkCidrBlock\":{\"x\":[1,2.5]}}",
                        "{" + t + ",\"IndicatorId\":\"a\",\"Id\":\"b\"}",
                        "{"
                                + t
                                + ",\"IndicatorId\":\"a\",\"Type\":\"ThreatIntelligenceIndicator\"}",
                        "{" + t + ",\"IndicatorId\":\"a\",\"type\":\"Indicator\"}",
                        "{" + t + ",\"IndicatorId\":\"a\",\"type\":\"malware\"}",
                        "{" + t + ",\"IndicatorId\":\"a\",\"more\":false}",
                        "{"
                                + t
                                + ",\"Id\":\"x\",\"ObservableKey\":\"ipv4-addr:value\","
                                + "\"ObservableValue\":\"203.0.113.5\",\"IsActive\":\"true\","
                                + "\"Data\":\"{\\\"description\\\":\\\"d\\\"}\",\"ValidUntil\":\"x\"}",
                        "{" + t + ",\"Id\":\"x\",\"Pattern\":\"[ipv4-addr:value = '1.2.3.4']\"}",
                        "{" + t + ",\"Id\":7}",
                        "{\"Id\":\"x\",\"ObservableValue\":\"1.2.3.4\"}",
                        stix,
                        stix.replace("\"modified\":\"2026-11-27T10:00:00Z\",", ""),
                        "{\"type\":\"identity\",\"id\":\"identity--1\"}",
                        "{\"type\":\"bundle\",\"objects\":["
                                + stix
                                + ",{\"type\":\"identity\"},7,{\"type\":\"bundle\"}]}",
                        "{\"more\":true,\"next\":\"2\",\"objects\":[" + stix + "]}",
                        "{\"more\":false}",
                        "{\"objects\":null}",
                        "{\"records\":[" + stix + ",{" + t + ",\"Id\":\"y\"}]}");
        List<byte[]> out = new ArrayList<>();
        texts.forEach(s -> out.add(s.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void generatedRowsScenariosAndMutationsReadAlike() {
        Random r = new Random(3);
        List<IocList.Ioc> iocs = IocList.load();
        ConnectionGenerator g = new ConnectionGenerator(IocList.ips(iocs), 0.05, 20, 5);
        List<byte[]> conns = new ArrayList<>();
        List<byte[]> inds = new ArrayList<>();
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        for (int i = 0; i < 3000; i++) {
            conns.add(ConnectionGenerator.bytes(g.next(t.plusMillis(i))));
            conns.add(g.malformed(t.plusMillis(i)));
        }
        IocList.indicatorRows(iocs, t).forEach(row -> inds.add(ConnectionGenerator.bytes(row)));
        for (long seed = 1; seed <= 6; seed++) {
            Scenario sc = ScenarioGenerator.generate(seed, 600);
            sc.indicatorLines().forEach(l -> inds.add(l.getBytes(StandardCharsets.UTF_8)));
            sc.connectionLines().forEach(l -> conns.add(l.getBytes(StandardCharsets.UTF_8)));
        }
        List<String> odd =
                List.of(
                        "{}",
                        "[]",
                        "42",
                        "",
                        "  ",
                        "null",
                        "{\"records\":[]}",
                        "{\"records\":7}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"records\":{\"a\":1}}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"RemoteIp\":{\"a\":[1,2.50,true]},\"Computer\":[\"x\"]}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"DestinationPort\":1.50,\"Protocol\":12345678901234,"
                                + "\"Direction\":123456789012345678901234567890,\"ProcessName\":-0,\"SourceIp\":1e3}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"a\",\"Active\":\" TRUE \","
                                + "\"ConfidenceScore\":80.0,\"Active\":{\"x\":true}}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"a\",\"Active\":true,\"Active\":1}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"IndicatorId\":\"a\",\"Active\":false,\"Active\":true}",
                        "{\"TimeGenerated\":null,\"RemoteIp\":\"1.2.3.4\"}",
                        "{\"TimeGenerated\":{\"t\":1}}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\"} trailing",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\"}}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",}",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\"",
                        "{\"TimeGenerated\":\"2026-11-27T10:00:00Z\",\"RemoteIp\":\"\\u0031.2.3.4\"}");
        inds.addAll(section6Records());
        for (String s : odd) {
            conns.add(s.getBytes(StandardCharsets.UTF_8));
            inds.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (List<byte[]> list : List.of(conns, inds)) {
            int n = list.size();
            for (int i = 0; i < n; i += 7) {
                byte[] b = list.get(i).clone();
                int cut = r.nextInt(b.length + 1);
                list.add(Arrays.copyOf(b, cut));
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = (byte) "{}[]\",:0a ".charAt(r.nextInt(10));
                    list.add(b);
                }
            }
        }
        assertSame(RowParser.Table.CONNECTIONS, conns);
        assertSame(RowParser.Table.INDICATORS, inds);
        assertSame(RowParser.Table.CONNECTIONS, inds);
        assertSame(RowParser.Table.INDICATORS, conns);
    }
}

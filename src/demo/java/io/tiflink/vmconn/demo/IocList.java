package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The public IOC list the demo uses: Azure Sentinel's sample feed {@code IP_IOC_V1.csv} (MIT
 * licence, 423 IPv4 indicators), read from the classpath, and its rows as
 * ThreatIntelligenceIndicator rows.
 *
 * <p>The conversion keeps what the feed says (IP, reference, activity group, tags, targeted
 * service) and replaces its dates, which lie in 2019-2021, by the demo's clock: TimeGenerated is
 * given, ExpirationDateTime lies ahead. The feed has no confidence or threat type: rows with a
 * reference get ConfidenceScore 80, the others 50, and ThreatType is WatchList.
 */
public final class IocList {

    public static final String RESOURCE = "/demo/azure-sentinel-sample-IP_IOC_V1.csv";

    /** A stand-in Log Analytics workspace tenant for the generated rows. */
    public static final String DEMO_TENANT = "4b1d5e7a-2c3f-4e8d-9a6b-0de000000001";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One row of the feed. */
    public record Ioc(
            String dateAdded,
            String ip,
            String type,
            String expiration,
            String reference,
            String activityGroupNames,
            String targetedService,
            String tags) {}

    private IocList() {}

    /** The feed's rows, in file order. */
    public static List<Ioc> load() {
        try (InputStream in = IocList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "demo data missing from the classpath: " + RESOURCE);
            }
            List<List<String>> records =
                    Csv.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Ioc> iocs = new ArrayList<>();
            for (int i = 1; i < records.size(); i++) { // row 0 is the header
                List<String> r = records.get(i);
                if (r.size() < 8 || r.get(1).isBlank()) {
                    continue;
                }
                iocs.add(
                        new Ioc(
                                r.get(0).trim(),
                                r.get(1).trim(),
                                r.get(2).trim(),
                                r.get(3).trim(),
                                r.get(4).trim(),
                                r.get(5).trim(),
                                r.get(6).trim(),
                                r.get(7).trim()));
            }
            return iocs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IPs of the feed, in file order. */
    public static List<String> ips(List<Ioc> iocs) {
        return iocs.stream().map(Ioc::ip).toList();
    }

    /** A stable IndicatorId for an IOC: SHA-256 of the feed name and IP, as upper-case hex. */
    public static String indicatorId(Ioc ioc) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(("IP_IOC_V1|" + ioc.ip()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The IOC as a ThreatIntelligenceIndicator row, observed at {@code timeGenerated}, live until
     * {@code expires}.
     */
    public static ObjectNode indicatorRow(Ioc ioc, Instant timeGenerated, Instant expires) {
        String id = indicatorId(ioc);
        String tags = tagsText(ioc.tags());
        ObjectNode n = MAPPER.createObjectNode();
        n.put("TenantId", DEMO_TENANT);
        n.put("TimeGenerated", ConnectionGenerator.logAnalyticsTime(timeGenerated));
        n.put("SourceSystem", "SecurityInsights");
        n.put("Action", "alert");
        n.put("ActivityGroupNames", ioc.activityGroupNames());
        n.put(
                "AdditionalInformation",
                ioc.dateAdded().isEmpty()
                        ? "From IP_IOC_V1"
                        : "From IP_IOC_V1, added " + ioc.dateAdded());
        n.put("ConfidenceScore", ioc.reference().isEmpty() ? 50 : 80);
        n.put("Description", description(ioc, tags));
        n.put("ExpirationDateTime", ConnectionGenerator.logAnalyticsTime(expires));
        n.put(
                "ExternalIndicatorId",
                "indicator--" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)));
        n.put("IndicatorId", id);
        n.put("ThreatType", "WatchList");
        n.put("Active", true);
        n.put("NetworkIP", ioc.ip());
        n.put("NetworkDestinationIP", "");
        n.put("NetworkSourceIP", "");
        n.put("EmailSourceIpAddress", "");
        n.put("TrafficLightProtocolLevel", "White");
        n.put("Tags", ioc.tags());
        n.put("Url", ioc.reference());
        n.put("ThreatSeverity", ioc.activityGroupNames().isEmpty() ? 3 : 4);
        n.put("Type", "ThreatIntelligenceIndicator");
        return n;
    }

    /**
     * Indicator rows for the whole list, observed a minute before {@code now}, live for 30 days.
     */
    public static List<ObjectNode> indicatorRows(List<Ioc> iocs, Instant now) {
        Instant observed = now.minus(1, ChronoUnit.MINUTES);
        Instant expires = now.plus(30, ChronoUnit.DAYS);
        return iocs.stream().map(i -> indicatorRow(i, observed, expires)).toList();
    }

    /** What the list says of the IOC: its tags and targeted service ("Log4j infrastructure"). */
    static String description(Ioc ioc) {
        return description(ioc, tagsText(ioc.tags()));
    }

    private static String description(Ioc ioc, String tags) {
        StringBuilder sb = new StringBuilder();
        sb.append(tags.isEmpty() ? "Listed IP" : tags);
        if (!ioc.targetedService().isEmpty()) {
            sb.append(' ').append(ioc.targetedService().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    /** {@code ["Barium", "APT41"]} -> {@code Barium/APT41}. */
    static String tagsText(String tags) {
        String t = tags.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        List<String> parts = new ArrayList<>();
        for (String p : t.split(",")) {
            String s = p.trim().replace("\"", "");
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    /** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                    continue;
                }
                switch (c) {
                    case '"':
                        quoted = true;
                        any = true;
                        break;
                    case ',':
                        row.add(field.toString());
                        field.setLength(0);
                        any = true;
                        break;
                    case '\r':
                        break;
                    case '\n':
                        if (any || field.length() > 0) {
                            row.add(field.toString());
                            rows.add(row);
                        }
                        row = new ArrayList<>();
                        field.setLength(0);
                        any = false;
                        break;
                    default:
                        field.append(c);
                        any = true;
                }
            }
            if (any || field.length() > 0) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}

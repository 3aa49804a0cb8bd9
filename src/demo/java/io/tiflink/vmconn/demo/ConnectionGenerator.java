package io.tiflink.vmconn.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Generates VMConnection rows as Azure Monitor's VM insights writes them (the table's 44 columns,
 * TimeGenerated with seven fractional digits), for a fleet of VMs of which some talk to listed IPs.
 * Deterministic for a seed. For the demo and for benchmarks: {@link #hitRate} is the share of rows
 * whose RemoteIp is on the list; {@link #run} paces rows at a given rate.
 *
 * <p>A hit is either an inbound connection from a listed IP to a web server (the Log4j scanning
 * hosts of the sample feed did exactly that), or an outbound beacon from one of a few "compromised"
 * hosts to the listed IPs assigned to it. When the list also has CIDR ranges, a quarter of the hits
 * go to or come from other addresses inside those ranges (neither their network nor broadcast
 * address, nor a listed IP). Other rows go to or come from public addresses that are not on the
 * list (cloud, CDN and update services, clients), or stay inside the private network.
 */
public final class ConnectionGenerator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter LA_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
                    .withZone(ZoneOffset.UTC);
    private static final String SUBSCRIPTION = "0f3c6a52-7d1e-4b8a-9c2f-5e6d7a8b9c01";

    /** A VM of the fleet. */
    record Host(String computer, String ip, String role, String agentId, String machine) {}

    /**
     * Remote public ranges that are not on the list: (first two octets, country, latitude,
     * longitude).
     */
    private static final Object[][] BENIGN_REMOTES = {
        {"13.107", "United States", 47.6, -122.3}, {"20.42", "United States", 36.7, -78.4},
        {"40.126", "Ireland", 53.3, -6.3}, {"52.96", "United States", 47.6, -122.3},
        {"104.16", "United States", 37.8, -122.4}, {"142.250", "United States", 37.4, -122.1},
        {"151.101", "United States", 37.8, -122.4}, {"185.199", "Netherlands", 52.4, 4.9},
        {"91.189", "United Kingdom", 51.5, -0.1}, {"23.55", "Germany", 50.1, 8.7},
    };

    private static final String[][] ROLES = {
        // role, listening process, listening port
        {"web", "nginx", "443"},
        {"web", "w3wp", "443"},
        {"app", "java", "8080"},
        {"sql", "sqlservr", "1433"},
        {"jump", "sshd", "22"},
        {"dc", "lsass", "389"},
        {"worker", "python3", "8000"},
    };
    private static final String[][] OUTBOUND = {
        // process, port
        {"svchost", "443"},
        {"MsMpEng", "443"},
        {"omsagent", "443"},
        {"apt", "80"},
        {"curl", "443"},
        {"java", "443"},
        {"chrome", "443"},
        {"dotnet", "443"},
        {"systemd-resolved", "53"},
    };
    private static final String[][] BEACONS = {
        {"rundll32", "443"}, {"powershell", "8443"}, {"python3", "443"}, {"svchost", "53"},
    };

    private final List<String> listed;
    private final Set<String> listedSet;
    private final List<Ipv4Range> ranges;
    private final double hitRate;
    private final Random random;
    private final List<Host> hosts = new ArrayList<>();
    private final List<Host> webHosts = new ArrayList<>();
    private final List<Host> compromised = new ArrayList<>();
    private final List<List<String>> beaconTargets = new ArrayList<>();
    private long rows;
    private long hits;
    private long rangeHits;
    private boolean lastWasHit;
    private boolean lastWasRangeHit;

    /**
     * @param listedIps the IPs on the indicator list (hits are drawn from them)
     * @param hitRate share of rows whose RemoteIp is listed, 0..1
     * @param hostCount VMs in the fleet (at least 4)
     * @param seed same seed, same rows (for the same times)
     */
    public ConnectionGenerator(List<String> listedIps, double hitRate, int hostCount, long seed) {
        this(listedIps, List.of(), hitRate, hostCount, seed);
    }

    /**
     * @param listedIps the IPs on the indicator list (hits are drawn from them)
     * @param listedRanges IPv4 CIDR ranges on the list ({@code 203.0.113.0/24}, /30 or longer
     *     prefixes are too small): a quarter of the hits go to other addresses inside them
     * @param hitRate share of rows whose RemoteIp is listed or in a listed range, 0..1
     * @param hostCount VMs in the fleet (at least 4)
     * @param seed same seed, same rows (for the same times); without ranges the same rows as the
     *     constructor without them
     */
    public ConnectionGenerator(
            List<String> listedIps,
            List<String> listedRanges,
            double hitRate,
            int hostCount,
            long seed) {
        if (hitRate < 0 || hitRate > 1) {
            throw new IllegalArgumentException("hit rate must lie in 0..1, not " + hitRate);
        }
        if (hitRate > 0 && listedIps.isEmpty()) {
            throw new IllegalArgumentException("a hit rate above 0 needs listed IPs");
        }
        this.listed = List.copyOf(listedIps);
        this.listedSet = new HashSet<>(listedIps);
        this.ranges = listedRanges.stream().map(Ipv4Range::parse).toList();
        for (Ipv4Range r : ranges) {
            if (r.prefix() > 29) {
                throw new IllegalArgumentException("range too small for other addresses: " + r);
            }
        }
        this.hitRate = hitRate;
        this.random = new Random(seed);
        int n = Math.max(4, hostCount);
        for (int i = 0; i < n; i++) {
            String[] role = ROLES[i % ROLES.length];
            String name = role[0] + "-" + String.format("%02d", i / ROLES.length + 1);
            // Some VMs report a bare name, most an FQDN (HostName/DnsDomain differ then).
            String computer =
                    i % 5 == 4
                            ? "vm-" + name
                            : name + (i % 2 == 0 ? ".contoso.com" : ".corp.contoso.com");
            String ip = "10.1." + (i % ROLES.length) + "." + (4 + i / ROLES.length);
            Host h =
                    new Host(
                            computer,
                            ip,
                            role[0] + ":" + role[1] + ":" + role[2],
                            uuid(),
                            "m-" + uuid());
            hosts.add(h);
            if (role[0].equals("web")) {
                webHosts.add(h);
            }
        }
        // A few compromised hosts, each beaconing to two or three listed IPs of its own.
        int c = Math.min(3, n);
        for (int i = 0; i < c && !listed.isEmpty(); i++) {
            Host h = hosts.get(1 + random.nextInt(n - 1));
            compromised.add(h);
            List<String> targets = new ArrayList<>();
            for (int t = 0, k = 2 + random.nextInt(2); t < k; t++) {
                targets.add(listed.get(random.nextInt(listed.size())));
            }
            beaconTargets.add(targets);
        }
    }

    public double hitRate() {
        return hitRate;
    }

    /** Rows generated so far. */
    public long rows() {
        return rows;
    }

    /** Rows so far whose RemoteIp is listed. */
    public long hits() {
        return hits;
    }

    /** Rows so far whose RemoteIp lies in a listed range (and is not listed itself). */
    public long rangeHits() {
        return rangeHits;
    }

    /** Whether the last row's RemoteIp is listed or lies in a listed range. */
    public boolean lastWasHit() {
        return lastWasHit;
    }

    /** Whether the last row's RemoteIp lies in a listed range (and is not listed itself). */
    public boolean lastWasRangeHit() {
        return lastWasRangeHit;
    }

    /** The fleet's computer names. */
    public List<String> computers() {
        return hosts.stream().map(Host::computer).toList();
    }

    /** The next VMConnection row, at {@code time}. */
    public ObjectNode next(Instant time) {
        rows++;
        lastWasHit = hitRate > 0 && random.nextDouble() < hitRate;
        // Without ranges no draw here, so the rows are those of a generator without ranges.
        lastWasRangeHit = lastWasHit && !ranges.isEmpty() && random.nextInt(4) == 0;
        if (lastWasHit) {
            hits++;
            String inRange = null;
            if (lastWasRangeHit) {
                rangeHits++;
                inRange = rangeAddress();
            }
            if (random.nextBoolean() || compromised.isEmpty()) {
                Host web =
                        webHosts.isEmpty()
                                ? hosts.get(0)
                                : webHosts.get(random.nextInt(webHosts.size()));
                String scanner =
                        inRange != null ? inRange : listed.get(random.nextInt(listed.size()));
                String[] role = web.role().split(":");
                return row(
                        time,
                        web,
                        "inbound",
                        role[1],
                        scanner,
                        Integer.parseInt(role[2]),
                        "Unknown",
                        0,
                        0,
                        1 + random.nextInt(3),
                        300 + random.nextInt(2_000),
                        200 + random.nextInt(800));
            }
            int i = random.nextInt(compromised.size());
            List<String> targets = beaconTargets.get(i);
            String[] beacon = BEACONS[i % BEACONS.length];
            return row(
                    time,
                    compromised.get(i),
                    "outbound",
                    beacon[0],
                    inRange != null ? inRange : targets.get(random.nextInt(targets.size())),
                    Integer.parseInt(beacon[1]),
                    "Unknown",
                    0,
                    0,
                    1,
                    1_000 + random.nextInt(4_000),
                    500 + random.nextInt(20_000));
        }
        Host h = hosts.get(random.nextInt(hosts.size()));
        double r = random.nextDouble();
        if (r < 0.15) { // east-west, inside the private network
            Host other = hosts.get(random.nextInt(hosts.size()));
            String[] role = other.role().split(":");
            return row(
                    time,
                    h,
                    "outbound",
                    OUTBOUND[random.nextInt(OUTBOUND.length)][0],
                    other.ip(),
                    Integer.parseInt(role[2]),
                    "",
                    0,
                    0,
                    1 + random.nextInt(5),
                    2_000 + random.nextInt(50_000),
                    2_000 + random.nextInt(200_000));
        }
        Object[] remote = BENIGN_REMOTES[random.nextInt(BENIGN_REMOTES.length)];
        String ip = benignIp((String) remote[0]);
        if (r < 0.35) { // a client calling one of our services
            String[] role = h.role().split(":");
            return row(
                    time,
                    h,
                    "inbound",
                    role[1],
                    ip,
                    Integer.parseInt(role[2]),
                    (String) remote[1],
                    (double) remote[2],
                    (double) remote[3],
                    1 + random.nextInt(4),
                    500 + random.nextInt(5_000),
                    1_000 + random.nextInt(100_000));
        }
        String[] out = OUTBOUND[random.nextInt(OUTBOUND.length)];
        return row(
                time,
                h,
                "outbound",
                out[0],
                ip,
                Integer.parseInt(out[1]),
                (String) remote[1],
                (double) remote[2],
                (double) remote[3],
                1 + random.nextInt(8),
                500 + random.nextInt(20_000),
                5_000 + random.nextInt(2_000_000));
    }

    private String benignIp(String prefix) {
        for (; ; ) {
            String ip = prefix + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            if (!listedSet.contains(ip) && !inRanges(ip)) {
                return ip;
            }
        }
    }

    private boolean inRanges(String ip) {
        for (Ipv4Range r : ranges) {
            if (r.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** An address of a listed range other than its network and broadcast address and listed IPs. */
    private String rangeAddress() {
        Ipv4Range r = ranges.get(random.nextInt(ranges.size()));
        for (; ; ) {
            String ip = r.address(1 + random.nextInt((int) r.size() - 2));
            if (!listedSet.contains(ip)) {
                return ip;
            }
        }
    }

    private ObjectNode row(
            Instant time,
            Host h,
            String direction,
            String process,
            String remoteIp,
            int port,
            String country,
            double lat,
            double lon,
            int links,
            long bytesSent,
            long bytesReceived) {
        boolean outbound = direction.equals("outbound");
        String source = outbound ? h.ip() : remoteIp;
        String destination = outbound ? remoteIp : h.ip();
        int responseMin = 1 + random.nextInt(40);
        int responseMax = responseMin + random.nextInt(400);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("TenantId", IocList.DEMO_TENANT);
        n.put("SourceSystem", "Insights");
        n.put("TimeGenerated", logAnalyticsTime(time));
        n.put("Computer", h.computer());
        n.put("AgentId", h.agentId());
        n.put("Direction", direction);
        n.put("ProcessName", process);
        n.put("SourceIp", source);
        n.put("DestinationIp", destination);
        n.put("DestinationPort", port);
        n.put("Protocol", port == 53 ? "udp" : "tcp");
        n.put("RemoteIp", remoteIp);
        n.put("RemoteCountry", country);
        n.put("RemoteLatitude", lat);
        n.put("RemoteLongitude", lon);
        n.put("MaliciousIp", "");
        n.put("IndicatorThreatType", "");
        n.put("Description", "");
        n.put("TLPLevel", "");
        n.put("Confidence", "");
        n.put("Severity", "");
        n.put("FirstReportedDateTime", "");
        n.put("LastReportedDateTime", "");
        n.put("IsActive", "");
        n.put("ReportReferenceLink", "");
        n.put("AdditionalInformation", "");
        n.put("LinksEstablished", links);
        n.put("LinksTerminated", Math.max(0, links - random.nextInt(2)));
        n.put("LinksFailed", random.nextInt(20) == 0 ? 1 : 0);
        n.put("LinksLive", random.nextInt(3) == 0 ? 1 : 0);
        n.put("Responses", links * (1 + random.nextInt(10)));
        n.put("ResponseTimeMax", responseMax);
        n.put("ResponseTimeMin", responseMin);
        n.put("ResponseTimeSum", (long) responseMin * links + random.nextInt(responseMax + 1));
        n.put("BytesSent", bytesSent);
        n.put("BytesReceived", bytesReceived);
        n.put("Machine", h.machine());
        n.put("Process", h.machine() + "_" + process);
        n.put("ConnectionId", "U(" + source + "-" + destination + ":" + port + ")");
        n.put("RemoteClassification", "");
        n.put("RemoteDnsQuestions", "");
        n.put("RemoteDnsCanonicalNames", "");
        n.put("Type", "VMConnection");
        n.put(
                "_ResourceId",
                "/subscriptions/"
                        + SUBSCRIPTION
                        + "/resourcegroups/rg-prod/providers/"
                        + "microsoft.compute/virtualmachines/"
                        + h.computer().split("\\.")[0]);
        return n;
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    // ---------------------------------------------------------------- records

    /** Several rows in one Azure Monitor export envelope, {@code {"records": [...]}} (SPEC 5.1). */
    public static byte[] envelope(List<ObjectNode> rows) {
        ObjectNode e = MAPPER.createObjectNode();
        ArrayNode records = e.putArray("records");
        rows.forEach(records::add);
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] bytes(ObjectNode row) {
        return row.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A record the job cannot read (SPEC 5.3): cut-off JSON, or a row without a readable
     * TimeGenerated.
     */
    public byte[] malformed(Instant time) {
        ObjectNode row = next(time);
        rows--;
        if (lastWasHit) {
            hits--;
            lastWasHit = false;
        }
        if (lastWasRangeHit) {
            rangeHits--;
            lastWasRangeHit = false;
        }
        String text = row.toString();
        switch (random.nextInt(3)) {
            case 0:
                return text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8);
            case 1:
                row.put("TimeGenerated", "yesterday, around noon");
                return bytes(row);
            default:
                row.remove("TimeGenerated");
                return bytes(row);
        }
    }

    /** Log Analytics' time format: ISO-8601 UTC with seven fractional digits (100 ns). */
    public static String logAnalyticsTime(Instant t) {
        return LA_TIME.format(t); // seven pattern letters: the fraction cut to 100 ns
    }

    // ---------------------------------------------------------------- pacing

    /**
     * Generates rows at {@code rowsPerSecond}, timestamped with the wall clock, handing each to
     * {@code sink}, until {@code stop} says so. Rows leave in small batches every 10 ms, so the
     * rate holds from a few rows to many thousands per second.
     */
    public void run(double rowsPerSecond, BooleanSupplier stop, Consumer<ObjectNode> sink)
            throws InterruptedException {
        if (rowsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        long start = System.nanoTime();
        long sent = 0;
        while (!stop.getAsBoolean()) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            long due = (long) (elapsed * rowsPerSecond);
            while (sent < due && !stop.getAsBoolean()) {
                sink.accept(next(Instant.now()));
                sent++;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}

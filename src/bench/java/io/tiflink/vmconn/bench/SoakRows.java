package io.tiflink.vmconn.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.demo.ConnectionGenerator;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The soak benchmark's VMConnection rows, made from the row's index alone (so never held, and the
 * same after a restore): row k has TimeGenerated {@code start + k / rate}, and its JSON bytes are a
 * row of the demo's {@link ConnectionGenerator} (its 44 columns) whose identity columns are set for
 * the fleet below. Deterministic for a seed.
 *
 * <p>The shape, as VM insights aggregates VMConnection: one row per (computer, process, remote IP,
 * port) active in a minute. Each minute of event time holds {@code rate * 60} rows; computer c
 * reports its batch of them in turn (its agent's upload of the minute), so a batch is {@code rate *
 * 60 / computers} rows. A computer has one listening service (its role, as the demo's fleet: nginx
 * 443, w3wp 443, java 8080, sqlservr 1433, sshd 22, lsass 389, python3 8000) and 2-4 outbound
 * processes (svchost, MsMpEng, omsagent, apt, curl, ... on 443, 80 or 53). A row's remote IP is:
 *
 * <ul>
 *   <li><b>seen once</b> ({@code onceShare}, default 35% of rows): an address no other row of the
 *       run has (a client calling the service, or a one-off outbound call), spread over the whole
 *       public IPv4 space;
 *   <li><b>recurring</b> (the rest): one of {@value #RECURRING_POPULATION} addresses drawn by a
 *       Zipf law (exponent {@value #ZIPF_EXPONENT}) from an outbound process, without repeating a
 *       (remote IP, process) pair within a batch: the top ranks (cloud endpoints) are called by
 *       every process of every computer every minute, the rest less and less often;
 *   <li><b>listed</b> ({@code hitRate}, default 0.1%): the address of one of the first {@code
 *       listed} indicators ({@link #indicatorIp}), inbound to the service or outbound.
 * </ul>
 *
 * The address ranges do not overlap: recurring addresses have first octets 13, 20, 23, 40, 52, 104,
 * 142 or 151; indicators' 34 first octets of hosting ranges (5, 31, 37, 45, ..., 217), spread over
 * them; seen-once ones any other public first octet; none is private or excluded (SPEC 1.3).
 */
final class SoakRows implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Kinds of remote address. */
    static final byte LISTED = 0, ONCE = 1, RECURRING = 2;

    static final int RECURRING_POPULATION = 200_000;
    static final double ZIPF_EXPONENT = 1.0;

    /** The listening service of each role, in the order of the demo's fleet. */
    private static final String[][] SERVICES = {
        {"nginx", "443"},
        {"w3wp", "443"},
        {"java", "8080"},
        {"sqlservr", "1433"},
        {"sshd", "22"},
        {"lsass", "389"},
        {"python3", "8000"},
    };

    private static final String[][] OUTBOUND = {
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

    private static final int[] RECURRING_OCTETS = {13, 20, 23, 40, 52, 104, 142, 151};

    /** First octets of the indicators' addresses: hosting ranges, where listed IPs often are. */
    private static final int[] INDICATOR_OCTETS = {
        5, 31, 37, 45, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94,
        95, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217
    };

    private static final int[] ONCE_OCTETS = onceOctets();
    private static final String TIME_MARK = "~TIME~", REMOTE_MARK = "~REMOTE~";

    final Instant start;
    final long rowsPerMinute;
    final int computers;
    final int listed;
    final double hitRate;
    final double onceShare;
    final long seed;

    // ---- built in open(): templates, the Zipf table, the recurring addresses
    private transient byte[][][] pieces; // per template: the literal bytes between the marks
    private transient boolean[][] timeMark; // per template: whether mark i is the time (else IP)
    private transient int[] firstTemplate; // per computer; template firstTemplate[c] + q
    private transient int[] outboundCount; // per computer
    private transient double[] zipfCdf;
    private transient int[] recurringIps;

    // ---- the current batch: (minute, computer)
    private transient long batchMinute = -1;
    private transient int batchComputer = -1;
    private transient byte[] kinds;
    private transient int[] ips;
    private transient byte[] slots;
    private transient LongSet seen;
    private transient long cachedSecond = Long.MIN_VALUE;
    private transient byte[] secondPrefix;
    private transient byte[] scratchIp;

    /** The last row's kind, for statistics. */
    transient byte lastKind;

    SoakRows(
            Instant start,
            double rowsPerSecond,
            int computers,
            int listed,
            double hitRate,
            double onceShare,
            long seed) {
        if (start.getNano() != 0) {
            throw new IllegalArgumentException("the start must be a whole second");
        }
        this.start = start;
        this.rowsPerMinute = Math.max(1, Math.round(rowsPerSecond * 60));
        this.computers = (int) Math.max(1, Math.min(computers, rowsPerMinute));
        this.listed = listed;
        this.hitRate = listed > 0 ? hitRate : 0;
        this.onceShare = onceShare;
        this.seed = seed;
        if (this.hitRate + onceShare > 1 || hitRate < 0 || onceShare < 0) {
            throw new IllegalArgumentException("hit rate and seen-once share must add up to <= 1");
        }
    }

    /** An unopened copy with the same parameters (each source reader opens its own). */
    SoakRows copy() {
        return new SoakRows(
                start, rowsPerMinute / 60.0, computers, listed, hitRate, onceShare, seed);
    }

    /** Builds the fleet's row templates and the address tables (a few MB). */
    SoakRows open() {
        Random random = new Random(seed);
        ConnectionGenerator g = new ConnectionGenerator(List.of(), 0, computers, seed);
        List<String> names = g.computers();
        List<byte[][]> templatePieces = new ArrayList<>();
        List<boolean[]> templateMarks = new ArrayList<>();
        firstTemplate = new int[computers];
        outboundCount = new int[computers];
        for (int c = 0; c < computers; c++) {
            String computer = names.get(c);
            String hostIp = hostIp(c);
            String agent = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            String machine = "m-" + new java.util.UUID(random.nextLong(), random.nextLong());
            firstTemplate[c] = templatePieces.size();
            int outbound = 2 + c % 3;
            outboundCount[c] = outbound;
            List<String[]> slots = new ArrayList<>();
            slots.add(SERVICES[c % SERVICES.length]);
            List<String[]> pool = new ArrayList<>(List.of(OUTBOUND));
            java.util.Collections.shuffle(pool, random);
            slots.addAll(pool.subList(0, outbound));
            for (int q = 0; q < slots.size(); q++) {
                ObjectNode n = g.next(start);
                boolean inbound = q == 0;
                String process = slots.get(q)[0];
                int port = Integer.parseInt(slots.get(q)[1]);
                String source = inbound ? REMOTE_MARK : hostIp;
                String destination = inbound ? hostIp : REMOTE_MARK;
                n.put("TimeGenerated", TIME_MARK);
                n.put("Computer", computer);
                n.put("AgentId", agent);
                n.put("Direction", inbound ? "inbound" : "outbound");
                n.put("ProcessName", process);
                n.put("SourceIp", source);
                n.put("DestinationIp", destination);
                n.put("DestinationPort", port);
                n.put("Protocol", port == 53 ? "udp" : "tcp");
                n.put("RemoteIp", REMOTE_MARK);
                n.put("Machine", machine);
                n.put("Process", machine + "_" + process);
                n.put("ConnectionId", "U(" + source + "-" + destination + ":" + port + ")");
                n.put(
                        "_ResourceId",
                        n.get("_ResourceId")
                                .asText()
                                .replaceAll("[^/]+$", computer.split("\\.")[0]));
                split(n.toString(), templatePieces, templateMarks);
            }
        }
        pieces = templatePieces.toArray(new byte[0][][]);
        timeMark = templateMarks.toArray(new boolean[0][]);
        zipfCdf = new double[RECURRING_POPULATION];
        double sum = 0;
        for (int r = 0; r < RECURRING_POPULATION; r++) {
            sum += Math.pow(r + 1, -ZIPF_EXPONENT);
            zipfCdf[r] = sum;
        }
        for (int r = 0; r < RECURRING_POPULATION; r++) {
            zipfCdf[r] /= sum;
        }
        recurringIps = new int[RECURRING_POPULATION];
        boolean[] recurringOctet = octets(RECURRING_OCTETS);
        for (int r = 0; r < RECURRING_POPULATION; r++) {
            int a =
                    RECURRING_OCTETS[r % RECURRING_OCTETS.length] << 24
                            | r / RECURRING_OCTETS.length;
            recurringIps[r] = walk(a, recurringOctet, (int) seed * 31 + 7);
        }
        int batch = (int) (rowsPerMinute / computers + 1);
        kinds = new byte[batch];
        ips = new int[batch];
        slots = new byte[batch];
        seen = new LongSet(batch);
        scratchIp = new byte[15];
        return this;
    }

    /** Rows per minute of event time (the rate times 60). */
    long rowsPerMinute() {
        return rowsPerMinute;
    }

    /** Event time of row k, nanoseconds after the start. */
    long offsetNanos(long k) {
        long m = k / rowsPerMinute;
        long r = k - m * rowsPerMinute;
        return m * 60_000_000_000L + r * 60_000_000_000L / rowsPerMinute;
    }

    /** Row k as JSON bytes. */
    byte[] row(long k) {
        long m = k / rowsPerMinute;
        long r = k - m * rowsPerMinute;
        int c = (int) (r * computers / rowsPerMinute);
        int j = (int) (r - batchStart(c));
        if (m != batchMinute || c != batchComputer) {
            fill(m, c);
        }
        lastKind = kinds[j];
        int t = firstTemplate[c] + slots[j];
        int ipLength = ipText(ips[j], scratchIp);
        long nanos = offsetNanos(k);
        long second = start.getEpochSecond() + nanos / 1_000_000_000L;
        if (second != cachedSecond) {
            cachedSecond = second;
            String s = ConnectionGenerator.logAnalyticsTime(Instant.ofEpochSecond(second));
            secondPrefix = s.substring(0, 20).getBytes(StandardCharsets.US_ASCII);
        }
        byte[][] p = pieces[t];
        boolean[] marks = timeMark[t];
        int length = 0;
        for (byte[] piece : p) {
            length += piece.length;
        }
        for (boolean time : marks) {
            length += time ? 28 : ipLength;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < p.length; i++) {
            System.arraycopy(p[i], 0, out, at, p[i].length);
            at += p[i].length;
            if (i < marks.length) {
                if (marks[i]) {
                    at = time(out, at, nanos % 1_000_000_000L);
                } else {
                    System.arraycopy(scratchIp, 0, out, at, ipLength);
                    at += ipLength;
                }
            }
        }
        return out;
    }

    private int time(byte[] out, int at, long fractionNanos) {
        System.arraycopy(secondPrefix, 0, out, at, 20);
        long hundreds = fractionNanos / 100;
        for (int d = 6; d >= 0; d--) {
            out[at + 20 + d] = (byte) ('0' + hundreds % 10);
            hundreds /= 10;
        }
        out[at + 27] = 'Z';
        return at + 28;
    }

    /** The first row of computer c's batch within its minute. */
    private long batchStart(int c) {
        return ((long) c * rowsPerMinute + computers - 1) / computers;
    }

    /** Draws the remote addresses and processes of computer c's batch in minute m. */
    private void fill(long m, int c) {
        batchMinute = m;
        batchComputer = c;
        int n = (int) (batchStart(c + 1) - batchStart(c));
        long firstRow = m * rowsPerMinute + batchStart(c);
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ mix(m) ^ c);
        int outbound = outboundCount[c];
        seen.clear();
        for (int j = 0; j < n; j++) {
            double u = rnd.nextDouble();
            int slot;
            int ip;
            byte kind;
            if (u < hitRate) {
                kind = LISTED;
                int tries = 0;
                do {
                    ip = indicatorIp(rnd.nextInt(listed));
                    slot = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(outbound);
                } while (!seen.add((long) ip << 4 | slot) && ++tries < 64);
            } else if (u < hitRate + onceShare) {
                kind = ONCE;
                ip = onceIp(firstRow + j);
                slot = rnd.nextDouble() < 0.7 ? 0 : 1 + rnd.nextInt(outbound);
            } else {
                kind = RECURRING;
                int rank;
                int tries = 0;
                do {
                    rank = zipf(rnd.nextDouble());
                    slot = 1 + rnd.nextInt(outbound);
                } while (!seen.add((long) recurringIps[rank] << 4 | slot) && ++tries < 64);
                ip = recurringIps[rank];
            }
            kinds[j] = kind;
            ips[j] = ip;
            slots[j] = (byte) slot;
        }
    }

    private int zipf(double u) {
        int lo = 0;
        int hi = zipfCdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The address of the seen-once row with index u: distinct for every u (a permutation of the
     * allowed addresses, walked until it lands on an allowed first octet).
     */
    int onceIp(long u) {
        int n = ONCE_OCTETS.length;
        int a = ONCE_OCTETS[(int) (u % n)] << 24 | (int) (u / n & 0xFFFFFF);
        return walk(a, ONCE_OCTET, (int) seed);
    }

    /**
     * The address of indicator k: distinct for every k, spread over the indicators' first octets
     * (some 8,700 /16s: a feed's addresses, not one contiguous block).
     */
    static int indicatorIp(int k) {
        int n = INDICATOR_OCTETS.length;
        return walk(INDICATOR_OCTETS[k % n] << 24 | k / n, INDICATOR_OCTET, 0x5eed);
    }

    private static final boolean[] ONCE_OCTET = octets(ONCE_OCTETS);
    private static final boolean[] INDICATOR_OCTET = octets(INDICATOR_OCTETS);

    private static boolean[] octets(int[] list) {
        boolean[] b = new boolean[256];
        for (int o : list) {
            b[o] = true;
        }
        return b;
    }

    /**
     * Cycle walking: applies a permutation of the 32-bit values until the first octet is allowed.
     * Started from an allowed value, it is a permutation of the allowed values.
     */
    private static int walk(int a, boolean[] allowed, int key) {
        int x = a;
        do {
            x ^= key;
            x ^= x >>> 16;
            x *= 0x85ebca6b;
            x ^= x >>> 13;
            x *= 0xc2b2ae35;
            x ^= x >>> 16;
        } while (!allowed[x >>> 24]);
        return x;
    }

    private static int[] onceOctets() {
        boolean[] no = new boolean[256];
        for (int o : new int[] {0, 10, 45, 100, 127, 169, 172, 192, 198}) {
            no[o] = true;
        }
        for (int o : RECURRING_OCTETS) {
            no[o] = true;
        }
        for (int o : INDICATOR_OCTETS) {
            no[o] = true;
        }
        List<Integer> ok = new ArrayList<>();
        for (int o = 1; o <= 223; o++) {
            if (!no[o]) {
                ok.add(o);
            }
        }
        return ok.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static String ipString(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 255) + "." + (ip >>> 8 & 255) + "." + (ip & 255);
    }

    private static int ipText(int ip, byte[] out) {
        int at = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int v = ip >>> shift & 255;
            if (v >= 100) {
                out[at++] = (byte) ('0' + v / 100);
            }
            if (v >= 10) {
                out[at++] = (byte) ('0' + v / 10 % 10);
            }
            out[at++] = (byte) ('0' + v % 10);
            if (shift > 0) {
                out[at++] = '.';
            }
        }
        return at;
    }

    /** The private address of computer c (10.0.0.0/8). */
    private static String hostIp(int c) {
        int a = c / 254;
        return "10." + (1 + a / 256) + "." + (a % 256) + "." + (1 + c % 254);
    }

    /** Splits a template's JSON at its marks. */
    private static void split(String json, List<byte[][]> pieces, List<boolean[]> marks) {
        List<byte[]> p = new ArrayList<>();
        List<Boolean> m = new ArrayList<>();
        int from = 0;
        for (; ; ) {
            int t = json.indexOf(TIME_MARK, from);
            int r = json.indexOf(REMOTE_MARK, from);
            int next = t < 0 ? r : r < 0 ? t : Math.min(t, r);
            if (next < 0) {
                p.add(json.substring(from).getBytes(StandardCharsets.UTF_8));
                break;
            }
            p.add(json.substring(from, next).getBytes(StandardCharsets.UTF_8));
            boolean time = next == t;
            m.add(time);
            from = next + (time ? TIME_MARK : REMOTE_MARK).length();
        }
        boolean[] mm = new boolean[m.size()];
        for (int i = 0; i < mm.length; i++) {
            mm[i] = m.get(i);
        }
        pieces.add(p.toArray(new byte[0][]));
        marks.add(mm);
    }

    /**
     * The shape of the first {@code minutes} minutes, counted from the drawn addresses (no JSON):
     * shares of each kind, distinct addresses, the ten most called addresses' share, rows per
     * computer and minute, and (computer, process, remote IP) tuples repeated within a minute.
     */
    Map<String, Object> describe(int minutes) {
        long rows = rowsPerMinute * minutes;
        long[] byKind = new long[3];
        Map<Integer, long[]> calls = new java.util.HashMap<>();
        LongSet tuples = new LongSet((int) Math.min(rowsPerMinute, 1 << 24));
        long repeated = 0;
        long bytes = 0;
        for (long k = 0; k < rows; k++) {
            if (k % rowsPerMinute == 0) {
                tuples.clear();
            }
            long r = k % rowsPerMinute;
            int c = (int) (r * computers / rowsPerMinute);
            int j = (int) (r - batchStart(c));
            if (k / rowsPerMinute != batchMinute || c != batchComputer) {
                fill(k / rowsPerMinute, c);
            }
            byKind[kinds[j]]++;
            calls.computeIfAbsent(ips[j], x -> new long[1])[0]++;
            if (!tuples.add((long) ips[j] << 24 | (long) c << 4 | slots[j])) {
                repeated++;
            }
            if (k < 20_000) {
                bytes += row(k).length;
            }
        }
        long seenOnce = calls.values().stream().filter(v -> v[0] == 1).count();
        long top10 =
                calls.values().stream()
                        .mapToLong(v -> v[0])
                        .boxed()
                        .sorted(java.util.Comparator.reverseOrder())
                        .limit(10)
                        .mapToLong(Long::longValue)
                        .sum();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("minutes_sampled", minutes);
        d.put("rows", rows);
        d.put("computers", computers);
        d.put("rows_per_computer_minute", (double) rowsPerMinute / computers);
        d.put("share_listed", (double) byKind[LISTED] / rows);
        d.put("share_seen_once_in_run", (double) byKind[ONCE] / rows);
        d.put("share_recurring", (double) byKind[RECURRING] / rows);
        d.put("share_to_ips_seen_once_in_sample", (double) seenOnce / rows);
        d.put("share_top10_ips", (double) top10 / rows);
        d.put("distinct_ips_per_minute", (double) calls.size() / minutes);
        d.put("repeated_tuples_in_a_minute", repeated);
        d.put("row_bytes_mean", rows == 0 ? 0 : (double) bytes / Math.min(rows, 20_000));
        return d;
    }

    /** A set of non-zero longs (open addressing), cleared per batch. */
    static final class LongSet {
        private long[] keys;
        private int size;

        LongSet(int expected) {
            keys = new long[Integer.highestOneBit(Math.max(4, expected) * 2) * 2];
        }

        boolean add(long key) {
            if (size * 2 >= keys.length) {
                long[] old = keys;
                keys = new long[old.length * 2];
                size = 0;
                for (long k : old) {
                    if (k != 0) {
                        add(k);
                    }
                }
            }
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (keys[i] != 0) {
                if (keys[i] == key) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            size++;
            return true;
        }

        void clear() {
            java.util.Arrays.fill(keys, 0);
            size = 0;
        }
    }
}

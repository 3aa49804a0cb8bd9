package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.demo.ConnectionGenerator;
import io.tiflink.vmconn.demo.IocList;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's rows, from the project's own demo generators: VMConnection rows from {@link
 * ConnectionGenerator} (44 columns, ~700 bytes, a given share of them hitting listed IPs),
 * pre-serialized into one array, and ThreatIntelligenceIndicator rows from {@link
 * IocList#indicatorRow}, one per synthetic IOC, made on demand (a million of them would take a
 * gigabyte of heap as bytes).
 *
 * <p>Synthetic IOC k copies the descriptive columns of IOC k mod 423 of the public sample feed (so
 * descriptions, references and activity groups repeat as in a real feed) and gets its own public
 * IPv4 address, 45.0.0.1 + k. Its IndicatorId is the SHA-256 of the address (64 hex characters, as
 * Sentinel's ids). Connection hits are drawn from the first {@code listed} addresses; other remote
 * addresses lie in ranges that hold no indicator.
 */
public final class BenchData {

    /** Event time of the first connection row. */
    public static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    private static final byte[] TIME_KEY =
            "\"TimeGenerated\":\"".getBytes(StandardCharsets.US_ASCII);

    private final List<IocList.Ioc> feed;

    /** Pre-serialized VMConnection rows, in event-time order. */
    public final byte[][] connections;

    /** How many connection rows hit a listed address. */
    public final long hits;

    public final long bytes;

    /** Which rows hit a listed address. */
    private final java.util.BitSet hit;

    private final int listed;

    /** Latency run: hit rows, each to another listed address (see {@link #freshHit}). */
    private final byte[][] freshHits;

    private BenchData(
            List<IocList.Ioc> feed,
            byte[][] connections,
            long hits,
            long bytes,
            java.util.BitSet hit,
            int listed) {
        this.feed = feed;
        this.connections = connections;
        this.hits = hits;
        this.bytes = bytes;
        this.hit = hit;
        this.listed = listed;
        this.freshHits = freshHits(connections, hit, listed);
    }

    /**
     * @param rows connection rows
     * @param listed how many indicator addresses the hits are drawn from (the smallest indicator
     *     set)
     * @param hitRate share of rows whose RemoteIp is listed
     * @param eventRate rows per second of event time (row k has TimeGenerated T0 + k / eventRate)
     */
    public static BenchData generate(
            int rows, int listed, double hitRate, int hosts, double eventRate, long seed) {
        List<IocList.Ioc> feed = IocList.load();
        List<String> ips = new ArrayList<>(listed);
        for (int k = 0; k < listed; k++) {
            ips.add(indicatorIp(k));
        }
        ConnectionGenerator g = new ConnectionGenerator(ips, hitRate, hosts, seed);
        byte[][] out = new byte[rows][];
        java.util.BitSet hit = new java.util.BitSet(rows);
        long bytes = 0;
        double nanosPerRow = 1e9 / eventRate;
        for (int k = 0; k < rows; k++) {
            out[k] = ConnectionGenerator.bytes(g.next(T0.plusNanos((long) (k * nanosPerRow))));
            hit.set(k, g.lastWasHit());
            bytes += out[k].length;
        }
        return new BenchData(feed, out, g.hits(), bytes, hit, listed);
    }

    public boolean isHit(long k) {
        return hit.get((int) (k % connections.length));
    }

    /**
     * The latency run repeats the array when it needs more rows than it holds, and in first mode a
     * repeated hit (same indicator, same address, same hour) gives no alert. So each hit it emits
     * is instead the n-th of these: the array's hit rows in turn, with the listed address replaced
     * by listed address n (mod the listed count): a new alert group each, until they run out.
     */
    public byte[] freshHit(long n) {
        return freshHits.length == 0 ? null : freshHits[(int) (n % freshHits.length)];
    }

    private static byte[][] freshHits(byte[][] rows, java.util.BitSet hit, int listed) {
        List<byte[]> hitRows = new ArrayList<>();
        for (int k = hit.nextSetBit(0);
                k >= 0 && hitRows.size() < 1000;
                k = hit.nextSetBit(k + 1)) {
            hitRows.add(rows[k]);
        }
        if (hitRows.isEmpty()) {
            return new byte[0][];
        }
        com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
        byte[][] out = new byte[listed][];
        for (int n = 0; n < listed; n++) {
            byte[] row = hitRows.get(n % hitRows.size());
            try {
                String remote = mapper.readTree(row).get("RemoteIp").asText();
                String text = new String(row, StandardCharsets.UTF_8);
                out[n] =
                        text.replace('"' + remote + '"', '"' + indicatorIp(n) + '"')
                                .replace('(' + remote + '-', '(' + indicatorIp(n) + '-')
                                .replace('-' + remote + ':', '-' + indicatorIp(n) + ':')
                                .getBytes(StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * The public IPv4 address of synthetic IOC k: 45.0.0.1 + k (never private, never a benign
     * remote).
     */
    public static String indicatorIp(int k) {
        int v = (45 << 24) + 1 + k;
        return ((v >>> 24) & 255)
                + "."
                + ((v >>> 16) & 255)
                + "."
                + ((v >>> 8) & 255)
                + "."
                + (v & 255);
    }

    /** Indicator row k, observed at {@code observed}, live until {@code expires}, as JSON bytes. */
    public byte[] indicatorRow(int k, Instant observed, Instant expires) {
        return indicatorRow(k, indicatorIp(k), observed, expires);
    }

    /** The same with another address (the soak spreads its indicators over the address space). */
    public byte[] indicatorRow(int k, String ip, Instant observed, Instant expires) {
        IocList.Ioc b = feed.get(k % feed.size());
        IocList.Ioc ioc =
                new IocList.Ioc(
                        b.dateAdded(),
                        ip,
                        b.type(),
                        b.expiration(),
                        b.reference(),
                        b.activityGroupNames(),
                        b.targetedService(),
                        b.tags());
        return ConnectionGenerator.bytes(IocList.indicatorRow(ioc, observed, expires));
    }

    public int size() {
        return connections.length;
    }

    public double meanRowBytes() {
        return (double) bytes / connections.length;
    }

    /** Number of columns of a connection row. */
    public int columns() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(connections[0])
                    .size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A copy of {@code row} with its TimeGenerated replaced by {@code time} (same 28-character Log
     * Analytics format, so the row keeps its length): the latency run stamps rows as they enter the
     * source.
     */
    public static byte[] withTime(byte[] row, Instant time) {
        int at = indexOf(row, TIME_KEY);
        if (at < 0) {
            throw new IllegalArgumentException("row without TimeGenerated");
        }
        int from = at + TIME_KEY.length;
        byte[] t = ConnectionGenerator.logAnalyticsTime(time).getBytes(StandardCharsets.US_ASCII);
        byte[] copy = row.clone();
        System.arraycopy(t, 0, copy, from, t.length);
        if (copy[from + t.length] != '"') {
            throw new IllegalStateException("TimeGenerated is not in the 28-character format");
        }
        return copy;
    }

    private static int indexOf(byte[] a, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= a.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (a[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

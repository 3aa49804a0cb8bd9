package io.tiflink.vmconn.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap, read two ways. While the job runs, passively (no collection is forced): a listener on
 * the JVM's GC notifications keeps the heap used after the last collection of any kind; also the
 * old-generation pool's collection usage as the JVM reports it, GC time, full collections and the
 * process's resident memory. Under G1 the passive reading overstates the live data: young
 * collections leave the old generation's garbage (kept connections dropped after L, replaced
 * chunks) until a marking cycle and mixed collections take it, which a 4 GB heap may not start for
 * many minutes; measured in the soak, 1.1 GiB after young collections against 0.6 GiB live. So,
 * when nothing runs (the connection source held before its first row and after its last), {@link
 * #liveHeapBytes} forces full collections and reads the heap they leave: the live heap.
 */
final class HeapWatch {

    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private volatile long afterLastGc = -1;
    private volatile long afterLastFullGc = -1;

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                ((NotificationEmitter) gc)
                        .addNotificationListener(
                                (n, h) -> {
                                    if (GarbageCollectionNotificationInfo
                                            .GARBAGE_COLLECTION_NOTIFICATION
                                            .equals(n.getType())) {
                                        seen(
                                                GarbageCollectionNotificationInfo.from(
                                                        (CompositeData) n.getUserData()));
                                    }
                                },
                                null,
                                null);
            }
        }
    }

    private void seen(GarbageCollectionNotificationInfo info) {
        GcInfo gc = info.getGcInfo();
        long after = 0;
        for (Map.Entry<String, MemoryUsage> e : gc.getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(e.getKey())) {
                after += e.getValue().getUsed();
            }
        }
        afterLastGc = after;
        if (info.getGcAction().contains("major")) {
            afterLastFullGc = after;
        }
    }

    private static boolean isOld(String pool) {
        return pool.contains("Old") || pool.contains("Tenured");
    }

    private static boolean isHeapPool(String pool) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(pool)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    long maxHeapBytes() {
        return maxHeap;
    }

    /** Heap used after the last collection of any kind (-1 before the first). */
    long afterLastGcBytes() {
        return afterLastGc;
    }

    /**
     * Heap used after the last full collection (-1 before the first): the live heap at that moment,
     * when G1 fell back to one while the job ran.
     */
    long afterLastFullGcBytes() {
        return afterLastFullGc;
    }

    /** The old generation pool's collection usage, as the JVM reports it (-1 if unknown). */
    long oldCollectionUsageBytes() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && isOld(p.getName())) {
                MemoryUsage u = p.getCollectionUsage();
                return u == null ? -1 : u.getUsed();
            }
        }
        return -1;
    }

    static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Milliseconds spent in collections since the JVM started. */
    static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    /** Full (old-generation) collections since the JVM started. */
    static long fullCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Old") || gc.getName().contains("MarkSweep")) {
                n += Math.max(0, gc.getCollectionCount());
            }
        }
        return n;
    }

    /** The process's resident memory (heap, RocksDB, network buffers...), -1 if unknown. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    /**
     * Used heap after full collections, for the measurements taken while nothing runs (before the
     * connections flow, and after the last one): settles over up to five collections.
     */
    static long liveHeapBytes() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            // The heap pools as that collection left them (what runs meanwhile does not count).
            long now = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage u = p.getType() == MemoryType.HEAP ? p.getCollectionUsage() : null;
                now += u == null ? 0 : u.getUsed();
            }
            if (now >= used - used / 100) {
                return Math.min(now, used);
            }
            used = Math.min(used, now);
        }
        return used;
    }
}

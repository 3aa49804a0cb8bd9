package io.tiflink.vmconn.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Writes connection lines to a feed at an even pace over a given duration, on a thread of its own,
 * as VMs report their traffic: a stream the job works on while the test breaks things. While the
 * broker is down the producer holds the lines (it never drops one) and the stream waits with it.
 */
final class ConnectionStream {

    private final Feed feed;
    private final IntFunction<String> lines;
    private final int count;
    private final Duration duration;
    private final AtomicInteger sent = new AtomicInteger();
    private CompletableFuture<Void> done;

    ConnectionStream(Feed feed, List<String> lines, Duration duration) {
        this(feed, lines::get, lines.size(), duration);
    }

    /**
     * {@code count} lines made when they are due ({@code lines.apply(i)}: a live TimeGenerated).
     */
    ConnectionStream(Feed feed, IntFunction<String> lines, int count, Duration duration) {
        this.feed = feed;
        this.lines = lines;
        this.count = count;
        this.duration = duration;
    }

    ConnectionStream start() {
        done =
                CompletableFuture.runAsync(
                        () -> {
                            long start = System.nanoTime();
                            long perLine = duration.toNanos() / Math.max(1, count);
                            for (int i = 0; i < count; i++) {
                                long due = start + i * perLine;
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    try {
                                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                                feed.sendConnection(lines.apply(i));
                                sent.incrementAndGet();
                            }
                            feed.flush();
                        });
        return this;
    }

    /** Lines handed to the producer so far. */
    int sent() {
        return sent.get();
    }

    int size() {
        return count;
    }

    /** Waits until every line is written (flushed). */
    void awaitDone(Duration timeout) throws Exception {
        done.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}

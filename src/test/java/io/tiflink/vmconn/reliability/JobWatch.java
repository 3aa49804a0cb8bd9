package io.tiflink.vmconn.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Watches a job through the REST API, once a second, on a thread of its own: its state, whether
 * every task runs, restarts, completed and failed checkpoints, the latest completed checkpoint
 * (when it was acknowledged, its sizes) and the checkpoint the job last restored. Answers when the
 * job was back after an event, and the sizes of every checkpoint it saw.
 */
final class JobWatch implements AutoCloseable {

    /** One look at the job. */
    record Sample(
            Instant at,
            String state,
            boolean allRunning,
            long restarts,
            long completed,
            long failed,
            long latestId,
            long latestAckMillis,
            long restoredId) {}

    /** A completed checkpoint: full state size and what it uploaded (incremental), bytes. */
    record Checkpoint(long id, long ackMillis, long stateSize, long checkpointedSize) {}

    private final LocalFlinkCluster cluster;
    private final String jobId;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Checkpoint> checkpoints = new TreeMap<>();
    private final Thread thread;
    private volatile boolean stop;

    JobWatch(LocalFlinkCluster cluster, String jobId) {
        this.cluster = cluster;
        this.jobId = jobId;
        this.thread = new Thread(this::run, "job-watch-" + jobId);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stop) {
            try {
                sample();
            } catch (Exception e) {
                // the JobManager is busy or restarting the job: next time
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() throws Exception {
        JsonNode job = cluster.get("/jobs/" + jobId);
        boolean allRunning = job.path("state").asText().equals("RUNNING");
        for (JsonNode v : job.path("vertices")) {
            allRunning &= v.path("status").asText().equals("RUNNING");
        }
        JsonNode m = cluster.get("/jobs/" + jobId + "/metrics?get=numRestarts");
        long restarts = m.isArray() && m.size() > 0 ? m.get(0).path("value").asLong() : -1;
        JsonNode cp = cluster.checkpoints(jobId);
        JsonNode latest = cp.path("latest").path("completed");
        JsonNode restored = cp.path("latest").path("restored");
        Sample s =
                new Sample(
                        Instant.now(),
                        job.path("state").asText(),
                        allRunning,
                        restarts,
                        cp.path("counts").path("completed").asLong(),
                        cp.path("counts").path("failed").asLong(),
                        latest.path("id").asLong(-1),
                        latest.path("latest_ack_timestamp").asLong(-1),
                        restored.path("id").asLong(-1));
        synchronized (this) {
            samples.add(s);
            for (JsonNode h : cp.path("history")) {
                if (h.path("status").asText().equals("COMPLETED")) {
                    long id = h.path("id").asLong();
                    checkpoints.putIfAbsent(
                            id,
                            new Checkpoint(
                                    id,
                                    h.path("latest_ack_timestamp").asLong(),
                                    h.path("state_size").asLong(),
                                    h.path("checkpointed_size").asLong()));
                }
            }
        }
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    synchronized List<Checkpoint> checkpoints() {
        return new ArrayList<>(checkpoints.values());
    }

    synchronized Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    /** The first completed checkpoint acknowledged after {@code t}: when. */
    synchronized Optional<Instant> firstCheckpointAfter(Instant t) {
        return checkpoints.values().stream()
                .filter(c -> c.ackMillis() > t.toEpochMilli())
                .map(c -> Instant.ofEpochMilli(c.ackMillis()))
                .min(Instant::compareTo)
                .or(
                        () ->
                                samples.stream()
                                        .filter(s -> s.latestAckMillis() > t.toEpochMilli())
                                        .map(s -> Instant.ofEpochMilli(s.latestAckMillis()))
                                        .min(Instant::compareTo));
    }

    /**
     * The first look after {@code t} at which the job had restored a checkpoint other than the one
     * it had restored at {@code t}, and every task ran: the job back from a failure.
     */
    synchronized Optional<Sample> runningAgainAfter(Instant t) {
        long before = -1;
        for (Sample s : samples) {
            if (!s.at().isAfter(t)) {
                before = s.restoredId();
            } else if (s.allRunning() && s.restoredId() != before && s.restoredId() >= 0) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The greatest restart count seen. */
    synchronized long restarts() {
        return samples.stream().mapToLong(Sample::restarts).max().orElse(-1);
    }

    synchronized long failedCheckpoints() {
        return samples.stream().mapToLong(Sample::failed).max().orElse(0);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

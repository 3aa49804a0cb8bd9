package io.tiflink.vmconn.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink session cluster (one JobManager and N TaskManagers, each its own JVM) driven through
 * the project's scripts: {@code deploy/local/cluster.sh} starts, grows, crashes and stops it;
 * {@code submit.sh} and {@code savepoint.sh} submit and stop jobs as a user would. Observations
 * (job state, task placement, checkpoints, exceptions) come from the REST API.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path project;
    private final Path work;
    private final Path lib;
    private final int restPort;
    private final int rpcPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean started;
    private final Map<String, String> environment = new TreeMap<>();

    public LocalFlinkCluster(Path project, Path work, Path lib) throws IOException {
        this.project = project;
        this.work = work;
        this.lib = lib;
        this.restPort = freePort();
        this.rpcPort = freePort();
    }

    /**
     * Environment variables for every process the scripts start from now on (the JobManager, where
     * the job's {@code main} expands {@code ${NAME}}; FLINK_TM_MEMORY, ...).
     */
    public void environment(String name, String value) {
        environment.put(name, value);
    }

    public Path work() {
        return work;
    }

    public String restUrl() {
        return "http://localhost:" + restPort;
    }

    /**
     * {@code cluster.sh start N -D ...}: returns when the REST API answers and N TaskManagers are
     * registered.
     */
    public void start(int taskManagers, Map<String, String> overrides)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("start", Integer.toString(taskManagers)));
        overrides.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        started = true;
        script("cluster.sh", args, Duration.ofMinutes(3));
    }

    /** {@code cluster.sh add-tm}: one more TaskManager, registered when this returns. */
    public void addTaskManager() throws IOException, InterruptedException {
        script("cluster.sh", List.of("add-tm"), Duration.ofMinutes(2));
    }

    /** {@code cluster.sh kill-tm INDEX}: SIGKILL, as a crash or a lost machine. */
    public void killTaskManager(String resourceId) throws IOException, InterruptedException {
        script(
                "cluster.sh",
                List.of("kill-tm", resourceId.replace("tm-", "")),
                Duration.ofSeconds(30));
    }

    /** {@code submit.sh}: upload and run; returns the job id once every task runs. */
    public String submit(Path jar, int parallelism, String savepoint, List<String> jobArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-p", Integer.toString(parallelism)));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.add(jar.toString());
        args.add("--");
        args.addAll(jobArgs);
        return lastLine(script("submit.sh", args, Duration.ofMinutes(4)));
    }

    /** {@code savepoint.sh stop}: stop with a savepoint; returns its path. */
    public String stopWithSavepoint(String jobId) throws IOException, InterruptedException {
        return lastLine(script("savepoint.sh", List.of("stop", jobId), Duration.ofMinutes(5)));
    }

    /** Stops every process of the cluster ({@code cluster.sh stop}); idempotent. */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        try {
            script("cluster.sh", List.of("stop"), Duration.ofMinutes(1));
            started = false;
        } catch (Exception e) {
            System.err.println(
                    "cluster: stop failed ("
                            + e.getMessage()
                            + "); killing the pids in "
                            + work.resolve("pids"));
            killAllByPidFiles();
        }
    }

    /** The tail of every log, for a failure message. */
    public String logTails(int lines) {
        try {
            return script(
                    "cluster.sh", List.of("logs", Integer.toString(lines)), Duration.ofSeconds(30));
        } catch (Exception e) {
            return "(cannot read the logs: "
                    + e.getMessage()
                    + "; they are in "
                    + work.resolve("log")
                    + ")";
        }
    }

    // ---------------------------------------------------------------- processes

    /**
     * Resident memory of each of the cluster's processes, MB, by role (jobmanager, taskmanager-1,
     * ...).
     */
    public Map<String, Long> rssMegabytes() {
        Map<String, Long> out = new TreeMap<>();
        pids().forEach(
                        (role, pid) -> {
                            try {
                                for (String line :
                                        Files.readAllLines(
                                                Path.of("/proc", Long.toString(pid), "status"))) {
                                    if (line.startsWith("VmRSS:")) {
                                        out.put(
                                                role,
                                                Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                                    }
                                }
                            } catch (IOException e) {
                                // not running
                            }
                        });
        return out;
    }

    public Map<String, Long> pids() {
        Map<String, Long> out = new TreeMap<>();
        Path dir = work.resolve("pids");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".pid"))
                    .forEach(
                            f -> {
                                try {
                                    out.put(
                                            f.getFileName().toString().replace(".pid", ""),
                                            Long.parseLong(Files.readString(f).trim()));
                                } catch (IOException | NumberFormatException ignored) {
                                    // being written or removed
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The Prometheus reporter's port of a process, from its log ("Started PrometheusReporter HTTP
     * server on port N").
     */
    public OptionalLong prometheusPort(String role) throws IOException {
        Path log = work.resolve("log").resolve(role + ".log");
        if (!Files.exists(log)) {
            return OptionalLong.empty();
        }
        Matcher m =
                Pattern.compile("Started PrometheusReporter HTTP server on port (\\d+)")
                        .matcher(Files.readString(log, StandardCharsets.UTF_8));
        long port = -1;
        while (m.find()) {
            port = Long.parseLong(m.group(1));
        }
        return port < 0 ? OptionalLong.empty() : OptionalLong.of(port);
    }

    public String scrape(long port) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void killAllByPidFiles() {
        pids().values()
                .forEach(
                        pid ->
                                ProcessHandle.of(pid)
                                        .ifPresent(
                                                h -> {
                                                    if (h.info()
                                                            .commandLine()
                                                            .map(c -> c.contains(work.toString()))
                                                            .orElse(false)) {
                                                        h.destroyForcibly();
                                                    }
                                                }));
    }

    // ---------------------------------------------------------------- REST observations

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(15))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return MAPPER.readTree(r.body());
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        http.send(
                HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(15))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Whether the job is RUNNING with every task RUNNING. */
    public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** How many subtasks of the job each TaskManager runs, by resource id (tm-1, ...). */
    public Map<String, Integer> subtasksByTaskManager(String jobId)
            throws IOException, InterruptedException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            for (JsonNode s :
                    get("/jobs/" + jobId + "/vertices/" + v.path("id").asText()).path("subtasks")) {
                out.merge(s.path("taskmanager-id").asText(), 1, Integer::sum);
            }
        }
        return out;
    }

    public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return checkpoints(jobId).path("counts").path("completed").asLong();
    }

    /** The job's most recent failure, for messages: its root exception's first lines. */
    public String lastFailure(String jobId) {
        try {
            JsonNode entries =
                    get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
            if (entries.isEmpty()) {
                return "(no failure recorded)";
            }
            String trace = entries.get(0).path("stacktrace").asText();
            return trace.lines().limit(25).reduce((a, b) -> a + "\n" + b).orElse(trace);
        } catch (Exception e) {
            return "(cannot read the job's exceptions: " + e.getMessage() + ")";
        }
    }

    /**
     * Polls until the condition holds; on timeout fails with the message and the job's last
     * failure.
     */
    public void await(String what, Duration timeout, String jobId, Check condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.holds()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after "
                                + timeout.toSeconds()
                                + " s waiting for "
                                + what
                                + (jobId == null
                                        ? ""
                                        : "; job "
                                                + jobId
                                                + " is "
                                                + safeState(jobId)
                                                + ", its last failure:\n"
                                                + lastFailure(jobId)));
            }
            Thread.sleep(500);
        }
    }

    private String safeState(String jobId) {
        try {
            return jobState(jobId);
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** A condition polled by {@link #await}. */
    public interface Check {
        boolean holds() throws Exception;
    }

    // ---------------------------------------------------------------- scripts

    /** Runs deploy/local/NAME with this cluster's environment; returns its standard output. */
    private String script(String name, List<String> args, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(project.resolve("deploy/local").resolve(name).toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
        pb.environment().put("FLINK_WORK_DIR", work.toString());
        pb.environment().put("FLINK_LIB_DIR", lib.toString());
        pb.environment().put("FLINK_REST_PORT", Integer.toString(restPort));
        pb.environment().put("FLINK_RPC_PORT", Integer.toString(rpcPort));
        pb.environment().put("FLINK_REST_URL", restUrl());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(environment);
        Path out = Files.createTempFile(work, name + "-", ".out");
        Path err = Files.createTempFile(work, name + "-", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        System.out.print(prefix(name, stderr));
        if (!done || p.exitValue() != 0) {
            throw new IOException(
                    name
                            + " "
                            + String.join(" ", args)
                            + (done
                                    ? " failed (exit " + p.exitValue() + ")"
                                    : " did not finish within " + timeout.toSeconds() + " s")
                            + ":\n"
                            + stdout
                            + stderr);
        }
        if (name.equals("cluster.sh") && !args.get(0).equals("logs")) {
            System.out.print(prefix(name, stdout));
        }
        return stdout;
    }

    private static String prefix(String name, String text) {
        StringBuilder sb = new StringBuilder();
        text.lines()
                .filter(Predicate.not(String::isBlank))
                .forEach(l -> sb.append("  [").append(name).append("] ").append(l).append('\n'));
        return sb.toString();
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(Predicate.not(String::isBlank)).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("the script printed nothing on standard output");
        }
        return lines.get(lines.size() - 1).trim();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}

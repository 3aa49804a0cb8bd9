package io.tiflink.vmconn.savepoint;

import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import io.tiflink.vmconn.testing.ScenarioLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A savepoint taken by a released version of the job, with the data that made it: the first part of
 * both inputs went in before the savepoint, the alerts they gave are kept, the rest of the inputs
 * goes in after the restore. Kept under src/test/resources/savepoints/VERSION/.
 */
final class SavepointFixture {

    static final String INDICATORS = "indicators.jsonl";
    static final String CONNECTIONS = "connections.jsonl";
    static final String ALERTS_BEFORE = "alerts-before-savepoint.jsonl";
    static final String PROPERTIES = "fixture.properties";
    static final String SAVEPOINT = "savepoint";

    final Path dir;
    final List<String> indicators;
    final List<String> connections;
    final int indicatorLinesBefore;
    final int connectionLinesBefore;

    private SavepointFixture(
            Path dir,
            List<String> indicators,
            List<String> connections,
            int indBefore,
            int connBefore) {
        this.dir = dir;
        this.indicators = indicators;
        this.connections = connections;
        this.indicatorLinesBefore = indBefore;
        this.connectionLinesBefore = connBefore;
    }

    /**
     * The data of a new fixture: a generated scenario, every indicator shape of SPEC 6 and ranges
     * included (fixtures of 1.0.0 and 1.1.0 hold legacy rows only), one element per line in time
     * order (the job streams it with the out-of-orderness bound, so every row must be on time), cut
     * halfway through the connections.
     */
    static SavepointFixture generate(Path dir) {
        Scenario sc = ScenarioGenerator.generate(41, 300, false, ScenarioGenerator.Shapes.ALL);
        List<String> ind =
                ScenarioLines.sortedByTime(ScenarioLines.oneElementPerLine(sc.indicatorLines()));
        List<String> conn =
                ScenarioLines.sortedByTime(ScenarioLines.oneElementPerLine(sc.connectionLines()));
        long cut = ScenarioLines.firstTime(conn.get(conn.size() / 2));
        return new SavepointFixture(
                dir,
                ind,
                conn,
                ScenarioLines.countBefore(ind, cut),
                ScenarioLines.countBefore(conn, cut));
    }

    static SavepointFixture read(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(PROPERTIES))) {
            p.load(in);
        }
        return new SavepointFixture(
                dir,
                Files.readAllLines(dir.resolve(INDICATORS)),
                Files.readAllLines(dir.resolve(CONNECTIONS)),
                Integer.parseInt(p.getProperty("indicatorLinesBeforeSavepoint")),
                Integer.parseInt(p.getProperty("connectionLinesBeforeSavepoint")));
    }

    void writeData(String version) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(INDICATORS), indicators, StandardCharsets.UTF_8);
        Files.write(dir.resolve(CONNECTIONS), connections, StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("indicatorLinesBeforeSavepoint", Integer.toString(indicatorLinesBefore));
        p.setProperty("connectionLinesBeforeSavepoint", Integer.toString(connectionLinesBefore));
        p.setProperty("parallelismBeforeSavepoint", "1");
        p.setProperty("settings", "defaults (W 1h, L 1h, P 14d, bound 5m, final)");
        try (OutputStream out = Files.newOutputStream(dir.resolve(PROPERTIES))) {
            p.store(out, "savepoint fixture: see SavepointCompatibilityIT");
        }
    }

    /** Copies a directory tree (a savepoint) into the fixture or out of it. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}

package io.tiflink.vmconn.savepoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.GatedLines;
import io.tiflink.vmconn.testing.MiniClusters;
import io.tiflink.vmconn.testing.PhasedJob;
import io.tiflink.vmconn.testing.ReferenceSettings;
import io.tiflink.vmconn.workflow.AlertComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Savepoints of released versions, kept with the data that made them, restore in this build and the
 * job then gives the right alerts: those emitted before the savepoint plus those after it are
 * exactly the SPEC's alerts for the whole input. Every later release keeps the older fixtures
 * passing; a new release adds its own with {@code mvn verify -Dit.test=SavepointCompatibilityIT
 * -Dfixture.write=VERSION}.
 */
class SavepointCompatibilityIT {

    static final Path FIXTURES = Paths.get("src/test/resources/savepoints");

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path tmp;

    @ParameterizedTest(name = "savepoint of {0}")
    @ValueSource(strings = {"1.0.0", "1.1.0", "1.2.0"})
    void savepointOfAReleasedVersionRestoresAndTheJobGoesOnGivingTheRightAlerts(String version)
            throws Exception {
        SavepointFixture f = SavepointFixture.read(FIXTURES.resolve(version));
        Path savepoint = tmp.resolve("savepoint");
        SavepointFixture.copyTree(f.dir.resolve(SavepointFixture.SAVEPOINT), savepoint);
        SpecReference.Settings ref = SpecReference.Settings.defaults();

        PhasedJob.start(
                        f.indicators,
                        f.connections,
                        Long.MAX_VALUE,
                        Long.MAX_VALUE,
                        ReferenceSettings.toJob(ref),
                        2,
                        tmp.resolve("after.jsonl"),
                        tmp.resolve("dead.jsonl"),
                        savepoint.toUri().toString())
                .awaitEnd();

        List<ObjectNode> before =
                AlertComparison.readLines(f.dir.resolve(SavepointFixture.ALERTS_BEFORE));
        List<ObjectNode> after = AlertComparison.readLines(tmp.resolve("after.jsonl"));
        assertThat(after).as("the restored job emits alerts").isNotEmpty();
        List<ObjectNode> all = new ArrayList<>(before);
        all.addAll(after);
        List<ObjectNode> expected = SpecReference.expectedAlerts(f.indicators, f.connections, ref);
        AlertComparison.assertSameAlerts(all, expected);
        assertThat(all).as("none twice").hasSameSizeAs(expected);
    }

    @Test
    @EnabledIfSystemProperty(named = "fixture.write", matches = "\\d+\\.\\d+\\.\\d+")
    void writeFixtureOfThisVersion() throws Exception {
        String version = System.getProperty("fixture.write");
        Path dir = FIXTURES.resolve(version);
        assertThat(dir).as("fixtures are never overwritten").doesNotExist();
        SavepointFixture f = SavepointFixture.generate(dir);
        SpecReference.Settings ref = SpecReference.Settings.defaults();
        GatedLines.resetCounts();
        PhasedJob job =
                PhasedJob.start(
                        f.indicators,
                        f.connections,
                        f.indicatorLinesBefore,
                        f.connectionLinesBefore,
                        ReferenceSettings.toJob(ref),
                        1,
                        tmp.resolve("before.jsonl"),
                        tmp.resolve("dead.jsonl"),
                        null);
        String savepoint =
                job.stopWithSavepointAfter(
                        f.indicatorLinesBefore, f.connectionLinesBefore, tmp.resolve("savepoints"));
        f.writeData(version);
        Files.copy(tmp.resolve("before.jsonl"), dir.resolve(SavepointFixture.ALERTS_BEFORE));
        SavepointFixture.copyTree(
                Paths.get(java.net.URI.create(savepoint)), dir.resolve(SavepointFixture.SAVEPOINT));
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isGreaterThan(4);
        }
    }
}

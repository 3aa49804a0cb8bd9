package io.tiflink.vmconn.savepoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.GatedLines;
import io.tiflink.vmconn.testing.MiniClusters;
import io.tiflink.vmconn.testing.PhasedJob;
import io.tiflink.vmconn.testing.ReferenceSettings;
import io.tiflink.vmconn.testing.ScenarioLines;
import io.tiflink.vmconn.workflow.AlertComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint at parallelism 1, go on at parallelism 2, stop again and finish at
 * parallelism 1: the alerts of the three runs together are exactly the SPEC's alerts for the whole
 * input, none lost and none twice (broadcast, keyed state and timers are redistributed).
 */
class RescalingIT {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path dir;

    @Test
    void savepointAtParallelismOneRestoresAtTwoAndBackWithTheSameAlerts() throws Exception {
        Scenario base = ScenarioGenerator.generate(31, 500, false);
        SpecReference.Settings ref = SpecReference.Settings.defaults();
        List<String> ind = ScenarioLines.sortedByTime(base.indicatorLines());
        List<String> conn = ScenarioLines.sortedByTime(base.connectionLines());
        List<ObjectNode> expected = SpecReference.expectedAlerts(ind, conn, ref);
        var settings = ReferenceSettings.toJob(ref);

        // Cut both inputs at the same instants: a third and two thirds into the connections.
        long t1 = ScenarioLines.firstTime(conn.get(conn.size() / 3));
        long t2 = ScenarioLines.firstTime(conn.get(2 * conn.size() / 3));
        int ind1 = ScenarioLines.countBefore(ind, t1);
        int conn1 = ScenarioLines.countBefore(conn, t1);
        int ind2 = ScenarioLines.countBefore(ind, t2);
        int conn2 = ScenarioLines.countBefore(conn, t2);

        GatedLines.resetCounts();
        PhasedJob first =
                PhasedJob.start(
                        ind,
                        conn,
                        ind1,
                        conn1,
                        settings,
                        1,
                        dir.resolve("a1.jsonl"),
                        dir.resolve("d1.jsonl"),
                        null);
        String sp1 = first.stopWithSavepointAfter(ind1, conn1, dir.resolve("sp1"));

        GatedLines.resetCounts();
        PhasedJob second =
                PhasedJob.start(
                        ind,
                        conn,
                        ind2 - ind1,
                        conn2 - conn1,
                        settings,
                        2,
                        dir.resolve("a2.jsonl"),
                        dir.resolve("d2.jsonl"),
                        sp1);
        String sp2 = second.stopWithSavepointAfter(ind2 - ind1, conn2 - conn1, dir.resolve("sp2"));

        PhasedJob third =
                PhasedJob.start(
                        ind,
                        conn,
                        Long.MAX_VALUE,
                        Long.MAX_VALUE,
                        settings,
                        1,
                        dir.resolve("a3.jsonl"),
                        dir.resolve("d3.jsonl"),
                        sp2);
        third.awaitEnd();

        List<ObjectNode> all = new ArrayList<>();
        List<Integer> perRun = new ArrayList<>();
        for (String f : new String[] {"a1.jsonl", "a2.jsonl", "a3.jsonl"}) {
            List<ObjectNode> run = AlertComparison.readLines(dir.resolve(f));
            perRun.add(run.size());
            all.addAll(run);
        }
        assertThat(perRun.get(0) + perRun.get(1))
                .as("alerts came out before the last restore")
                .isPositive();
        AlertComparison.assertSameAlerts(all, expected);
        assertThat(all).as("none twice").hasSameSizeAs(expected);
    }
}

package io.tiflink.vmconn.reliability;

import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.ScenarioLines;
import java.time.Instant;
import java.util.List;

/**
 * A SPEC scenario of legacy rows as the reliability cases feed it: its indicator and connection
 * lines sorted by time (the order the reference reads them), and its settings in final mode with an
 * out-of-orderness bound that covers every row ({@link Reliability#coveringBound}).
 */
record ScenarioInput(
        Scenario scenario,
        List<String> indicators,
        List<String> connections,
        SpecReference.Settings settings) {

    /** The scenario {@code ScenarioGenerator} makes of this seed and size, without late rows. */
    static ScenarioInput legacy(long seed, int size) {
        Scenario sc =
                ScenarioGenerator.generate(seed, size, false, ScenarioGenerator.Shapes.LEGACY);
        List<String> ind = ScenarioLines.sortedByTime(sc.indicatorLines());
        List<String> conn = ScenarioLines.sortedByTime(sc.connectionLines());
        return new ScenarioInput(
                sc,
                ind,
                conn,
                Reliability.coveringBound(sc.settings().withEmitMode("final"), ind, conn));
    }

    /** How many dead letters the scenario's own lines make. */
    int deadLetterCount() {
        return scenario.deadLetterCount();
    }

    /** The later event time of the two inputs' last lines. */
    Instant lastTime() {
        return Instant.ofEpochSecond(
                0,
                Math.max(
                        ScenarioLines.firstTime(indicators.get(indicators.size() - 1)),
                        ScenarioLines.firstTime(connections.get(connections.size() - 1))));
    }
}

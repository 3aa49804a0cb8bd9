package io.tiflink.vmconn.reference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.SpecReference.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A generated test input: the two inputs as JSON Lines, in arrival order, plus the settings chosen
 * for it and the number of dead letters (unreadable lines, and unreadable rows or elements inside
 * envelopes, bundles and TAXII pages) it contains.
 */
public final class Scenario {

    public static final String INDICATORS_FILE = "indicators.jsonl";
    public static final String CONNECTIONS_FILE = "connections.jsonl";

    private final long seed;
    private final List<String> indicatorLines;
    private final List<String> connectionLines;
    private final Settings settings;
    private final int indicatorDeadLetters;
    private final int connectionDeadLetters;

    public Scenario(
            long seed,
            List<String> indicatorLines,
            List<String> connectionLines,
            Settings settings,
            int indicatorDeadLetters,
            int connectionDeadLetters) {
        this.seed = seed;
        this.indicatorLines = List.copyOf(indicatorLines);
        this.connectionLines = List.copyOf(connectionLines);
        this.settings = settings;
        this.indicatorDeadLetters = indicatorDeadLetters;
        this.connectionDeadLetters = connectionDeadLetters;
    }

    public long seed() {
        return seed;
    }

    /** Indicator input, one JSON Lines line each, in arrival order. */
    public List<String> indicatorLines() {
        return indicatorLines;
    }

    /** Connection input, one JSON Lines line each, in arrival order. */
    public List<String> connectionLines() {
        return connectionLines;
    }

    public Settings settings() {
        return settings;
    }

    /** The same inputs with other settings (for example the other emit mode). */
    public Scenario withSettings(Settings s) {
        return new Scenario(
                seed,
                indicatorLines,
                connectionLines,
                s,
                indicatorDeadLetters,
                connectionDeadLetters);
    }

    public int indicatorDeadLetterCount() {
        return indicatorDeadLetters;
    }

    public int connectionDeadLetterCount() {
        return connectionDeadLetters;
    }

    /**
     * Dead letters in both inputs: one per unreadable line, and one per unreadable row inside an
     * envelope.
     */
    public int deadLetterCount() {
        return indicatorDeadLetters + connectionDeadLetters;
    }

    /** The oracle's alerts for this scenario with its own settings. */
    public List<ObjectNode> expectedAlerts() {
        return SpecReference.expectedAlerts(indicatorLines, connectionLines, settings);
    }

    /** The oracle's full result for this scenario with its own settings. */
    public SpecReference.Result analyse() {
        return SpecReference.analyse(indicatorLines, connectionLines, settings);
    }

    /**
     * Writes {@value #INDICATORS_FILE} and {@value #CONNECTIONS_FILE} (UTF-8, '\n' after every
     * line) into dir.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(INDICATORS_FILE), joinLines(indicatorLines), StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve(CONNECTIONS_FILE), joinLines(connectionLines), StandardCharsets.UTF_8);
    }

    private static String joinLines(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Scenario{seed="
                + seed
                + ", indicators="
                + indicatorLines.size()
                + " lines, connections="
                + connectionLines.size()
                + " lines, deadLetters="
                + deadLetterCount()
                + ", settings="
                + settings
                + "}";
    }
}

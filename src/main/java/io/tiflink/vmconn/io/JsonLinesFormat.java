package io.tiflink.vmconn.io;

import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.HandOff;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * JSON Lines files for the FileSource: one record per line (a row or an envelope), parsed by {@link
 * RowParser} with the file and 1-based line number as the position. Blank lines are skipped. Files
 * are read whole by one reader (not splittable), so rows keep their file order.
 */
public class JsonLinesFormat extends SimpleStreamFormat<InputRecord> {

    private static final long serialVersionUID = 1L;

    private final RowParser parser;
    private final String sourceName;

    public JsonLinesFormat(RowParser parser, String sourceName) {
        this.parser = parser;
        this.sourceName = sourceName;
    }

    @Override
    public StreamFormat.Reader<InputRecord> createReader(
            Configuration config, FSDataInputStream stream) {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        return new StreamFormat.Reader<>() {
            private final ArrayDeque<InputRecord> ready = new ArrayDeque<>();
            private long lineNumber;

            @Override
            public InputRecord read() throws IOException {
                while (ready.isEmpty()) {
                    String line = lines.readLine();
                    if (line == null) {
                        return null;
                    }
                    lineNumber++;
                    if (!line.isBlank()) {
                        parser.parse(
                                line.getBytes(StandardCharsets.UTF_8),
                                sourceName,
                                -1,
                                lineNumber,
                                ready::add);
                    }
                }
                return ready.poll();
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return HandOff.of(InputRecord.class);
    }
}

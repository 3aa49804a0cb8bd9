package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Connection;
import java.util.Comparator;

/**
 * Which of two connections an alert reports (SPEC 3.2): the later TimeGenerated; on a tie, the
 * greater (Computer, Direction, ProcessName, SourceIp, DestinationIp, RemoteIp, Protocol,
 * DestinationPort), compared as text with a missing value first. Depends on the rows only, never on
 * timing or parallelism.
 */
public final class ConnectionOrder {

    private ConnectionOrder() {}

    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());

    /** Ascending: the greatest is the one to report. */
    public static final Comparator<Connection> PREFERENCE =
            Comparator.comparingLong((Connection c) -> c.timeGenerated)
                    .thenComparing(c -> c.computer, TEXT)
                    .thenComparing(c -> c.direction, TEXT)
                    .thenComparing(c -> c.processName, TEXT)
                    .thenComparing(c -> c.sourceIp, TEXT)
                    .thenComparing(c -> c.destinationIp, TEXT)
                    .thenComparing(c -> c.remoteIp, TEXT)
                    .thenComparing(c -> c.protocol, TEXT)
                    .thenComparing(c -> c.destinationPort, TEXT);
}

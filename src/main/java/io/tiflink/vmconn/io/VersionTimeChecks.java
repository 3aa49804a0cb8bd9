package io.tiflink.vmconn.io;

import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.util.function.Function;

/**
 * The version time of a row read by {@link RowParser}, judged: poison event time makes the row a
 * dead letter (a TimeGenerated missing, unreadable or outside the years the job holds; a version
 * time further ahead than the {@link MaxAhead} bound); a connection kept is marked late or not
 * (SPEC 4.4) by {@link ArrivalLateness}. One instance per parser; not thread-safe.
 */
final class VersionTimeChecks {

    private final MaxAhead maxAhead;
    private final ArrivalLateness lateness;

    VersionTimeChecks(MaxAhead maxAhead, long outOfOrdernessNanos) {
        this.maxAhead = maxAhead;
        this.lateness = new ArrivalLateness(outOfOrdernessNanos);
    }

    /** Why a row's TimeGenerated, read from {@code tgText} as {@code tg}, is unusable, or null. */
    static String timeProblem(String tgText, long tg) {
        return IndicatorObjects.timeProblem(
                "row without TimeGenerated", "TimeGenerated", tgText, tg);
    }

    /**
     * A row read, unless its version time lies further ahead than {@link #maxAhead} allows (then
     * its dead letter); a connection kept is marked late or not (SPEC 4.4) against the rows kept
     * before it.
     */
    InputRecord inTime(InputRecord r, RecordPosition at, Function<String, InputRecord> dead) {
        if (r.indicator != null) {
            Indicator i = r.indicator;
            String problem =
                    maxAhead.check(
                            at.source(),
                            at.partition(),
                            i.shape == Indicator.STIX
                                    ? "STIX version time (modified, else created)"
                                    : "TimeGenerated",
                            i.timeGenerated,
                            i.timeGeneratedDigits);
            return problem == null ? r : dead.apply(problem);
        }
        if (r.connection != null) {
            Connection c = r.connection;
            String problem =
                    maxAhead.check(
                            at.source(),
                            at.partition(),
                            "TimeGenerated",
                            c.timeGenerated,
                            c.timeGeneratedDigits);
            if (problem != null) {
                return dead.apply(problem);
            }
            c.late = lateness.isLate(at.source(), at.partition(), c.timeGenerated);
        }
        return r;
    }
}

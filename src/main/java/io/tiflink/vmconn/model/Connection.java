package io.tiflink.vmconn.model;

import java.util.Objects;

/**
 * The columns of a VMConnection row that the alert carries (SPEC 3.3). Other columns are read past:
 * they never reach state.
 */
public class Connection {

    /** Event time, nanoseconds since the epoch. */
    public long timeGenerated;

    public int timeGeneratedDigits;
    public String computer;
    public String direction;
    public String processName;
    public String sourceIp;
    public String destinationIp;

    /** As received (SPEC 3.3). */
    public String remoteIp;

    public String protocol;

    /** As received; the alert writes it as a number when it reads as one. */
    public String destinationPort;

    /** Canonical RemoteIp (SPEC 2.1); null until resolved. */
    public String ip;

    /**
     * The row arrived more than the out-of-orderness bound behind the greatest TimeGenerated of its
     * partition or file (SPEC 4.4).
     */
    public boolean late;

    /**
     * It reached the matcher behind the job's watermark and was judged at once, against the
     * indicators known then (SPEC 4.4).
     */
    public boolean judgedLate;

    public Connection() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Connection)) return false;
        Connection that = (Connection) o;
        return timeGenerated == that.timeGenerated
                && timeGeneratedDigits == that.timeGeneratedDigits
                && late == that.late
                && judgedLate == that.judgedLate
                && Objects.equals(computer, that.computer)
                && Objects.equals(direction, that.direction)
                && Objects.equals(processName, that.processName)
                && Objects.equals(sourceIp, that.sourceIp)
                && Objects.equals(destinationIp, that.destinationIp)
                && Objects.equals(remoteIp, that.remoteIp)
                && Objects.equals(protocol, that.protocol)
                && Objects.equals(destinationPort, that.destinationPort)
                && Objects.equals(ip, that.ip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeGenerated, computer, remoteIp, destinationPort);
    }

    @Override
    public String toString() {
        return "Connection{"
                + EventTimes.format(timeGenerated, timeGeneratedDigits)
                + ' '
                + computer
                + " -> "
                + remoteIp
                + (late ? " late" : "")
                + (judgedLate ? " judged-late" : "")
                + '}';
    }
}

package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.model.Indicator;

/** SPEC 1.1: which column of an indicator row holds its IP. */
public final class IndicatorIps {

    private IndicatorIps() {}

    /**
     * The first non-empty of NetworkIP, NetworkDestinationIP, NetworkSourceIP,
     * EmailSourceIpAddress; null if none.
     */
    public static String pickColumn(Indicator row) {
        if (!isEmpty(row.networkIp)) return row.networkIp;
        if (!isEmpty(row.networkDestinationIp)) return row.networkDestinationIp;
        if (!isEmpty(row.networkSourceIp)) return row.networkSourceIp;
        if (!isEmpty(row.emailSourceIpAddress)) return row.emailSourceIpAddress;
        return null;
    }

    /** Empty means null, or nothing but white space. */
    public static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }
}

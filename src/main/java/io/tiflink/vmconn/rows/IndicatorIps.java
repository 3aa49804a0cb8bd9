package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.model.Indicator;
import java.util.Set;

/**
 * Which column of an indicator row holds its IP: SPEC 1.1 for a legacy row, 6.2b for a
 * ThreatIntelIndicators row.
 */
public final class IndicatorIps {

    private IndicatorIps() {}

    /**
     * SPEC 1.1: the first non-empty of NetworkIP, NetworkDestinationIP, NetworkSourceIP,
     * EmailSourceIpAddress, then NetworkCidrBlock; null if none. A legacy row's NetworkCidrBlock
     * travels, as received, in {@link Indicator#ip} from the parser to here (the model has no
     * column for it, and alerts do not show it).
     */
    public static String pickColumn(Indicator row) {
        if (!isEmpty(row.networkIp)) return row.networkIp;
        if (!isEmpty(row.networkDestinationIp)) return row.networkDestinationIp;
        if (!isEmpty(row.networkSourceIp)) return row.networkSourceIp;
        if (!isEmpty(row.emailSourceIpAddress)) return row.emailSourceIpAddress;
        if (!isEmpty(row.ip)) return row.ip;
        return null;
    }

    /** Empty means null, or nothing but white space. */
    public static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }

    private static final Set<String> IP_OBJECT_TYPES =
            Set.of("ipv4-addr", "ipv6-addr", "network-traffic");

    /**
     * SPEC 6.2b: the object type of an ObservableKey: its text before the first ':', without '[',
     * ']' and '"', trimmed ({@code "[ipv4-addr:value]"} is ipv4-addr); "" for null.
     */
    public static String objectType(String observableKey) {
        if (observableKey == null) {
            return "";
        }
        int colon = observableKey.indexOf(':');
        String head = colon < 0 ? observableKey : observableKey.substring(0, colon);
        return head.replace("[", "").replace("]", "").replace("\"", "").strip();
    }

    /** SPEC 6.2b: an ObservableKey of an IP row: ipv4-addr, ipv6-addr or network-traffic. */
    public static boolean isIpKey(String observableKey) {
        return IP_OBJECT_TYPES.contains(objectType(observableKey));
    }
}

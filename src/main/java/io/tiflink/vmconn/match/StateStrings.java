package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Indicator;
import java.util.HashMap;

/**
 * One copy of the text that indicator versions repeat, for the versions the matcher keeps in
 * broadcast state (on the heap of every task). A feed repeats its descriptions, references,
 * activity groups, threat types and confidence scores across many indicators, and the received IP
 * column is almost always the canonical IP itself; every version arrives deserialized with its own
 * copies. Sharing them takes about a third off the bytes per indicator. Values only: the versions
 * compare and serialize exactly as before. Bounded: past {@link #MAX} distinct values new ones are
 * kept as they are.
 */
final class StateStrings {

    static final int MAX = 1 << 18;

    private final HashMap<String, String> seen = new HashMap<>();

    /** The version, its repeated text replaced by the copies already held (changed in place). */
    Indicator share(Indicator v) {
        v.description = share(v.description);
        v.activityGroupNames = share(v.activityGroupNames);
        v.threatType = share(v.threatType);
        v.url = share(v.url);
        v.confidenceScore = share(v.confidenceScore);
        v.networkIp = sameAs(v.networkIp, v.ip);
        v.networkDestinationIp = sameAs(v.networkDestinationIp, v.ip);
        v.networkSourceIp = sameAs(v.networkSourceIp, v.ip);
        v.emailSourceIpAddress = sameAs(v.emailSourceIpAddress, v.ip);
        return v;
    }

    private String share(String s) {
        if (s == null) {
            return null;
        }
        if (s.isEmpty()) {
            return "";
        }
        String held = seen.get(s);
        if (held != null) {
            return held;
        }
        if (seen.size() < MAX) {
            seen.put(s, s);
        }
        return s;
    }

    private String sameAs(String column, String ip) {
        return column != null && column.equals(ip) ? ip : share(column);
    }
}

package io.tiflink.vmconn.match;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.Target;
import java.util.List;

/**
 * Which targets (addresses and ranges) of the broadcast indicator state could hold an address: one
 * lookup per prefix length present, so that the cost of a connection does not grow with the number
 * of ranges (SPEC 6.4). Derived from the state's keys on every task alike (the broadcast stream is
 * the same everywhere), rebuilt after a restore, never checkpointed. It answers with candidate
 * target texts; the caller confirms each in the state (a digest may collide).
 */
final class TargetIndex {

    private final int[] targetsByPrefix = new int[129];
    private final LongCounts[] digestsByPrefix = new LongCounts[129];

    /** The prefix lengths present, longest first. */
    private int[] present = new int[0];

    /** A target (its canonical text) entered the state. */
    void add(String text) {
        Target t = Target.parse(text);
        if (t == null) {
            return;
        }
        int p = t.prefix128();
        if (digestsByPrefix[p] == null) {
            digestsByPrefix[p] = new LongCounts();
        }
        digestsByPrefix[p].add(Target.fingerprint(t.networkHigh(), t.networkLow(), p));
        if (targetsByPrefix[p]++ == 0) {
            refreshPresent();
        }
    }

    /** A target left the state. */
    void remove(String text) {
        Target t = Target.parse(text);
        if (t == null || targetsByPrefix[t.prefix128()] == 0) {
            return;
        }
        int p = t.prefix128();
        digestsByPrefix[p].remove(Target.fingerprint(t.networkHigh(), t.networkLow(), p));
        if (--targetsByPrefix[p] == 0) {
            digestsByPrefix[p] = null;
            refreshPresent();
        }
    }

    /**
     * Adds to {@code out} the texts of the targets that may hold {@code ip}, longest prefix first:
     * the address itself, and the ranges around it unless the address is excluded (SPEC 6.4b: a
     * range covers every address in it except the excluded ones).
     */
    void candidates(IpAddress ip, boolean excluded, List<String> out) {
        for (int p : present) {
            if (p < 128 && excluded) {
                continue;
            }
            if (digestsByPrefix[p].contains(Target.fingerprint(ip.high(), ip.low(), p))) {
                out.add(Target.textOf(ip, p));
            }
        }
    }

    /** Whether any target could hold {@code ip} (a cheap pre-check; may say yes wrongly). */
    boolean mayCover(IpAddress ip, boolean excluded) {
        for (int p : present) {
            if ((p == 128 || !excluded)
                    && digestsByPrefix[p].contains(Target.fingerprint(ip.high(), ip.low(), p))) {
                return true;
            }
        }
        return false;
    }

    private void refreshPresent() {
        int n = 0;
        for (int p = 128; p >= 0; p--) {
            if (targetsByPrefix[p] > 0) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int p = 128; p >= 0; p--) {
            if (targetsByPrefix[p] > 0) {
                out[k++] = p;
            }
        }
        present = out;
    }
}

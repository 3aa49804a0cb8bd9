package io.tiflink.vmconn.workflow;

import io.tiflink.vmconn.alert.AlertGroup;
import io.tiflink.vmconn.match.BufferedConnection;
import io.tiflink.vmconn.match.KeptChunk;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IpIndicators;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * Every state descriptor and output tag of the job, in one place: the functions, their tests and
 * savepoint tooling share them. Names are part of the savepoint format: never rename.
 */
public final class StateDescriptors {

    private StateDescriptors() {}

    /** Broadcast: canonical IP -> timelines of the indicators with a kept version for that IP. */
    public static final MapStateDescriptor<String, IpIndicators> INDICATORS_BY_IP =
            new MapStateDescriptor<>(
                    "indicators-by-ip", Types.STRING, TypeInformation.of(IpIndicators.class));

    /** Broadcast: IndicatorId -> the IPs under which its timeline is kept (sorted). */
    public static final MapStateDescriptor<String, String[]> INDICATOR_IPS =
            new MapStateDescriptor<>(
                    "indicator-ips", Types.STRING, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);

    /**
     * Broadcast: IndicatorId -> TimeGenerated (nanos) of the latest version of an indicator that
     * left the state, kept for P after it, so that an older row arriving after that does not bring
     * the indicator back (SPEC 1.5). Added in 1.1.0: older savepoints restore it empty.
     */
    public static final MapStateDescriptor<String, Long> INDICATOR_TOMBSTONES =
            new MapStateDescriptor<>("indicator-tombstones", Types.STRING, Types.LONG);

    /**
     * Keyed by bucket of addresses (SPEC 2.2): the connections kept for L, in chunks by minute.
     * Since 1.2.0.
     */
    public static final MapStateDescriptor<Long, KeptChunk> KEPT_CONNECTIONS =
            new MapStateDescriptor<>(
                    "kept-connections", Types.LONG, TypeInformation.of(KeptChunk.class));

    /**
     * Keyed by bucket: copies of the kept connections due to be judged at their own time (SPEC 2.2,
     * tau = t_c), by millisecond. Since 1.2.0.
     */
    public static final MapStateDescriptor<Long, KeptChunk> JUDGEMENTS_DUE =
            new MapStateDescriptor<>(
                    "judgements-due", Types.LONG, TypeInformation.of(KeptChunk.class));

    /**
     * Keyed by canonical address, release 1.x: connections by their Flink timestamp, kept for L.
     * Read only, from 1.x savepoints, until drained ({@code match.LegacyIpKeys}).
     */
    public static final MapStateDescriptor<Long, BufferedConnection[]> BUFFERED_CONNECTIONS =
            new MapStateDescriptor<>(
                    "buffered-connections",
                    Types.LONG,
                    Types.OBJECT_ARRAY(TypeInformation.of(BufferedConnection.class)));

    /**
     * Keyed by bucket (by address in 1.x): indicator versions waiting for the watermark to reach
     * the instant they can start matching at (their time, or ValidFrom).
     */
    public static final MapStateDescriptor<Long, Indicator[]> PENDING_PROBES =
            new MapStateDescriptor<>(
                    "pending-probes",
                    Types.LONG,
                    Types.OBJECT_ARRAY(TypeInformation.of(Indicator.class)));

    /**
     * Keyed like {@link #PENDING_PROBES} (since 1.2.0): its full chunks of an instant, sealed under
     * {@code instant * 2^19 + k}, so that adding a probe never rewrites all those waiting.
     */
    public static final MapStateDescriptor<Long, Indicator[]> PENDING_PROBE_CHUNKS =
            new MapStateDescriptor<>(
                    "pending-probe-chunks",
                    Types.LONG,
                    Types.OBJECT_ARRAY(TypeInformation.of(Indicator.class)));

    /** Keyed like {@link #PENDING_PROBES} (since 1.2.0): sealed chunks per instant. */
    public static final MapStateDescriptor<Long, Integer> PENDING_PROBE_CHUNK_COUNT =
            new MapStateDescriptor<>("pending-probe-chunk-count", Types.LONG, Types.INT);

    /** Keyed by (IP, IndicatorId): open alert groups by window start. */
    public static final MapStateDescriptor<Long, AlertGroup> ALERT_GROUPS =
            new MapStateDescriptor<>(
                    "alert-groups", Types.LONG, TypeInformation.of(AlertGroup.class));

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
}

package io.tiflink.vmconn.workflow;

/**
 * Operator uids. A savepoint is matched to operators by these: never change one; a new operator
 * gets a new uid.
 */
public final class Uids {

    private Uids() {}

    public static final String INDICATOR_SOURCE = "indicator-source";
    public static final String CONNECTION_SOURCE = "connection-source";
    public static final String INDICATOR_ROWS = "indicator-rows";
    public static final String CONNECTION_ROWS = "connection-rows";
    public static final String INDICATOR_PROBES = "indicator-probes";
    public static final String CONNECTION_INPUTS = "connection-inputs";
    public static final String INDICATOR_EVENTS = "indicator-events";
    public static final String WATERMARK_TICKS = "watermark-ticks";
    public static final String MATCHER = "indicator-matcher";
    public static final String ALERTS = "alert-groups";
    public static final String ALERT_SINK = "alert-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
}

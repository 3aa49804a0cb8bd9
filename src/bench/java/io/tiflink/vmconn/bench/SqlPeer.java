package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The peer: the same detection as a Flink SQL user would write it, over the same rows from the same
 * source and parser (so that the comparison is of the detection, not of JSON parsing).
 *
 * <ol>
 *   <li>Indicator rows: the rule's IP column (first non-empty of the four) and its exclusions, as
 *       text (LIKE / REGEXP), no canonical form.
 *   <li>Latest version in force: a versioned view (ROW_NUMBER dedup, keep last by event time) and
 *       an event-time temporal join {@code FOR SYSTEM_TIME AS OF} the connection's time. A temporal
 *       join must be keyed on the versioned table's primary key, so the view is keyed by the IP:
 *       one indicator per IP (like the rule's innerunique), not one per IndicatorId.
 *   <li>Active, not expired, observed within P of the connection.
 *   <li>Latest connection per (IndicatorId, RemoteIp) per hour: window deduplication (keep last)
 *       over a one-hour TUMBLE, emitted when the window closes (the job's final mode).
 * </ol>
 *
 * Not covered, unlike the job: an indicator arriving after the connection (retro-match within L),
 * late rows, IPv6 canonical form and the alert's extra fields. On the benchmark's rows (one
 * indicator per address, every indicator observed before the connections, dotted-quad IPv4) it must
 * give exactly the job's alert count.
 */
final class SqlPeer {

    static final String SQL_DETECTION =
            String.join(
                    "\n",
                    "SELECT indicatorId AS IndicatorId, remoteIp AS RemoteIp, window_start AS WindowStart,",
                    "       window_end AS WindowEnd, cTimeGenerated AS VMConnection_TimeGenerated, description AS Description,",
                    "       activityGroupNames AS ActivityGroupNames, threatType AS ThreatType, url AS Url,",
                    "       expiration AS ExpirationDateTime, confidenceScore AS ConfidenceScore, tiIp AS TI_ipEntity,",
                    "       computer AS Computer, direction AS Direction, processName AS ProcessName, sourceIp AS SourceIp,",
                    "       destinationIp AS DestinationIp, protocol AS Protocol, destinationPort AS DestinationPort,",
                    "       networkIp AS NetworkIP, networkDestinationIp AS NetworkDestinationIP,",
                    "       networkSourceIp AS NetworkSourceIP, emailSourceIpAddress AS EmailSourceIpAddress,",
                    "       SPLIT_INDEX(computer, '.', 0) AS HostName,",
                    "       CASE WHEN POSITION('.' IN computer) > 0 THEN SUBSTRING(computer FROM POSITION('.' IN computer) + 1)",
                    "            ELSE '' END AS DnsDomain",
                    "FROM (",
                    "  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, indicatorId, remoteIp",
                    "                               ORDER BY rowtime DESC) AS rn",
                    "  FROM TABLE(TUMBLE(TABLE matched, DESCRIPTOR(rowtime), INTERVAL '1' HOUR))",
                    ") WHERE rn = 1");

    private SqlPeer() {}

    static void define(
            StreamExecutionEnvironment env,
            RunControl run,
            DetectionSettings settings,
            int parallelism) {
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        DataStream<Indicator> indicators =
                BenchJobs.indicators(env, run, settings)
                        .filter(r -> r.indicator != null)
                        .setParallelism(1)
                        .name("indicator rows")
                        .map(r -> r.indicator, TypeInformation.of(Indicator.class))
                        .setParallelism(1)
                        .name("indicator rows");
        DataStream<Connection> connections =
                BenchJobs.connections(env, run, settings, parallelism)
                        .filter((InputRecord r) -> r.connection != null)
                        .setParallelism(parallelism)
                        .name("connection rows")
                        .map(r -> r.connection, TypeInformation.of(Connection.class))
                        .setParallelism(parallelism)
                        .name("connection rows");
        Schema rowtime =
                Schema.newBuilder()
                        .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                        .watermark("rowtime", "SOURCE_WATERMARK()")
                        .build();
        t.createTemporaryView("indicator_rows", t.fromDataStream(indicators, rowtime));
        t.createTemporaryView("connection_rows", t.fromDataStream(connections, rowtime));

        t.executeSql(
                String.join(
                        "\n",
                        "CREATE TEMPORARY VIEW ti AS",
                        "SELECT indicatorId, description, activityGroupNames, threatType, url, confidenceScore, active,",
                        "       expiration, timeGenerated AS tiTimeGenerated, networkIp, networkDestinationIp,",
                        "       networkSourceIp, emailSourceIpAddress, rowtime AS tiTime,",
                        "       COALESCE(NULLIF(TRIM(networkIp), ''), NULLIF(TRIM(networkDestinationIp), ''),",
                        "                NULLIF(TRIM(networkSourceIp), ''), NULLIF(TRIM(emailSourceIpAddress), '')) AS tiIp",
                        "FROM indicator_rows"));
        t.executeSql(
                String.join(
                        "\n",
                        "CREATE TEMPORARY VIEW ti_by_ip AS",
                        "SELECT * FROM (",
                        "  SELECT *, ROW_NUMBER() OVER (PARTITION BY tiIp ORDER BY tiTime DESC) AS rn",
                        "  FROM ti",
                        "  WHERE tiIp IS NOT NULL",
                        "    AND NOT (tiIp LIKE '10.%' OR tiIp LIKE '127.%' OR tiIp LIKE '192.168.%'",
                        "             OR REGEXP(tiIp, '^172\\.(1[6-9]|2[0-9]|3[01])\\.')",
                        "             OR LOWER(tiIp) LIKE 'fe80:%' OR tiIp LIKE '::%' OR REGEXP(LOWER(tiIp), '^f[cd][0-9a-f]{0,2}:'))",
                        ") WHERE rn = 1"));
        long p = settings.indicatorLookbackNanos();
        t.executeSql(
                String.join(
                        "\n",
                        "CREATE TEMPORARY VIEW matched AS",
                        "SELECT c.rowtime, c.timeGenerated AS cTimeGenerated, c.computer, c.direction, c.processName,",
                        "       c.sourceIp, c.destinationIp, c.remoteIp, c.protocol, c.destinationPort,",
                        "       i.indicatorId, i.description, i.activityGroupNames, i.threatType, i.url, i.expiration,",
                        "       i.confidenceScore, i.tiIp, i.networkIp, i.networkDestinationIp, i.networkSourceIp,",
                        "       i.emailSourceIpAddress",
                        "FROM connection_rows AS c",
                        "JOIN ti_by_ip FOR SYSTEM_TIME AS OF c.rowtime AS i",
                        "  ON c.remoteIp = i.tiIp",
                        "WHERE i.active AND c.timeGenerated < i.expiration AND i.tiTimeGenerated >= c.timeGenerated - "
                                + p));
        Table alerts = t.sqlQuery(SQL_DETECTION);
        t.toDataStream(alerts)
                .sinkTo(new EndSink<Row>(run.id, false))
                .name("SQL alerts (discarded)");
    }
}

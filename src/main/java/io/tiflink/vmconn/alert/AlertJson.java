package io.tiflink.vmconn.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import java.math.BigDecimal;

/**
 * The alert as JSON: the rule's output columns with their exact names (SPEC 3.3, 3.4), then the
 * fields of SPEC 3.5. Times are ISO-8601 UTC with the input's precision (SPEC 3.6).
 */
public final class AlertJson {

    public static final String RULE_NAME = "TI Map IP Entity to VMConnection";
    public static final String SEVERITY = "Medium";
    public static final String TACTIC = "CommandAndControl";
    public static final String TECHNIQUE = "T1071";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {}

    public static String toJson(Alert a) {
        return toNode(a).toString();
    }

    public static byte[] toBytes(Alert a) {
        try {
            return MAPPER.writeValueAsBytes(toNode(a));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toNode(Alert a) {
        Connection c = a.match.connection;
        Indicator i = a.match.indicator;
        String time = EventTimes.format(c.timeGenerated, c.timeGeneratedDigits);
        String target = a.match.target != null ? a.match.target : i.ip;
        ObjectNode n = MAPPER.createObjectNode();
        n.put("VMConnection_TimeGenerated", time);
        n.put("Description", i.description);
        n.put("ActivityGroupNames", i.activityGroupNames);
        if (i.shape == Indicator.LEGACY) {
            n.put("IndicatorId", i.indicatorId);
            n.put("ThreatType", i.threatType);
            n.put("Url", i.url);
            n.put("ExpirationDateTime", EventTimes.format(i.expiration, i.expirationDigits));
            putNumber(n, "ConfidenceScore", i.confidenceScore);
        } else {
            // SPEC 6.2e, 6.3e: the columns of rule version 1.4.6
            n.put("Id", i.indicatorId);
            n.put(
                    "ValidUntil",
                    i.hasValidUntil ? EventTimes.format(i.expiration, i.expirationDigits) : null);
            putNumber(n, "Confidence", i.confidenceScore);
        }
        n.put("TI_ipEntity", target);
        putConnection(n, c);
        if (i.shape == Indicator.LEGACY) {
            n.put("NetworkIP", i.networkIp);
            n.put("NetworkDestinationIP", i.networkDestinationIp);
            n.put("NetworkSourceIP", i.networkSourceIp);
            n.put("EmailSourceIpAddress", i.emailSourceIpAddress);
            n.put("Type", "ThreatIntelligenceIndicator");
        } else {
            n.put(
                    "NetworkSourceIP",
                    i.shape == Indicator.STIX && a.match.targetAsWritten != null
                            ? a.match.targetAsWritten
                            : i.networkSourceIp);
            n.put("Type", i.shape == Indicator.STIX ? "indicator" : "ThreatIntelIndicators");
            n.put("Url", "");
        }
        n.put("timestamp", time);
        n.put("HostName", hostName(c.computer));
        n.put("DnsDomain", dnsDomain(c.computer));
        putRuleFields(n, a, i.shape == Indicator.LEGACY ? i.url : "");
        return n;
    }

    private static void putConnection(ObjectNode n, Connection c) {
        n.put("Computer", c.computer);
        n.put("Direction", c.direction);
        n.put("ProcessName", c.processName);
        n.put("SourceIp", c.sourceIp);
        n.put("DestinationIp", c.destinationIp);
        n.put("RemoteIp", c.remoteIp);
        n.put("Protocol", c.protocol);
        putNumber(n, "DestinationPort", c.destinationPort);
    }

    /** SPEC 3.5: the rule, its entities, the window, the group, the detection, the emit mode. */
    private static void putRuleFields(ObjectNode n, Alert a, String url) {
        Connection c = a.match.connection;
        AlertGroups.Rule rule = AlertGroups.Rule.of(a.match.indicator);
        String hostName = hostName(c.computer);
        String dnsDomain = dnsDomain(c.computer);
        n.put("AlertId", a.alertId);
        n.put("AlertName", RULE_NAME);
        n.put("RuleId", rule.id);
        n.put("RuleVersion", rule.version);
        n.put("Severity", SEVERITY);
        n.putArray("Tactics").add(TACTIC);
        n.putArray("Techniques").add(TECHNIQUE);
        ArrayNode entities = n.putArray("Entities");
        entities.addObject()
                .put("Type", "host")
                .put("HostName", hostName)
                .put("DnsDomain", dnsDomain);
        entities.addObject().put("Type", "ip").put("Address", c.remoteIp);
        if (url != null && !url.isBlank()) {
            entities.addObject().put("Type", "url").put("Url", url);
        }
        n.put("WindowStart", windowTime(a.windowStartMillis));
        n.put("WindowEnd", windowTime(a.windowEndMillis));
        n.put("MatchCount", a.matchCount);
        n.put(
                "FirstConnectionTime",
                EventTimes.format(a.firstConnectionTimeNanos, a.firstConnectionTimeDigits));
        n.put(
                "LastConnectionTime",
                EventTimes.format(a.lastConnectionTimeNanos, a.lastConnectionTimeDigits));
        n.put(
                "DetectionTime",
                EventTimes.format(a.match.detectionTime, a.match.detectionTimeDigits));
        n.put("EmitMode", a.emitMode);
        n.put("Late", a.late);
        n.put("LateArrival", a.lateArrival);
        n.put("BehindWatermark", a.behindWatermark);
        n.put("AfterWindowClosed", a.afterWindowClosed);
    }

    /** SPEC 3.4: Computer's text before the first dot. */
    public static String hostName(String computer) {
        if (computer == null) return "";
        int dot = computer.indexOf('.');
        return dot < 0 ? computer : computer.substring(0, dot);
    }

    /** SPEC 3.4: the rest after the first dot; empty when there is none. */
    public static String dnsDomain(String computer) {
        if (computer == null) return "";
        int dot = computer.indexOf('.');
        return dot < 0 ? "" : computer.substring(dot + 1);
    }

    private static String windowTime(long millis) {
        return EventTimes.format(EventTimes.millisToNanos(millis), millis % 1000 == 0 ? 0 : 3);
    }

    /**
     * A number when the text reads as one (numbers may arrive as strings: SPEC 5.2), else the text.
     */
    static void putNumber(ObjectNode n, String field, String text) {
        if (text == null) {
            n.putNull(field);
            return;
        }
        String t = text.trim();
        try {
            n.put(field, Long.parseLong(t));
            return;
        } catch (NumberFormatException e) {
            // not an integer
        }
        try {
            if (!t.isEmpty()
                    && !t.equalsIgnoreCase("nan")
                    && !t.toLowerCase().contains("infinity")) {
                n.put(field, new BigDecimal(t));
                return;
            }
        } catch (NumberFormatException e) {
            // not a number
        }
        n.put(field, text);
    }
}

package io.tiflink.vmconn.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;

/**
 * The alert as an ECS 9.4 document of an indicator-match alert: the connection as the event
 * (host.*, source.*, destination.*, network.*, process.name), the rule (rule.*), ATT&CK (threat.*),
 * and the matched indicator in {@code threat.enrichments} (indicator.* and matched.*, type
 * indicator_match_rule). What ECS has no field for goes in {@code labels}. Names and values:
 * elastic/ecs 9.4.0 (docs/alerts.md).
 */
public final class EcsAlert {

    public static final String ECS_VERSION = "9.4.0";

    /** event.severity: OCSF's severity_id of Medium, so that both formats rank alike. */
    public static final int SEVERITY = OcsfAlert.SEVERITY_MEDIUM;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EcsAlert() {}

    public static ObjectNode toNode(Alert a) {
        Connection c = a.match.connection;
        ConnectionEnds ends = new ConnectionEnds(c);
        MatchedIndicator ind = new MatchedIndicator(a);
        AlertGroups.Rule rule = AlertGroups.Rule.of(ind.version);

        ObjectNode n = MAPPER.createObjectNode();
        n.put("@timestamp", EventTimes.format(c.timeGenerated, c.timeGeneratedDigits));
        n.putObject("ecs").put("version", ECS_VERSION);
        n.put("message", ind.message(c));
        ObjectNode event = n.putObject("event");
        event.put("kind", "alert");
        event.putArray("category").add("threat").add("network");
        event.putArray("type").add("indicator").add("connection");
        event.put("id", a.alertId);
        event.put("severity", SEVERITY);
        event.put(
                "start",
                EventTimes.format(a.firstConnectionTimeNanos, a.firstConnectionTimeDigits));
        event.put("end", EventTimes.format(a.lastConnectionTimeNanos, a.lastConnectionTimeDigits));
        n.putObject("rule")
                .put("id", rule.id)
                .put("uuid", rule.id)
                .put("name", AlertJson.RULE_NAME)
                .put("version", rule.version);
        n.putObject("observer")
                .put("vendor", AlertFormat.VENDOR)
                .put("product", AlertFormat.PRODUCT_NAME)
                .put("version", AlertFormat.PRODUCT_VERSION);
        putHost(n.putObject("host"), c, ends);
        putEnd(n, "source", c.sourceIp, ends.sourceIpOrRemote(), null);
        putEnd(
                n,
                "destination",
                c.destinationIp,
                ends.destinationIpOrRemote(),
                ends.destinationPort);
        putNetwork(n.putObject("network"), c, ends);
        if (MatchedIndicator.present(c.processName)) {
            n.putObject("process").put("name", c.processName);
        }
        putRelated(n.putObject("related"), c, ends);
        putThreat(n.putObject("threat"), a, ind, ends);
        n.set("labels", labels(a, ind));
        return n;
    }

    private static void putHost(ObjectNode h, Connection c, ConnectionEnds ends) {
        h.put("name", c.computer);
        h.put("hostname", AlertJson.hostName(c.computer));
        String domain = AlertJson.dnsDomain(c.computer);
        if (!domain.isEmpty()) {
            h.put("domain", domain);
        }
        if (ends.vmIp() != null) {
            h.putArray("ip").add(ends.vmIp());
        }
    }

    /** source.* or destination.*: the text as received (address), the canonical address (ip). */
    private static void putEnd(
            ObjectNode n, String name, String received, String canonical, Integer port) {
        if (received == null && canonical == null && port == null) {
            return;
        }
        ObjectNode e = n.putObject(name);
        if (MatchedIndicator.present(received)) {
            e.put("address", received);
        }
        if (canonical != null) {
            e.put("ip", canonical);
        }
        if (port != null) {
            e.put("port", port);
        }
    }

    /** Direction from the host's point of view (the VM's agent reports it): egress or ingress. */
    private static void putNetwork(ObjectNode net, Connection c, ConnectionEnds ends) {
        String d = c.direction == null ? "" : c.direction.trim();
        net.put(
                "direction",
                d.equalsIgnoreCase("outbound")
                        ? "egress"
                        : d.equalsIgnoreCase("inbound") ? "ingress" : "unknown");
        if (ends.transport != null) {
            net.put("transport", ends.transport);
        }
        if (ends.protocolNumber != null) {
            net.put("iana_number", Integer.toString(ends.protocolNumber));
        }
        if (ends.remoteIp != null) {
            net.put("type", ends.remoteIsV6 ? "ipv6" : "ipv4");
        }
    }

    private static void putRelated(ObjectNode r, Connection c, ConnectionEnds ends) {
        ArrayNode ips = r.putArray("ip");
        for (String ip : new String[] {ends.sourceIpOrRemote(), ends.destinationIpOrRemote()}) {
            if (ip != null) {
                ips.add(ip);
            }
        }
        if (MatchedIndicator.present(c.computer)) {
            r.putArray("hosts").add(c.computer);
        }
    }

    private static void putThreat(
            ObjectNode t, Alert a, MatchedIndicator ind, ConnectionEnds ends) {
        Indicator v = ind.version;
        t.put("framework", Attack.FRAMEWORK);
        ObjectNode tactic = t.putObject("tactic");
        tactic.putArray("id").add(Attack.TACTIC_ID);
        tactic.putArray("name").add(Attack.TACTIC_NAME);
        tactic.putArray("reference").add(Attack.TACTIC_URL);
        ObjectNode technique = t.putObject("technique");
        technique.putArray("id").add(Attack.TECHNIQUE_ID);
        technique.putArray("name").add(Attack.TECHNIQUE_NAME);
        technique.putArray("reference").add(Attack.TECHNIQUE_URL);
        if (MatchedIndicator.present(v.activityGroupNames)) {
            t.putObject("group").put("name", v.activityGroupNames.trim());
        }
        ObjectNode enrichment = t.putArray("enrichments").addObject();
        ObjectNode indicator = enrichment.putObject("indicator");
        if (!ind.range) {
            indicator.put("ip", ind.target); // a range is no value of ECS's ip type: name only
        }
        indicator.put("name", ind.target);
        indicator.put("type", ind.stixType());
        indicator.put("confidence", confidence(ind.confidence()));
        if (MatchedIndicator.present(v.description)) {
            indicator.put("description", v.description);
        }
        indicator.put("modified_at", ind.modified());
        ObjectNode matched = enrichment.putObject("matched");
        matched.put("atomic", ind.target);
        matched.put("field", ends.remoteIsSource ? "source.ip" : "destination.ip");
        matched.put("id", v.indicatorId);
        matched.put(
                "occurred", EventTimes.format(a.match.detectionTime, a.match.detectionTimeDigits));
        matched.put("type", "indicator_match_rule");
    }

    private static String confidence(MatchedIndicator.Confidence c) {
        switch (c) {
            case NONE:
                return "None";
            case LOW:
                return "Low";
            case MEDIUM:
                return "Medium";
            case HIGH:
                return "High";
            default:
                return "Not Specified";
        }
    }

    /** ECS labels (keyword values): the alert's facts that ECS has no field for. */
    private static ObjectNode labels(Alert a, MatchedIndicator ind) {
        Indicator v = ind.version;
        ObjectNode l = MAPPER.createObjectNode();
        l.put("indicator_source", ind.source());
        putIfPresent(l, "indicator_valid_from", ind.validFrom());
        putIfPresent(l, "indicator_expiration", ind.expiration());
        putIfPresent(l, "indicator_confidence_score", v.confidenceScore);
        putIfPresent(l, "threat_type", v.threatType);
        putIfPresent(l, "url", v.shape == Indicator.LEGACY ? v.url : null);
        ObjectNode rule = AlertJson.toNode(a);
        l.put("window_start", rule.get("WindowStart").asText());
        l.put("window_end", rule.get("WindowEnd").asText());
        l.put("match_count", Long.toString(a.matchCount));
        l.put("emit_mode", a.emitMode);
        l.put("late", Boolean.toString(a.late));
        l.put("late_arrival", Boolean.toString(a.lateArrival));
        l.put("behind_watermark", Boolean.toString(a.behindWatermark));
        l.put("after_window_closed", Boolean.toString(a.afterWindowClosed));
        return l;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (MatchedIndicator.present(value)) {
            n.put(field, value.trim());
        }
    }
}

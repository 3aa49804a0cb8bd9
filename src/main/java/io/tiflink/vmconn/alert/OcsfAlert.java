package io.tiflink.vmconn.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import java.util.List;

/**
 * The alert as an OCSF 1.8 Detection Finding (category Findings 2, class 2004) with the osint and
 * datetime profiles: the finding (uid = AlertId, the rule as its analytic, ATT&CK, first and last
 * seen), the VM as device, the remote IP and the host as observables, the matched indicator as
 * osint, the connection as evidence, and the rule's columns that have no OCSF attribute under
 * {@code unmapped}. Names and enumerations: ocsf/ocsf-schema 1.8.0 (docs/alerts.md).
 */
public final class OcsfAlert {

    public static final String SCHEMA_VERSION = "1.8.0";
    public static final int CATEGORY_UID = 2;
    public static final int CLASS_UID = 2004;
    public static final int ACTIVITY_CREATE = 1;
    public static final int ACTIVITY_UPDATE = 2;

    /** severity_id 3 = Medium, the rule's severity. */
    public static final int SEVERITY_MEDIUM = 3;

    /** The rule's columns that OCSF has no attribute for, copied as the rule writes them. */
    private static final List<String> UNMAPPED =
            List.of(
                    "RemoteIp",
                    "Url",
                    "NetworkIP",
                    "NetworkDestinationIP",
                    "NetworkSourceIP",
                    "EmailSourceIpAddress",
                    "Type",
                    "WindowStart",
                    "WindowEnd",
                    "EmitMode",
                    "Late",
                    "LateArrival",
                    "BehindWatermark",
                    "AfterWindowClosed");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OcsfAlert() {}

    public static ObjectNode toNode(Alert a) {
        Connection c = a.match.connection;
        ConnectionEnds ends = new ConnectionEnds(c);
        MatchedIndicator ind = new MatchedIndicator(a);
        AlertGroups.Rule rule = AlertGroups.Rule.of(ind.version);
        boolean update = a.afterWindowClosed;
        int activity = update ? ACTIVITY_UPDATE : ACTIVITY_CREATE;

        ObjectNode n = MAPPER.createObjectNode();
        n.put("activity_id", activity);
        n.put("activity_name", update ? "Update" : "Create");
        n.put("category_uid", CATEGORY_UID);
        n.put("category_name", "Findings");
        n.put("class_uid", CLASS_UID);
        n.put("class_name", "Detection Finding");
        n.put("type_uid", CLASS_UID * 100L + activity);
        n.put("type_name", "Detection Finding: " + (update ? "Update" : "Create"));
        n.put("severity_id", SEVERITY_MEDIUM);
        n.put("severity", AlertJson.SEVERITY);
        putTime(n, "time", a.match.detectionTime, a.match.detectionTimeDigits);
        putTime(n, "start_time", a.firstConnectionTimeNanos, a.firstConnectionTimeDigits);
        putTime(n, "end_time", a.lastConnectionTimeNanos, a.lastConnectionTimeDigits);
        n.put("count", a.matchCount);
        n.put("message", ind.message(c));
        n.put("is_alert", true);
        putConfidence(n, ind);
        Integer score = ind.wholeScore();
        if (score != null) {
            n.put("confidence_score", score);
        }
        n.set("metadata", metadata(c));
        n.set("finding_info", findingInfo(a, rule, ind));
        n.set("device", device(c, ends));
        n.set("observables", observables(c, ends));
        n.putArray("osint").add(osint(ind, ends));
        n.putArray("evidences").add(evidence(c, ends));
        n.set("unmapped", unmapped(a));
        return n;
    }

    private static ObjectNode metadata(Connection c) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("version", SCHEMA_VERSION);
        m.putObject("product")
                .put("name", AlertFormat.PRODUCT_NAME)
                .put("vendor_name", AlertFormat.VENDOR)
                .put("version", AlertFormat.PRODUCT_VERSION);
        m.putArray("profiles").add("osint").add("datetime");
        // The reported connection's TimeGenerated as the source wrote it (precision kept).
        m.put("original_time", EventTimes.format(c.timeGenerated, c.timeGeneratedDigits));
        return m;
    }

    private static ObjectNode findingInfo(Alert a, AlertGroups.Rule rule, MatchedIndicator ind) {
        ObjectNode f = MAPPER.createObjectNode();
        f.put("uid", a.alertId);
        f.put("title", AlertJson.RULE_NAME);
        f.putObject("analytic")
                .put("uid", rule.id)
                .put("name", AlertJson.RULE_NAME)
                .put("type_id", 1)
                .put("type", "Rule")
                .put("version", rule.version);
        ObjectNode attack = f.putArray("attacks").addObject();
        attack.putObject("tactic").put("uid", Attack.TACTIC_ID).put("name", Attack.TACTIC_NAME);
        attack.putObject("technique")
                .put("uid", Attack.TECHNIQUE_ID)
                .put("name", Attack.TECHNIQUE_NAME);
        f.putArray("data_sources").add("VMConnection").add(ind.source());
        putTime(f, "first_seen_time", a.firstConnectionTimeNanos, a.firstConnectionTimeDigits);
        putTime(f, "last_seen_time", a.lastConnectionTimeNanos, a.lastConnectionTimeDigits);
        return f;
    }

    /** The VM: host name, DNS domain, its own address; type Virtual (VMConnection is of VMs). */
    private static ObjectNode device(Connection c, ConnectionEnds ends) {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("hostname", c.computer);
        d.put("name", AlertJson.hostName(c.computer));
        String domain = AlertJson.dnsDomain(c.computer);
        if (!domain.isEmpty()) {
            d.put("domain", domain);
        }
        if (ends.vmIp() != null) {
            d.put("ip", ends.vmIp());
        }
        d.put("type_id", 6);
        d.put("type", "Virtual");
        return d;
    }

    /** The rule's entities: the host (type 1, Hostname) and the remote IP (type 2, IP Address). */
    private static ArrayNode observables(Connection c, ConnectionEnds ends) {
        ArrayNode o = MAPPER.createArrayNode();
        o.addObject()
                .put("name", "device.hostname")
                .put("type_id", 1)
                .put("type", "Hostname")
                .put("value", c.computer);
        o.addObject()
                .put("name", remoteField(ends))
                .put("type_id", 2)
                .put("type", "IP Address")
                .put("value", ends.remoteIp);
        return o;
    }

    private static String remoteField(ConnectionEnds ends) {
        return "evidences[0]." + (ends.remoteIsSource ? "src_endpoint" : "dst_endpoint") + ".ip";
    }

    /**
     * The matched indicator: type_id 1 (IP Address) for an address; for a range 99 (Other), type
     * Subnet, with the range also as subnet. The STIX pattern for the shapes that have one.
     */
    private static ObjectNode osint(MatchedIndicator ind, ConnectionEnds ends) {
        Indicator v = ind.version;
        ObjectNode o = MAPPER.createObjectNode();
        if (ind.range) {
            o.put("type_id", 99).put("type", "Subnet").put("value", ind.target);
            o.put("subnet", ind.target);
        } else {
            o.put("type_id", 1).put("type", "IP Address").put("value", ind.target);
        }
        o.put("name", remoteField(ends));
        o.put("uid", v.indicatorId);
        if (MatchedIndicator.present(v.description)) {
            o.put("desc", v.description);
        }
        putConfidence(o, ind);
        if (ind.expiration() != null) {
            putTime(o, "expiration_time", v.expiration, v.expirationDigits);
        }
        putTime(o, "modified_time", v.timeGenerated, v.timeGeneratedDigits);
        if (MatchedIndicator.present(v.threatType)) {
            o.put("category", v.threatType);
        }
        if (MatchedIndicator.present(v.activityGroupNames)) {
            o.putObject("threat_actor").put("name", v.activityGroupNames.trim());
        }
        String pattern = ind.pattern();
        if (pattern != null) {
            o.put("detection_pattern", pattern);
            o.put("detection_pattern_type_id", 1);
            o.put("detection_pattern_type", "STIX");
        }
        return o;
    }

    /** The connection: its two ends (the VM's named), the port, the protocol, the process. */
    private static ObjectNode evidence(Connection c, ConnectionEnds ends) {
        ObjectNode e = MAPPER.createObjectNode();
        ObjectNode src = endpoint(ends.sourceIpOrRemote(), ends.remoteIsSource ? null : c);
        ObjectNode dst = endpoint(ends.destinationIpOrRemote(), ends.remoteIsSource ? c : null);
        if (ends.destinationPort != null) {
            dst.put("port", ends.destinationPort);
        }
        if (src.size() > 0) {
            e.set("src_endpoint", src);
        }
        if (dst.size() > 0) {
            e.set("dst_endpoint", dst);
        }
        ObjectNode info = e.putObject("connection_info");
        String direction = c.direction == null ? "" : c.direction.trim();
        if (direction.equalsIgnoreCase("inbound")) {
            info.put("direction_id", 1).put("direction", "Inbound");
        } else if (direction.equalsIgnoreCase("outbound")) {
            info.put("direction_id", 2).put("direction", "Outbound");
        } else if (direction.isEmpty()) {
            info.put("direction_id", 0).put("direction", "Unknown");
        } else {
            info.put("direction_id", 99).put("direction", direction);
        }
        if (ends.transport != null) {
            info.put("protocol_name", ends.transport);
        }
        if (ends.protocolNumber != null) {
            info.put("protocol_num", ends.protocolNumber);
        }
        if (ends.remoteIp != null) {
            info.put("protocol_ver_id", ends.remoteIsV6 ? 6 : 4);
        }
        if (MatchedIndicator.present(c.processName)) {
            // VMConnection names the process only; OCSF's process needs pid, uid or cpid: the uid
            // given is the process group on the VM (Computer/ProcessName), as Service Map groups.
            e.putObject("process")
                    .put("name", c.processName)
                    .put("uid", c.computer + "/" + c.processName);
        }
        return e;
    }

    /** An end of the connection: its address; the VM's end also its host name. */
    private static ObjectNode endpoint(String ip, Connection vm) {
        ObjectNode p = MAPPER.createObjectNode();
        if (ip != null) {
            p.put("ip", ip);
        }
        if (vm != null && MatchedIndicator.present(vm.computer)) {
            p.put("hostname", vm.computer);
        }
        return p;
    }

    private static ObjectNode unmapped(Alert a) {
        ObjectNode rule = AlertJson.toNode(a);
        ObjectNode u = MAPPER.createObjectNode();
        for (String field : UNMAPPED) {
            JsonNode v = rule.get(field);
            if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
                u.set(field, v);
            }
        }
        MatchedIndicator ind = new MatchedIndicator(a);
        if (ind.wholeScore() == null) {
            // a score that is no whole number from 0 to 100: kept as the rule writes it
            String column =
                    ind.version.shape == Indicator.LEGACY ? "ConfidenceScore" : "Confidence";
            JsonNode v = rule.get(column);
            if (v != null && !v.isNull()) {
                u.set(column, v);
            }
        }
        if (ind.validFrom() != null) {
            u.put("ValidFrom", ind.validFrom());
        }
        return u;
    }

    /** confidence_id and its caption: STIX's scale, None as Other (OCSF has no None). */
    private static void putConfidence(ObjectNode n, MatchedIndicator ind) {
        switch (ind.confidence()) {
            case LOW:
                n.put("confidence_id", 1).put("confidence", "Low");
                break;
            case MEDIUM:
                n.put("confidence_id", 2).put("confidence", "Medium");
                break;
            case HIGH:
                n.put("confidence_id", 3).put("confidence", "High");
                break;
            case NONE:
                n.put("confidence_id", 99).put("confidence", "None");
                break;
            default:
                n.put("confidence_id", 0).put("confidence", "Unknown");
        }
    }

    /** An OCSF timestamp (epoch milliseconds) and, by the datetime profile, its RFC 3339 text. */
    static void putTime(ObjectNode n, String name, long nanos, int digits) {
        n.put(name, EventTimes.toMillis(nanos));
        n.put(name + "_dt", EventTimes.format(nanos, digits));
    }
}

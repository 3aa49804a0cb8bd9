package io.tiflink.vmconn.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.model.Alert;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * How an alert is written (the values of {@code --alert-format}): the rule's columns ({@link
 * AlertJson}, the default), an OCSF Detection Finding ({@link OcsfAlert}) or an ECS document of an
 * indicator-match alert ({@link EcsAlert}). The alert's content is the same in each; the mapping is
 * in docs/alerts.md.
 */
public enum AlertFormat {
    /** The rule's output columns and SPEC 3.5's fields (SPEC 3). */
    SENTINEL,
    /** OCSF 1.8 Detection Finding (class_uid 2004) with the osint profile. */
    OCSF,
    /** ECS 9.4 document: event.kind alert, threat.enrichments with the matched indicator. */
    ECS;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The job's name and version, as OCSF metadata.product and ECS observer.* give them. */
    public static final String PRODUCT_NAME = productProperty("name", "ti-ip-vmconnection");

    public static final String PRODUCT_VERSION = productProperty("version", "dev");

    /** The vendor named with the product. */
    public static final String VENDOR = "tiflink";

    public ObjectNode toNode(Alert a) {
        switch (this) {
            case OCSF:
                return OcsfAlert.toNode(a);
            case ECS:
                return EcsAlert.toNode(a);
            default:
                return AlertJson.toNode(a);
        }
    }

    /** One line of JSON (the replay's alert file). */
    public String toJson(Alert a) {
        return toNode(a).toString();
    }

    /** UTF-8 JSON (the Kafka record's value). */
    public byte[] toBytes(Alert a) {
        try {
            return MAPPER.writeValueAsBytes(toNode(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From product.properties (filtered by Maven), else the jar's manifest, else the default. */
    private static String productProperty(String key, String otherwise) {
        Properties p = new Properties();
        try (InputStream in = AlertFormat.class.getResourceAsStream("product.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // not there: the manifest or the default
        }
        String v = p.getProperty(key);
        if (v != null && !v.isBlank() && !v.startsWith("${")) {
            return v.trim();
        }
        String manifest = AlertFormat.class.getPackage().getImplementationVersion();
        return key.equals("version") && manifest != null ? manifest : otherwise;
    }
}

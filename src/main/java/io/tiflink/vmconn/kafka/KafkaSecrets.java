package io.tiflink.vmconn.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Kafka client properties hold secrets, and the properties as text with those masked: what
 * {@link KafkaSettings} prints.
 */
public final class KafkaSecrets {

    private static final String MASK = "******";

    /** A quoted value in a JAAS configuration: {@code key="value"}. */
    private static final Pattern QUOTED = Pattern.compile("=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private KafkaSecrets() {}

    /** Whether a client property holds a secret: never print its value. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.contains("credential")
                || k.contains("private.key")
                || k.endsWith("keystore.key")
                || k.contains("api.key")
                || k.contains("apikey");
    }

    /** The properties as text, secrets masked: safe to log. */
    public static String mask(Map<String, String> props) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(props)
                .forEach(
                        (k, v) -> {
                            if (sb.length() > 0) sb.append(", ");
                            sb.append(k).append('=').append(isSecret(k) ? MASK : v);
                        });
        return sb.toString();
    }

    /**
     * A message with every secret of these settings masked: the whole value of each secret
     * property, and each quoted value inside it (a JAAS configuration's password), for a client
     * library's message that quotes them.
     */
    public static String scrub(String message, Properties settings) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String key : settings.stringPropertyNames()) {
            String value = settings.getProperty(key);
            if (!isSecret(key) || value == null || value.isEmpty()) {
                continue;
            }
            out = out.replace(value, MASK);
            Matcher m = QUOTED.matcher(value);
            while (m.find()) {
                if (!m.group(1).isEmpty()) {
                    out = out.replace(m.group(1), MASK);
                }
            }
        }
        return out;
    }
}

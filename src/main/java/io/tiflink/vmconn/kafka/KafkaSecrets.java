package io.tiflink.vmconn.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which Kafka client properties hold secrets, and the properties as text with those masked: what
 * {@link KafkaSettings} prints.
 */
public final class KafkaSecrets {

    private static final String MASK = "******";

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
}

package io.tiflink.vmconn.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the job starts: can its settings reach Kafka? A wrong password, a mechanism the broker
 * does not take, or a broker certificate the truststore does not trust would otherwise fail every
 * task at every restart, forever, with a stack trace each time. Here it stops the start with one
 * line ({@link Refused}) that names the broker, the mechanism and what to check, and never a
 * secret.
 *
 * <p>Only those errors stop the start: a broker that does not answer in time may be restarting (the
 * job then waits for it, as after any outage), and a topic that does not exist, or that the
 * credentials may not describe, is logged as a warning (the job does not create topics).
 */
public final class KafkaAccess {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);

    /** How long the check waits for the broker. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaAccess() {}

    /** Kafka refused the job's credentials or the TLS handshake failed: one line says which. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message.replaceAll("\\s*[\\r\\n]+\\s*", " ")); // one line
        }
    }

    /**
     * Connects with the job's client settings and describes its four topics. Throws {@link Refused}
     * on an authentication or TLS failure; logs anything else and returns.
     */
    public static void check(KafkaSettings k) {
        Properties p = k.clientProperties();
        p.putIfAbsent("client.id", k.groupId() + "-access-check");
        p.put("request.timeout.ms", Long.toString(TIMEOUT.toMillis()));
        p.put("default.api.timeout.ms", Long.toString(TIMEOUT.toMillis()));
        List<String> topics =
                List.of(
                        k.indicatorsTopic(),
                        k.connectionsTopic(),
                        k.alertsTopic(),
                        k.deadLettersTopic());
        try (Admin admin = Admin.create(p)) {
            List<String> missing = new ArrayList<>();
            var described =
                    admin.describeTopics(
                                    topics,
                                    new DescribeTopicsOptions().timeoutMs((int) TIMEOUT.toMillis()))
                            .topicNameValues();
            for (String t : topics) {
                try {
                    described.get(t).get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof AuthenticationException) {
                        throw refused(k, (AuthenticationException) cause);
                    }
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        missing.add(t);
                    } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                        LOG.warn(
                                "Kafka at {} did not answer within {} s; starting anyway (the job"
                                        + " waits for the broker)",
                                k.bootstrapServers(),
                                TIMEOUT.toSeconds());
                        return;
                    } else {
                        LOG.warn("Kafka topic {}: {}", t, cause.toString());
                    }
                }
            }
            if (!missing.isEmpty()) {
                LOG.warn(
                        "Kafka at {} has no topic {}: the job does not create topics (see"
                                + " docs/kafka.md#topics)",
                        k.bootstrapServers(),
                        String.join(", ", missing));
            }
        } catch (TimeoutException e) {
            LOG.warn(
                    "Kafka at {} did not answer within {} s; starting anyway",
                    k.bootstrapServers(),
                    TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.apache.kafka.common.KafkaException e) {
            // e.g. a truststore file that cannot be read: the clients' own message, which names it
            throw new Refused(
                    "Kafka client settings for "
                            + k.bootstrapServers()
                            + " do not work: "
                            + rootMessage(e));
        }
    }

    /** The one line for an authentication or TLS failure. */
    static Refused refused(KafkaSettings k, AuthenticationException e) {
        String servers = k.bootstrapServers();
        if (e instanceof SslAuthenticationException) {
            String root = rootMessage(e);
            String why =
                    root.contains("PKIX") || root.contains("certification path")
                            ? "the broker's certificate is not signed by a CA in the truststore"
                                    + " (ssl.truststore.location)"
                            : root.toLowerCase(Locale.ROOT).contains("subject alternative name")
                                            || root.toLowerCase(Locale.ROOT).contains("hostname")
                                    ? "the broker's certificate does not name the host the job"
                                            + " connects to"
                                    : root;
            return new Refused(
                    "Kafka TLS handshake with " + servers + " failed: " + why + " (" + root + ")");
        }
        String mechanism = k.clientProperties().getProperty("sasl.mechanism", "GSSAPI");
        String what =
                e instanceof SaslAuthenticationException
                        ? "Kafka at "
                                + servers
                                + " refused the job's credentials (SASL "
                                + mechanism
                                + "): check the user and password in sasl.jaas.config /"
                                + " --sasl-jaas-config"
                        : "Kafka at "
                                + servers
                                + " refused the connection (SASL "
                                + mechanism
                                + ")";
        return new Refused(what + " (" + e.getMessage() + ")");
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}

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
     * Connects with the job's client settings and describes its four topics: the input topics with
     * the consumers' settings, the output topics with the producers' (one check when no setting is
     * given to one kind of client only). Throws {@link Refused} on an authentication or TLS
     * failure; logs anything else and returns.
     */
    public static void check(KafkaSettings k) {
        check(k, TIMEOUT);
    }

    /** As {@link #check(KafkaSettings)}, waiting at most {@code timeout} for the broker. */
    static void check(KafkaSettings k, Duration timeout) {
        List<String> inputs = List.of(k.indicatorsTopic(), k.connectionsTopic());
        List<String> outputs = List.of(k.alertsTopic(), k.deadLettersTopic());
        if (k.hasPerClientProperties()) {
            check(k, k.consumerProperties(), inputs, timeout);
            check(k, k.producerProperties(), outputs, timeout);
        } else {
            List<String> all = new ArrayList<>(inputs);
            all.addAll(outputs);
            check(k, k.clientProperties(), all, timeout);
        }
    }

    private static void check(
            KafkaSettings k, Properties settings, List<String> topics, Duration timeout) {
        Properties p = new Properties();
        p.putAll(settings);
        p.putIfAbsent("client.id", k.groupId() + "-access-check");
        p.put("request.timeout.ms", Long.toString(timeout.toMillis()));
        p.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
        try (Admin admin = Admin.create(p)) {
            List<String> missing = new ArrayList<>();
            var described =
                    admin.describeTopics(
                                    topics,
                                    new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                            .topicNameValues();
            for (String t : topics) {
                try {
                    described.get(t).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof AuthenticationException) {
                        throw refused(k, settings, (AuthenticationException) cause);
                    }
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        missing.add(t);
                    } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                        LOG.warn(
                                "Kafka at {} did not answer within {} s; starting anyway (the job"
                                        + " waits for the broker)",
                                k.bootstrapServers(),
                                timeout.toSeconds());
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
                    timeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.apache.kafka.common.KafkaException e) {
            // e.g. a truststore file that cannot be read: the clients' own message, which names it
            String root = rootMessage(e);
            throw new Refused(
                    "Kafka client settings for "
                            + k.bootstrapServers()
                            + " do not work: "
                            + (root.contains("JAAS config")
                                    // the parser quotes a piece of the setting, maybe of a password
                                    ? "sasl.jaas.config cannot be parsed: check its form"
                                            + " (LoginModule required key=\"value\" ...;) and that"
                                            + " no value holds an unescaped quote"
                                    : KafkaSecrets.scrub(root, settings)));
        }
    }

    /** The one line for an authentication or TLS failure, with the job's common settings. */
    static Refused refused(KafkaSettings k, AuthenticationException e) {
        return refused(k, k.clientProperties(), e);
    }

    /** The one line for an authentication or TLS failure of a client with these settings. */
    static Refused refused(KafkaSettings k, Properties settings, AuthenticationException e) {
        String servers = k.bootstrapServers();
        if (e instanceof SslAuthenticationException) {
            String root = KafkaSecrets.scrub(rootMessage(e), settings);
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
        String mechanism = settings.getProperty("sasl.mechanism", "GSSAPI");
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
        return new Refused(what + " (" + KafkaSecrets.scrub(e.getMessage(), settings) + ")");
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

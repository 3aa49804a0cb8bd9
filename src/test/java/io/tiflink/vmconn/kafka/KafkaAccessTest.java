package io.tiflink.vmconn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.job.KafkaJobConfig;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

/** The one line a refused start prints: what failed, where, what to check; never a secret. */
class KafkaAccessTest {

    private static final String PASSWORD = "pa55-w0rd-never-printed";

    private static KafkaSettings settings() {
        return KafkaJobConfig.parse(
                        false,
                        "--bootstrap-servers",
                        "broker:9093",
                        "--security-protocol",
                        "SASL_SSL",
                        "--sasl-mechanism",
                        "SCRAM-SHA-512",
                        "--sasl-jaas-config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"ti-job\" password=\""
                                + PASSWORD
                                + "\";",
                        "--kafka.ssl.truststore.password",
                        PASSWORD)
                .kafka;
    }

    @Test
    void aWrongPasswordNamesTheBrokerAndTheMechanismInOneLine() {
        String line =
                KafkaAccess.refused(
                                settings(),
                                new SaslAuthenticationException(
                                        "Authentication failed during authentication due to"
                                                + " invalid credentials with SASL mechanism"
                                                + " SCRAM-SHA-512"))
                        .getMessage();
        assertThat(line)
                .startsWith(
                        "Kafka at broker:9093 refused the job's credentials (SASL SCRAM-SHA-512)")
                .doesNotContain(PASSWORD)
                .doesNotContain("\n");
    }

    @Test
    void anUntrustedCertificateSaysSo() {
        SslAuthenticationException e =
                new SslAuthenticationException(
                        "SSL handshake failed",
                        new SSLHandshakeException(
                                "PKIX path building failed:\n unable to find valid certification"
                                        + " path to requested target"));
        String line = KafkaAccess.refused(settings(), e).getMessage();
        assertThat(line)
                .startsWith(
                        "Kafka TLS handshake with broker:9093 failed: the broker's certificate is"
                                + " not signed by a CA in the truststore")
                .doesNotContain(PASSWORD)
                .doesNotContain("\n");
    }
}

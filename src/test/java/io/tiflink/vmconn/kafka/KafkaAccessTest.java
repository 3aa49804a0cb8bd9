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

    @Test
    void aMessageOfTheClientLibraryThatQuotesAPasswordIsMasked() {
        var e = new SaslAuthenticationException("bad password \"" + PASSWORD + "\" for ti-job");
        String line = KafkaAccess.refused(settings(), e).getMessage();
        assertThat(line).doesNotContain(PASSWORD).contains("******");
    }

    @Test
    void aJaasConfigurationThatCannotBeParsedSaysSoWithoutQuotingAPieceOfIt() {
        // A password holding a quote, as ${KAFKA_PASSWORD} may expand: the JAAS parser quotes the
        // token after it in its own message.
        KafkaSettings k =
                KafkaJobConfig.parse(
                                false,
                                "--bootstrap-servers",
                                "127.0.0.1:9",
                                "--security-protocol",
                                "SASL_PLAINTEXT",
                                "--sasl-mechanism",
                                "PLAIN",
                                "--sasl-jaas-config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                        + " username=\"ti-job\" password=\"ab\"secretpart\";")
                        .kafka;
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> KafkaAccess.check(k, java.time.Duration.ofSeconds(1)))
                .isInstanceOf(KafkaAccess.Refused.class)
                .hasMessageContaining("sasl.jaas.config cannot be parsed")
                .hasMessageNotContaining("secretpart");
    }

    @Test
    void consumerAndProducerCredentialsGivenApartAreCheckedWithTheirOwnClients() {
        KafkaSettings k =
                KafkaJobConfig.parse(
                                false,
                                "--bootstrap-servers",
                                "127.0.0.1:9",
                                "--security-protocol",
                                "SASL_PLAINTEXT",
                                "--sasl-mechanism",
                                "PLAIN",
                                "--kafka.consumer.sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                        + " username=\"reader\" password=\"r\";",
                                "--kafka.producer.sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                        + " username=\"writer\" password=\"w\";")
                        .kafka;
        assertThat(k.hasPerClientProperties()).isTrue();
        // Nothing listens on port 9: the check must get as far as waiting for the broker (a
        // warning), not stop on a client it could not build without the shared JAAS entry.
        KafkaAccess.check(k, java.time.Duration.ofSeconds(1));
    }
}

package io.tiflink.vmconn.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * TLS material made by the test with the JDK's {@code keytool}, in a directory of its own: a CA,
 * the broker's key and certificate signed by it (for 127.0.0.1 and localhost), the clients'
 * truststore holding the CA; and a second CA, unrelated, whose truststore a client that must not
 * trust the broker gets. Valid for two days. Every store is PKCS12 with one password.
 */
record TestCertificates(
        Path dir,
        String storePassword,
        Path brokerKeystore,
        Path truststore,
        Path untrustedTruststore) {

    static TestCertificates make(Path dir, String storePassword) throws Exception {
        Files.createDirectories(dir);
        TestCertificates c =
                new TestCertificates(
                        dir,
                        storePassword,
                        dir.resolve("broker.p12"),
                        dir.resolve("truststore.p12"),
                        dir.resolve("other-ca-truststore.p12"));
        c.keyPair("ca.p12", "ca", "CN=ti-reliability-test-ca", "bc:c");
        c.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        c.keyPair("broker.p12", "broker", "CN=localhost", null);
        c.keytool("-certreq", "-alias", "broker", "-keystore", "broker.p12", "-file", "broker.csr");
        c.keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                "broker.csr",
                "-outfile",
                "broker.pem",
                "-validity",
                "2",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1");
        c.trust("ca", "broker.p12", "ca.pem");
        c.keytool(
                "-importcert",
                "-alias",
                "broker",
                "-keystore",
                "broker.p12",
                "-file",
                "broker.pem");
        c.trust("ca", "truststore.p12", "ca.pem");
        // A CA that signed nothing the broker shows.
        c.keyPair("other-ca.p12", "other", "CN=some-other-ca", "bc:c");
        c.keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "other",
                "-keystore",
                "other-ca.p12",
                "-file",
                "other-ca.pem");
        c.trust("other", "other-ca-truststore.p12", "other-ca.pem");
        return c;
    }

    /** A client's TLS properties that trust the broker (the test CA). */
    static Properties clientTls(TestCertificates c) {
        return clientTls(c.truststore(), c.storePassword());
    }

    static Properties clientTls(Path truststore, String password) {
        Properties p = new Properties();
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", password);
        return p;
    }

    private void keyPair(String store, String alias, String dname, String ext)
            throws IOException, InterruptedException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-genkeypair",
                                "-alias",
                                alias,
                                "-dname",
                                dname,
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-validity",
                                "2",
                                "-keystore",
                                store));
        if (ext != null) {
            args.addAll(List.of("-ext", ext));
        }
        keytool(args.toArray(new String[0]));
    }

    /** Imports a CA's certificate into the store as a trusted entry, without asking. */
    private void trust(String alias, String store, String certificate)
            throws IOException, InterruptedException {
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-keystore",
                store,
                "-file",
                certificate);
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Paths.get(System.getProperty("java.home"), "bin", "keytool")
                                        .toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", storePassword));
        Path out = dir.resolve("keytool.out");
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " failed:\n" + Files.readString(out));
        }
    }
}

package io.tiflink.vmconn.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The jars `mvn package` builds hold the job only: no demo, no benchmark, no test class or data.
 */
class JobJarIT {

    private static List<String> entries(Path jar) throws Exception {
        assertThat(jar).as("built by mvn package").exists();
        try (JarFile f = new JarFile(jar.toFile())) {
            return Collections.list(f.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    private static void assertNoDemoBenchOrTests(List<String> entries) {
        assertThat(entries)
                .filteredOn(
                        n ->
                                n.startsWith("io/tiflink/vmconn/demo/")
                                        || n.startsWith("io/tiflink/vmconn/bench/")
                                        || n.startsWith("io/tiflink/vmconn/reference/")
                                        || n.startsWith("io/tiflink/vmconn/testing/")
                                        || n.startsWith("demo/")
                                        || n.endsWith(".csv"))
                .isEmpty();
    }

    @Test
    void theClusterJobJarHoldsNoDemoClassOrData() throws Exception {
        Path jar = Path.of("target", System.getProperty("job.jar.name", "missing.jar"));
        List<String> entries = entries(jar);
        assertThat(entries).contains("io/tiflink/vmconn/job/TiVmConnectionJob.class");
        assertNoDemoBenchOrTests(entries);
    }

    @Test
    void theLocalJarHoldsNoDemoClassOrData() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            Path jar =
                    files.filter(p -> p.getFileName().toString().endsWith("-local.jar"))
                            .findFirst()
                            .orElseThrow();
            List<String> entries = entries(jar);
            assertThat(entries).contains("io/tiflink/vmconn/job/Cli.class");
            assertNoDemoBenchOrTests(entries);
        }
    }
}

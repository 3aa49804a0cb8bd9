package io.tiflink.vmconn.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * "Version 2" of the job, as a developer would ship it: the same sources with one more field in a
 * state type ({@code Indicator.upgradeMark}, set on every indicator row read, null in state
 * restored from version 1) and two more fields in the alert JSON ({@code IndicatorUpgradeMark}: the
 * field's value or "restored"; {@code JobBuild}: "changed"). Built from a copy of pom.xml and
 * src/main with Maven, offline, only the goals the job jar needs (compile, jar, the "job-jar" shade
 * execution), so it takes seconds rather than a full package.
 */
final class ChangedBuild {

    static final String MARK = "v2";
    static final String BUILD = "changed";

    private ChangedBuild() {}

    /** Builds the changed job jar under {@code dir}; returns its path. */
    static Path build(Path project, Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.copy(
                project.resolve("pom.xml"),
                src.resolve("pom.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        copyTree(project.resolve("src/main"), src.resolve("src/main"));
        patch(
                src.resolve("src/main/java/io/tiflink/vmconn/model/Indicator.java"),
                "public class Indicator",
                Pattern.compile("(public class Indicator\\b[^{]*\\{\\n)"),
                "$1\n    /** Added in version 2 (the cluster IT's changed build): null in state restored from version 1. */\n"
                        + "    public String upgradeMark;\n");
        patch(
                src.resolve("src/main/java/io/tiflink/vmconn/io/FastRowReader.java"),
                "Indicator X = new Indicator();",
                Pattern.compile("(\\n(\\s*)Indicator (\\w+) = new Indicator\\(\\);\\n)"),
                "$1$2$3.upgradeMark = \"" + MARK + "\";\n");
        patch(
                src.resolve("src/main/java/io/tiflink/vmconn/alert/AlertJson.java"),
                "the first `return n;` after `static ObjectNode toNode(Alert a)`",
                Pattern.compile(
                        "(static ObjectNode toNode\\(Alert (\\w+)\\)[\\s\\S]*?\\n)(\\s*)return n;"),
                "$1$3n.put(\"IndicatorUpgradeMark\", $2.match.indicator.upgradeMark == null ? \"restored\" "
                        + ": $2.match.indicator.upgradeMark);\n$3n.put(\"JobBuild\", \""
                        + BUILD
                        + "\");\n$3return n;");

        List<String> command =
                new ArrayList<>(
                        List.of(
                                maven(),
                                "-B",
                                "-q",
                                "-o",
                                "-Dmaven.repo.local=" + localRepository(),
                                "resources:resources",
                                "compiler:compile",
                                "jar:jar",
                                "shade:shade@job-jar"));
        Path log = dir.resolve("build.log");
        Process p =
                new ProcessBuilder(command)
                        .directory(src.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("the changed build did not finish in 5 minutes; its log: " + log);
        }
        Path jar = src.resolve("target").resolve(jobJarName());
        if (p.exitValue() != 0 || !Files.exists(jar)) {
            throw new IOException(
                    "the changed build failed ("
                            + String.join(" ", command)
                            + " in "
                            + src
                            + "):\n"
                            + Files.readString(log));
        }
        return jar;
    }

    /**
     * Applies one regex replacement; fails with what to update here when the source has moved on.
     */
    private static void patch(Path file, String anchor, Pattern pattern, String replacement)
            throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(
                    "the changed build cannot patch "
                            + file.getFileName()
                            + ": no "
                            + anchor
                            + " in it any more. Update the patch in "
                            + ChangedBuild.class.getName()
                            + " to add a field to a state type the new way.");
        }
        Files.writeString(file, m.replaceFirst(replacement), StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(
                    p -> {
                        try {
                            Path target = to.resolve(from.relativize(p).toString());
                            if (Files.isDirectory(p)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    }

    /** mvn from MAVEN_HOME / M2_HOME / maven.home, else the PATH. */
    private static String maven() {
        for (String home :
                new String[] {
                    System.getProperty("maven.home"),
                    System.getenv("MAVEN_HOME"),
                    System.getenv("M2_HOME")
                }) {
            if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
                return Path.of(home, "bin", "mvn").toString();
            }
        }
        return "mvn";
    }

    /** The job jar's file name as this build names it (failsafe passes {@code job.jar.name}). */
    static String jobJarName() {
        String name = System.getProperty("job.jar.name");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException(
                    "system property job.jar.name is not set: run this test through `mvn verify`");
        }
        return name;
    }

    /**
     * The local repository the outer build uses, found from a jar on the test classpath
     * (…/repository/org/apache/flink/flink-core/2.2.1/flink-core-2.2.1.jar), so the offline build
     * finds every plugin and dependency even when the outer build was given -Dmaven.repo.local.
     */
    static Path localRepository() {
        for (String entry :
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null
                    && p.getFileName().toString().startsWith("flink-core-")
                    && p.getNameCount() > 5
                    && p.getParent().getParent().getFileName().toString().equals("flink-core")) {
                return p.getParent().getParent().getParent().getParent().getParent().getParent();
            }
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}

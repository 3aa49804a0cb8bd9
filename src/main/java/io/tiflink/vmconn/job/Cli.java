package io.tiflink.vmconn.job;

import io.tiflink.vmconn.config.CommandLine;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Entry point of the self-contained {@code -local.jar}: {@code replay} (files) and {@code run}
 * (Kafka, on a local MiniCluster). Exit codes: 0 done, 2 a bad option (one line says which), 1 the
 * job failed.
 */
public final class Cli {

    private Cli() {}

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: java -jar ti-ip-vmconnection-local.jar COMMAND [options]",
                    "",
                    "commands:",
                    "  replay   replay an indicator file and a connection file (JSON Lines) and write"
                            + " the alerts",
                    "  run      run the Kafka job on a local MiniCluster until stopped",
                    "",
                    "COMMAND --help lists the command's options with their defaults.");

    static final String REPLAY_USAGE =
            "usage: java -jar ti-ip-vmconnection-local.jar replay --indicators IND.jsonl"
                    + " --connections CONN.jsonl --alerts A.jsonl --dead-letters D.jsonl"
                    + " [--emit final|first]";

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean help = Arrays.asList(rest).contains("--help");
        switch (command) {
            case "replay":
                if (help) {
                    out.println(CommandLine.help(REPLAY_USAGE, JobOptions.replay()));
                    return 0;
                }
                return exitCode(
                        () -> FileReplay.run(CommandLine.parse(JobOptions.replay(), rest), err),
                        err);
            case "run":
                if (help) {
                    out.println(
                            KafkaJobConfig.help(
                                    true, "java -jar ti-ip-vmconnection-local.jar run"));
                    return 0;
                }
                return exitCode(() -> KafkaRun.runLocal(rest, err), err);
            default:
                err.println("unknown command '" + command + "'\n\n" + USAGE);
                return 2;
        }
    }

    /**
     * Runs a command: its own exit code; 2 with one line naming the problem for a bad option; 1
     * with the root cause (then the trace) when the job failed.
     */
    public static int exitCode(Callable<Integer> command, PrintStream err) {
        try {
            return command.call();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("error: the job failed: " + rootMessage(e));
            e.printStackTrace(err);
            return 1;
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

package io.tiflink.vmconn;

import io.tiflink.vmconn.config.Options;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of the self-contained {@code -local.jar}: {@code replay} (files), {@code run} (Kafka,
 * on a local MiniCluster) and {@code demo}.
 */
public final class Cli {

    private Cli() {}

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: java -jar ti-ip-vmconnection-local.jar COMMAND [options]",
                    "",
                    "commands:",
                    "  replay   replay an indicator file and a connection file (JSON Lines) and write the alerts",
                    "  run      run the Kafka job on a local MiniCluster until stopped",
                    "  demo     start a local Kafka broker, feed it sample data and print alerts as they come",
                    "",
                    "COMMAND --help lists the command's options with their defaults.");

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
        try {
            switch (command) {
                case "replay":
                    {
                        Options o = FileReplay.options();
                        if (help) {
                            out.println(
                                    o.help(
                                            "usage: java -jar ti-ip-vmconnection-local.jar replay "
                                                    + "--indicators IND.jsonl --connections CONN.jsonl --alerts A.jsonl "
                                                    + "--dead-letters D.jsonl [--emit final|first]"));
                            return 0;
                        }
                        return FileReplay.run(o.parse(rest), err);
                    }
                case "run":
                    {
                        if (help) {
                            out.println(
                                    io.tiflink.vmconn.io.KafkaJob.help(
                                            io.tiflink.vmconn.io.KafkaJob.options(true),
                                            "java -jar ti-ip-vmconnection-local.jar run"));
                            return 0;
                        }
                        return io.tiflink.vmconn.io.KafkaJob.runLocal(rest, err);
                    }
                case "demo":
                    {
                        if (help) {
                            out.println(
                                    io.tiflink.vmconn.demo.Demo.options()
                                            .help(io.tiflink.vmconn.demo.Demo.USAGE));
                            return 0;
                        }
                        return io.tiflink.vmconn.demo.Demo.run(
                                io.tiflink.vmconn.demo.Demo.options().parse(rest), out, err);
                    }
                default:
                    err.println("unknown command '" + command + "'\n\n" + USAGE);
                    return 2;
            }
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

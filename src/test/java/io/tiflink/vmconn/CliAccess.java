package io.tiflink.vmconn;

import java.io.PrintStream;

/** Lets tests in other packages run the command line in-process. */
public final class CliAccess {

    private CliAccess() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(args, out, err);
    }
}

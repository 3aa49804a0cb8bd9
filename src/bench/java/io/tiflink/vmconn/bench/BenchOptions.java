package io.tiflink.vmconn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options: {@code --name value} pairs (or {@code --name=value}), each declared with
 * its default and meaning so that {@code --help} lists every setting. Unknown options are an error
 * that names the option, never silently ignored.
 */
final class BenchOptions {

    /** One declared option. */
    public static final class Option {
        public final String name;
        public final String defaultValue;
        public final String help;
        public final boolean secret;

        Option(String name, String defaultValue, String help, boolean secret) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.help = help;
            this.secret = secret;
        }
    }

    private final Map<String, Option> declared = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> repeated = new ArrayList<>();

    BenchOptions declare(String name, String defaultValue, String help) {
        declared.put(name, new Option(name, defaultValue, help, false));
        return this;
    }

    BenchOptions declareSecret(String name, String help) {
        declared.put(name, new Option(name, null, help, true));
        return this;
    }

    /** An option that may be given several times (values are joined with commas). */
    BenchOptions declareRepeated(String name, String defaultValue, String help) {
        repeated.add(name);
        return declare(name, defaultValue, help);
    }

    BenchOptions parse(String[] args) {
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + a + "': options look like --name value");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (k + 1 < args.length && !args[k + 1].startsWith("--")) {
                value = args[++k];
            } else {
                value = "true";
            }
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            if (repeated.contains(name)
                    && values.containsKey(name)
                    && !values.get(name).isEmpty()) {
                value = values.get(name) + "," + value;
            }
            values.put(name, value);
        }
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name) {
        Option o = declared.get(name);
        if (o == null) {
            throw new IllegalStateException("option --" + name + " is not declared");
        }
        return values.getOrDefault(name, o.defaultValue);
    }

    public String required(String name) {
        String v = get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing --" + name + " (see --help)");
        }
        return v;
    }

    public int getInt(String name) {
        try {
            return Integer.parseInt(get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " takes a whole number, not '" + get(name) + "'");
        }
    }

    public Duration getDuration(String name) {
        return io.tiflink.vmconn.config.Durations.parse(get(name));
    }

    public List<String> getList(String name) {
        String v = get(name);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** What --help prints: every option with its default. */
    public String help(String usage) {
        StringBuilder sb = new StringBuilder(usage).append("\n\nOptions:\n");
        for (Option o : declared.values()) {
            sb.append(
                    String.format(
                            "  --%-26s %s%n",
                            o.name + " " + (o.secret ? "SECRET" : "VALUE"), o.help));
            if (o.defaultValue != null && !o.defaultValue.isEmpty()) {
                sb.append(String.format("  %-28s (default: %s)%n", "", o.defaultValue));
            }
        }
        return sb.toString();
    }

    /** The options as given, secrets masked: safe to log. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        values.forEach(
                (k, v) ->
                        sb.append("--")
                                .append(k)
                                .append(' ')
                                .append(declared.get(k).secret ? "******" : v)
                                .append(' '));
        return sb.toString().trim();
    }
}

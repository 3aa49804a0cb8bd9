package io.tiflink.vmconn.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line read against the options a command declares: {@code --name value} pairs (or {@code
 * --name=value}; a flag without a value reads as {@code true}). Values are read by the typed {@link
 * Option}: {@code line.get(DetectionOptions.WINDOW)} is a Duration. An unknown option is an error
 * that names it, never silently ignored; a bad value is an error that names the option and what it
 * takes.
 */
public final class CommandLine {

    private final Map<String, Option<?>> declared = new LinkedHashMap<>();
    private final Map<String, String> given = new LinkedHashMap<>();

    private CommandLine(List<Option<?>> options) {
        for (Option<?> o : options) {
            declared.put(o.name(), o); // a later declaration (another default) wins
        }
    }

    /** Reads {@code args} against {@code options}. */
    public static CommandLine parse(List<Option<?>> options, String... args) {
        CommandLine line = new CommandLine(options);
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
            Option<?> o = line.declared.get(name);
            if (o == null) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            String before = line.given.get(name);
            if (o.isRepeatable() && before != null && !before.isEmpty()) {
                value = before + "," + value;
            }
            line.given.put(name, value);
        }
        line.declared.values().forEach(line::check); // every bad value now, not when first read
        return line;
    }

    private void check(Option<?> o) {
        if (given.containsKey(o.name())) {
            o.parse(given.get(o.name()));
        }
    }

    /** The option's value: as given, else the default this command declared for it. */
    public <T> T get(Option<T> option) {
        @SuppressWarnings("unchecked")
        Option<T> o = (Option<T>) declared.get(option.name());
        if (o == null) {
            throw new IllegalStateException(option + " is not an option of this command");
        }
        String text = given.get(o.name());
        return text == null ? o.defaultValue() : o.parse(text);
    }

    /** Whether this command has the option (by name). */
    public boolean declares(Option<?> option) {
        return declared.containsKey(option.name());
    }

    /** The value, which must be there (given, or a default). */
    public <T> T required(Option<T> option) {
        T v = get(option);
        if (v == null || v instanceof String && ((String) v).isBlank()) {
            throw new IllegalArgumentException("missing " + option + " (see --help)");
        }
        return v;
    }

    /** Whether the option was given on the command line. */
    public boolean isGiven(Option<?> option) {
        return given.containsKey(option.name());
    }

    /** The options as given, secrets masked: safe to log. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        given.forEach(
                (name, value) ->
                        parts.add(
                                "--"
                                        + name
                                        + ' '
                                        + (declared.get(name).isSecret() ? "******" : value)));
        return String.join(" ", parts);
    }

    /** What {@code --help} prints: the usage line, then every option with its default. */
    public static String help(String usage, List<Option<?>> options) {
        StringBuilder sb = new StringBuilder(usage).append("\n\nOptions:\n");
        for (Option<?> o : effective(options).values()) {
            sb.append(
                    String.format(
                            "  --%-26s %s%n",
                            o.name() + " " + (o.isSecret() ? "SECRET" : "VALUE"), o.description()));
            String d = o.formattedDefault();
            if (!d.isEmpty()) {
                sb.append(String.format("  %-28s (default: %s)%n", "", d));
            }
        }
        return sb.toString();
    }

    /** The options as a Markdown table (option, default, meaning), for docs/configuration.md. */
    public static String markdownTable(List<Option<?>> options) {
        StringBuilder sb = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
        for (Option<?> o : effective(options).values()) {
            String d = o.formattedDefault();
            sb.append("| `--")
                    .append(o.name())
                    .append("` | ")
                    .append(d.isEmpty() ? "" : "`" + d + "`")
                    .append(" | ")
                    .append(o.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** By name, in declaration order, a later declaration replacing an earlier one. */
    private static Map<String, Option<?>> effective(List<Option<?>> options) {
        Map<String, Option<?>> m = new LinkedHashMap<>();
        options.forEach(o -> m.put(o.name(), o));
        return m;
    }
}

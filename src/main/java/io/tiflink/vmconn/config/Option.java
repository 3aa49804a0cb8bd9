package io.tiflink.vmconn.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One command-line option, typed: its name ({@code --name}), default, description, and how its text
 * is read and shown. Options are declared once, as constants, in the class that owns them ({@link
 * DetectionOptions}, {@code kafka.KafkaOptions}, {@code job.JobOptions}); {@code --help} and the
 * option tables of docs/configuration.md are generated from those declarations.
 *
 * @param <T> the value's type
 */
public final class Option<T> {

    private final String name;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final boolean secret;
    private final boolean repeatable;

    private Option(
            String name,
            T defaultValue,
            String description,
            Function<String, T> parser,
            Function<T, String> formatter,
            boolean secret,
            boolean repeatable) {
        this.name = Objects.requireNonNull(name);
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description);
        this.parser = parser;
        this.formatter = formatter;
        this.secret = secret;
        this.repeatable = repeatable;
    }

    /** A duration written as 250ms, 30s, 5m, 1h, 14d or ISO-8601 (PT1H). */
    public static Option<Duration> duration(
            String name, Duration defaultValue, String description) {
        return new Option<>(
                name, defaultValue, description, Durations::parse, Durations::format, false, false);
    }

    /** A whole number. */
    public static Option<Integer> integer(String name, Integer defaultValue, String description) {
        return new Option<>(
                name,
                defaultValue,
                description,
                text -> parseInt(name, text),
                String::valueOf,
                false,
                false);
    }

    /** Text; a null default means the option has none. */
    public static Option<String> text(String name, String defaultValue, String description) {
        return new Option<>(name, defaultValue, description, String::trim, s -> s, false, false);
    }

    /** Text that is never printed (masked in logs and descriptions). */
    public static Option<String> secret(String name, String description) {
        return new Option<>(name, null, description, s -> s, s -> s, true, false);
    }

    /** One of the constants of an enum, written in lower case with dashes. */
    public static <E extends Enum<E>> Option<E> choice(
            String name, Class<E> type, E defaultValue, String description) {
        return new Option<>(
                name,
                defaultValue,
                description,
                text -> parseChoice(name, type, text),
                Option::label,
                false,
                false);
    }

    /** A list: comma-separated, and the option may be given several times (values add up). */
    public static Option<List<String>> list(
            String name, List<String> defaultValue, String description) {
        return new Option<>(
                name,
                List.copyOf(defaultValue),
                description,
                text ->
                        Arrays.stream(text.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList(),
                values -> String.join(",", values),
                false,
                true);
    }

    /** The same option with another default (a command whose defaults differ, as the demo's). */
    public Option<T> withDefault(T newDefault) {
        return new Option<>(name, newDefault, description, parser, formatter, secret, repeatable);
    }

    /** The same option with another description. */
    public Option<T> withDescription(String newDescription) {
        return new Option<>(
                name, defaultValue, newDescription, parser, formatter, secret, repeatable);
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    public boolean isRepeatable() {
        return repeatable;
    }

    /** Reads the option's text; IllegalArgumentException naming the option when it cannot. */
    public T parse(String text) {
        return parser.apply(text);
    }

    /** The value as a user would write it (never used for secrets). */
    public String format(T value) {
        return value == null ? "" : formatter.apply(value);
    }

    /** The default as a user would write it; empty when there is none. */
    public String formattedDefault() {
        return format(defaultValue);
    }

    /** An enum constant as the command line writes it: {@code EXACTLY_ONCE} is exactly-once. */
    public static String label(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static int parseInt(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " takes a whole number, not '" + text + "'");
        }
    }

    private static <E extends Enum<E>> E parseChoice(String name, Class<E> type, String text) {
        String t = text.trim().replace('_', '-');
        for (E e : type.getEnumConstants()) {
            if (label(e).equalsIgnoreCase(t)) {
                return e;
            }
        }
        String[] labels =
                Arrays.stream(type.getEnumConstants()).map(Option::label).toArray(String[]::new);
        throw new IllegalArgumentException(
                "--" + name + " takes " + String.join(" or ", labels) + ", not '" + text + "'");
    }

    @Override
    public String toString() {
        return "--" + name;
    }
}

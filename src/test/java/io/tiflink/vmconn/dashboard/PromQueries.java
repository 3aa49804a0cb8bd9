package io.tiflink.vmconn.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The PromQL of a Grafana dashboard, read for the metric selectors it names: every panel's and
 * every template variable's query, each selector with its metric name and label matchers. Enough of
 * PromQL for a dashboard (functions, aggregations with by/without, vector matching, ranges,
 * numbers, Grafana's $variables); a bare word that is no function or keyword is a metric name.
 */
final class PromQueries {

    /** A metric name and its label matchers (op is =, !=, =~ or !~). */
    record Selector(String metric, List<Matcher> matchers) {
        /** Whether a sample of this name with these labels is one the selector selects. */
        boolean selects(String name, Map<String, String> labels) {
            return metric.equals(name) && matchers.stream().allMatch(m -> m.matches(labels));
        }

        @Override
        public String toString() {
            return metric + matchers;
        }
    }

    record Matcher(String label, String op, String value) {
        boolean matches(Map<String, String> labels) {
            if (value.contains("$")) {
                return true; // a Grafana variable: any value the user may pick
            }
            String v = labels.getOrDefault(label, "");
            switch (op) {
                case "=":
                    return v.equals(value);
                case "!=":
                    return !v.equals(value);
                case "=~":
                    return Pattern.compile(value).matcher(v).matches();
                default:
                    return !Pattern.compile(value).matcher(v).matches();
            }
        }

        @Override
        public String toString() {
            return label + op + '"' + value + '"';
        }
    }

    static final Set<String> FUNCTIONS =
            Set.of(
                    "abs",
                    "absent",
                    "avg",
                    "avg_over_time",
                    "bottomk",
                    "ceil",
                    "changes",
                    "clamp_max",
                    "clamp_min",
                    "count",
                    "count_values",
                    "delta",
                    "deriv",
                    "floor",
                    "group",
                    "histogram_quantile",
                    "increase",
                    "irate",
                    "label_replace",
                    "last_over_time",
                    "max",
                    "max_over_time",
                    "min",
                    "min_over_time",
                    "quantile",
                    "rate",
                    "resets",
                    "round",
                    "scalar",
                    "sort",
                    "sort_desc",
                    "stddev",
                    "sum",
                    "sum_over_time",
                    "time",
                    "timestamp",
                    "topk",
                    "vector");

    /** Keywords followed by a list of label names. */
    static final Set<String> LABEL_LISTS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    private PromQueries() {}

    /** Every query of the dashboard, by where it is (panel title / variable name). */
    static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                JsonNode q = v.path("query");
                out.put(
                        "variable $" + v.path("name").asText(),
                        q.isObject() ? q.path("query").asText() : q.asText());
            }
        }
        collectPanels(dashboard.path("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, Map<String, String> out) {
        for (JsonNode p : panels) {
            int i = 0;
            for (JsonNode t : p.path("targets")) {
                out.put(
                        p.path("title").asText() + " #" + (i++) + " " + t.path("refId").asText(),
                        t.path("expr").asText());
            }
            collectPanels(p.path("panels"), out);
        }
    }

    /** The selectors of one PromQL expression (or of a Grafana label_values() query). */
    static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char ch = expr.charAt(i);
            if (ch == '"' || ch == '\'') {
                i = skipString(expr, i);
            } else if (ch == '[') {
                i = expr.indexOf(']', i) + 1; // a range or subquery: [5m], [$__rate_interval]
                if (i == 0) {
                    throw new IllegalArgumentException("unclosed [ in " + expr);
                }
            } else if (ch == '$') {
                i = skipWord(expr, i + 1); // a Grafana variable outside a matcher
            } else if (Character.isDigit(ch) || ch == '.') {
                while (i < n
                        && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(ch) || ch == '_' || ch == ':') {
                int end = skipWord(expr, i);
                String word = expr.substring(i, end);
                int next = skipSpace(expr, end);
                char after = next < n ? expr.charAt(next) : 0;
                if (word.equals("label_values") && after == '(') {
                    int close = matching(expr, next);
                    String inner = expr.substring(next + 1, close);
                    int comma = topLevelComma(inner);
                    out.addAll(selectors(comma < 0 ? "" : inner.substring(0, comma)));
                    i = close + 1;
                } else if (FUNCTIONS.contains(word) && startsWithModifier(expr, next)) {
                    i = end; // an aggregation with its grouping first: sum by (x) (...)
                } else if (LABEL_LISTS.contains(word) && after == '(') {
                    i = matching(expr, next) + 1;
                } else if (after == '(') {
                    if (!FUNCTIONS.contains(word)) {
                        throw new IllegalArgumentException(
                                "unknown function " + word + " in " + expr);
                    }
                    i = end;
                } else if (KEYWORDS.contains(word)) {
                    i = end;
                } else if (after == '{') {
                    int close = matching(expr, next);
                    out.add(new Selector(word, matchers(expr.substring(next + 1, close))));
                    i = close + 1;
                } else {
                    out.add(new Selector(word, List.of()));
                    i = end;
                }
            } else if (ch == '{') {
                throw new IllegalArgumentException("a selector without a metric name in " + expr);
            } else {
                i++;
            }
        }
        return out;
    }

    private static List<Matcher> matchers(String body) {
        List<Matcher> out = new ArrayList<>();
        java.util.regex.Matcher m =
                Pattern.compile(
                                "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?")
                        .matcher(body);
        int at = 0;
        while (at < body.length() && m.find(at) && m.start() == at) {
            out.add(new Matcher(m.group(1), m.group(2), m.group(3).replace("\\\\", "\\")));
            at = m.end();
        }
        if (!body.substring(at).isBlank()) {
            throw new IllegalArgumentException("unreadable label matchers {" + body + "}");
        }
        return out;
    }

    private static boolean startsWithModifier(String s, int i) {
        String word = s.substring(i, skipWord(s, i));
        return word.equals("by") || word.equals("without");
    }

    private static int skipString(String s, int i) {
        char q = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int skipWord(String s, int i) {
        while (i < s.length()
                && (Character.isLetterOrDigit(s.charAt(i))
                        || s.charAt(i) == '_'
                        || s.charAt(i) == ':')) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index of the bracket closing the one at {@code open}, strings skipped. */
    private static int matching(String s, int open) {
        char o = s.charAt(open);
        char c = o == '(' ? ')' : '}';
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\'') {
                i = skipString(s, i) - 1;
            } else if (ch == o) {
                depth++;
            } else if (ch == c && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed " + o + " in " + s);
    }

    private static int topLevelComma(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '(' || ch == '{') depth++;
            else if (ch == ')' || ch == '}') depth--;
            else if (ch == ',' && depth == 0) return i;
        }
        return -1;
    }
}

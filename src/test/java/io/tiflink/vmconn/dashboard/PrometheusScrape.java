package io.tiflink.vmconn.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One scrape of a Prometheus endpoint, read as samples (the text exposition format). */
final class PrometheusScrape {

    record Sample(String name, Map<String, String> labels, String value) {}

    final List<Sample> samples;
    final String text;

    private PrometheusScrape(String text) {
        this.text = text;
        this.samples = parse(text);
    }

    static PrometheusScrape of(String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return new PrometheusScrape(r.body());
    }

    /** Whether some sample is one the selector selects. */
    boolean has(PromQueries.Selector s) {
        return samples.stream().anyMatch(x -> s.selects(x.name(), x.labels()));
    }

    /** The first value of a sample of this name, as a number; NaN when there is none. */
    double value(String name) {
        return samples.stream()
                .filter(x -> x.name().equals(name))
                .mapToDouble(x -> Double.parseDouble(x.value()))
                .findFirst()
                .orElse(Double.NaN);
    }

    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String name;
            String rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq).trim();
                    StringBuilder v = new StringBuilder();
                    int j = eq + 2; // past ="
                    while (line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char e = line.charAt(++j);
                            v.append(e == 'n' ? '\n' : e);
                        } else {
                            v.append(c);
                        }
                        j++;
                    }
                    labels.put(key, v.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                rest = line.substring(i + 1).trim();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            }
            out.add(new Sample(name, labels, rest.split(" ")[0]));
        }
        return out;
    }
}

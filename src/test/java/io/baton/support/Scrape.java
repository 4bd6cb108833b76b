package io.baton.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/** A scrape of GET /metrics, read back into samples: name, labels and value. */
public final class Scrape {

  public record Sample(String name, Map<String, String> labels, double value) {
  }

  public final String text;
  public final List<Sample> samples;

  private Scrape(String text) {
    this.text = text;
    this.samples = parse(text);
  }

  public static Scrape of(BatonInstance baton) {
    var response = Await.result(baton.client.get("/metrics").send());
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return new Scrape(response.bodyAsString());
  }

  /** The value of the one sample with this name and (at least) these labels, as "k", "v", ...; 0 when absent. */
  public double value(String name, String... labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  public List<Sample> matching(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (!sample.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        all &= labels[i + 1].equals(sample.labels().get(labels[i]));
      }
      if (all) {
        found.add(sample);
      }
    }
    return found;
  }

  /** Scrapes until {@code condition} holds for the value (metrics fed by the relay or a sampler lag a little). */
  public static double await(BatonInstance baton, DoublePredicate condition, String name, String... labels) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    double value;
    do {
      value = of(baton).value(name, labels);
      if (condition.test(value)) {
        return value;
      }
      sleep();
    } while (System.nanoTime() < deadline);
    throw new AssertionError(name + " " + List.of(labels) + " stayed at " + value);
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        String inside = line.substring(brace + 1, line.lastIndexOf('}'));
        // Label values here never contain '",' (route templates, codes, queue names).
        for (String pair : inside.split("\",")) {
          if (pair.isBlank()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String value = pair.substring(eq + 1).replaceAll("^\"|\"$", "");
          labels.put(pair.substring(0, eq), value);
        }
      }
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return samples;
  }
}

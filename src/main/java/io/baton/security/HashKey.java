package io.baton.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar baton.jar hash-key [key]}: prints what {@code security.api_keys.<name>.sha256}
 * holds for a key. Without an argument the key is read from standard input, so it stays out of the
 * shell's history and the process list.
 */
public final class HashKey {

  private HashKey() {
  }

  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String key;
    if (args.length == 2) {
      key = args[1];
    } else if (args.length == 1) {
      try {
        key = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        err.println("Could not read the key from standard input: " + e.getMessage());
        return 2;
      }
    } else {
      err.println("Usage: java -jar baton.jar hash-key [key]   (without a key, it is read from standard input)");
      return 2;
    }
    if (key == null || key.isBlank() || key.contains(".") || key.length() < 16) {
      err.println("An API key must be at least 16 characters, without '.' (a dotted credential is read as a JWT)");
      return 2;
    }
    out.println(ApiKeys.hashHex(key));
    return 0;
  }
}

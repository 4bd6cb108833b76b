package io.baton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts Maven writes into the jar at build time. */
public final class BuildInfo {

  public static final String VERSION;
  public static final String SWAGGER_UI_VERSION;

  static {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/baton-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    VERSION = properties.getProperty("version", "dev");
    SWAGGER_UI_VERSION = properties.getProperty("swagger-ui.version", "");
  }

  private BuildInfo() {
  }
}

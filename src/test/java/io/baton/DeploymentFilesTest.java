package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml without a Docker engine: valid against the Compose Specification's JSON schema
 * (src/test/resources/compose-spec), every file it names exists, the proxy is set up for event
 * streams in front of both replicas, Redis keeps an append-only file, and every credential comes
 * from the environment, documented in .env.example.
 */
class DeploymentFilesTest {

  private static final Path COMPOSE = Path.of("docker-compose.yml");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)");

  private static JsonObject yaml(String text) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return new JsonObject(Json.encode(tree));
  }

  private static OutputUnit validate(JsonObject compose) throws IOException {
    JsonObject schema = new JsonObject(Files.readString(Path.of("src/test/resources/compose-spec/compose-spec.json")));
    Validator validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT7).setBaseUri("https://baton.invalid/").setOutputFormat(OutputFormat.Basic));
    return validator.validate(compose);
  }

  private static JsonObject compose() throws IOException {
    return yaml(Files.readString(COMPOSE));
  }

  @Test
  void theComposeFileIsValidAgainstTheComposeSpecification() throws IOException {
    OutputUnit result = validate(compose());

    assertThat(result.getValid()).as("%s", result.getErrors()).isTrue();
  }

  @Test
  void theSchemaCheckRejectsWhatComposeWouldRefuse() throws IOException {
    JsonObject unknownKey = compose();
    unknownKey.getJsonObject("services").getJsonObject("proxy").put("port", "8000:8000");
    JsonObject wrongType = compose();
    wrongType.getJsonObject("services").getJsonObject("redis").put("image", 7);
    JsonObject badName = compose();
    badName.getJsonObject("services").put("two words", new JsonObject().put("image", "nginx"));

    assertThat(validate(unknownKey).getValid()).isFalse();
    assertThat(validate(wrongType).getValid()).isFalse();
    assertThat(validate(badName).getValid()).isFalse();
  }

  @Test
  void everyFileTheComposeFileNamesExists() throws IOException {
    JsonObject services = compose().getJsonObject("services");
    for (String name : services.fieldNames()) {
      JsonObject service = services.getJsonObject(name);
      Object build = service.getValue("build");
      if (build != null) {
        String context = build instanceof JsonObject b ? b.getString("context", ".") : (String) build;
        String dockerfile = build instanceof JsonObject b ? b.getString("dockerfile", "Dockerfile") : "Dockerfile";
        assertThat(Path.of(context).resolve(dockerfile)).as("%s's Dockerfile", name).isRegularFile();
      }
      for (Object volume : service.getJsonArray("volumes", new JsonArray())) {
        String source = volume.toString().split(":")[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          assertThat(Path.of(source)).as("%s mounts %s", name, source).exists();
        }
      }
    }
    // What the Dockerfile copies must exist too.
    for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
      if (line.startsWith("COPY ") && !line.contains("--from=")) {
        String[] parts = line.substring(5).trim().split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          assertThat(Path.of(parts[i])).as("Dockerfile copies %s", parts[i]).exists();
        }
      }
    }
  }

  @Test
  void twoReplicasBehindAProxySetUpForEventStreams() throws IOException {
    JsonObject services = compose().getJsonObject("services");
    List<String> replicas = new ArrayList<>();
    for (String name : services.fieldNames()) {
      if (services.getJsonObject(name).containsKey("build")) {
        replicas.add(name);
      }
    }
    assertThat(replicas).hasSize(2);
    JsonObject proxy = services.getJsonObject("proxy");
    assertThat(proxy.getJsonArray("depends_on").getList()).containsExactlyInAnyOrderElementsOf(replicas);
    String mount = proxy.getJsonArray("volumes").getString(0);
    String nginx = Files.readString(Path.of(mount.split(":")[0]));
    for (String replica : replicas) {
      assertThat(nginx).as("upstream lists %s", replica).contains("server " + replica + ":8000");
    }
    assertThat(nginx).contains("proxy_buffering off;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
        "keepalive ");
    Matcher timeout = Pattern.compile("proxy_read_timeout (\\d+)s;").matcher(nginx);
    assertThat(timeout.find()).isTrue();
    assertThat(Integer.parseInt(timeout.group(1))).as("read timeout, s").isGreaterThanOrEqualTo(600);
    for (String replica : replicas) {
      JsonObject environment = services.getJsonObject(replica).getJsonObject("environment");
      assertThat(environment.getString("BATON_STORAGE_POSTGRES_URL")).contains("@postgres:5432/");
      assertThat(environment.getString("BATON_REDIS_URL")).contains("@redis:6379");
    }
  }

  @Test
  void redisKeepsAnAppendOnlyFile() throws IOException {
    List<Object> command = compose().getJsonObject("services").getJsonObject("redis").getJsonArray("command").getList();
    int flag = command.indexOf("--appendonly");
    assertThat(flag).isNotNegative();
    assertThat(command.get(flag + 1)).isEqualTo("yes");
  }

  @Test
  void credentialsComeFromTheEnvironmentAndAreDocumented() throws IOException {
    String text = Files.readString(COMPOSE);
    Set<String> referenced = new LinkedHashSet<>();
    Matcher matcher = VARIABLE.matcher(text);
    while (matcher.find()) {
      referenced.add(matcher.group(1));
    }
    Set<String> documented = new LinkedHashSet<>();
    for (String line : Files.readAllLines(Path.of(".env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        documented.add(line.substring(0, line.indexOf('=')));
      }
    }
    assertThat(documented).containsAll(referenced);
    // Passwords have no default: without them compose stops and says what to set.
    assertThat(text).contains("${POSTGRES_PASSWORD:?", "${REDIS_PASSWORD:?");
    assertThat(text).doesNotContainPattern("PASSWORD:-");
  }

  /**
   * The replicas read .env, so every BATON_ line of .env.example must name a setting (a typo would
   * only be a start-up warning), parse as its type, and include the credentials that protected mode
   * asks for behind a proxy.
   */
  @Test
  void everyBatonVariableOfTheExampleNamesASettingAndParses() throws IOException {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    for (String line : Files.readAllLines(Path.of(".env.example"))) {
      if (line.startsWith("BATON_")) {
        env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    assertThat(env).containsKeys("BATON_SECURITY_API_KEYS", "BATON_SECURITY_JWT_SECRET");
    io.baton.config.BatonConfig config = io.baton.config.BatonConfig.from(
        io.baton.support.BatonInstance.shippedConfig(), env);
    assertThat(config.unknownVariables()).isEmpty();
    JsonObject replica = compose().getJsonObject("services").getJsonObject("baton-1");
    assertThat(replica.getJsonArray("env_file").getJsonObject(0).getString("path")).isEqualTo(".env");
  }
}

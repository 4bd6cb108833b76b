package io.baton.security;

import io.baton.api.Contract;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who may call which operation, read once from {@code openapi.yaml}: each operation's {@code security}
 * (which credentials it accepts; {@code []} for a public one) and {@code x-baton-roles}. An operation
 * that states neither, or a role or scheme nobody knows, stops start-up: a route must never be open
 * by omission.
 */
public final class AccessRules {

  /** Where a credential may be presented, one per security scheme of the contract. */
  enum Source { AUTHORIZATION_BEARER, API_KEY_HEADER, ACCESS_TOKEN_QUERY }

  static final String ROLES_EXTENSION = "x-baton-roles";
  static final String API_KEY_HEADER = "X-API-Key";
  static final String ACCESS_TOKEN = "access_token";

  /** {@code sources} empty: public. */
  record Rule(String operationId, Set<Source> sources, Set<Role> roles) {
    boolean isPublic() {
      return sources.isEmpty();
    }
  }

  private final OpenAPIContract contract;
  private final Map<String, Rule> byOperation;

  private AccessRules(OpenAPIContract contract, Map<String, Rule> byOperation) {
    this.contract = contract;
    this.byOperation = byOperation;
  }

  public static AccessRules from(OpenAPIContract contract) {
    JsonObject schemes = contract.getRawContract().getJsonObject("components", new JsonObject())
        .getJsonObject("securitySchemes", new JsonObject());
    Map<String, Rule> rules = new HashMap<>();
    for (Operation operation : contract.operations()) {
      rules.put(operation.getOperationId(), rule(operation, schemes));
    }
    return new AccessRules(contract, Map.copyOf(rules));
  }

  private static Rule rule(Operation operation, JsonObject schemes) {
    String id = operation.getOperationId();
    JsonObject model = operation.getOpenAPIModel();
    Object stated = model.containsKey(Contract.ROUTER_SECURITY) ? model.getValue(Contract.ROUTER_SECURITY)
        : model.getValue("security");
    if (!(stated instanceof JsonArray security)) {
      throw new IllegalStateException("openapi.yaml: operation " + id + " states no security; give it"
          + " security: [] (public) or the schemes it accepts and x-baton-roles");
    }
    Set<Source> sources = new LinkedHashSet<>();
    for (Object requirement : security) {
      if (!(requirement instanceof JsonObject names) || names.size() != 1) {
        throw new IllegalStateException("openapi.yaml: operation " + id
            + " must list its security schemes as alternatives, one scheme each");
      }
      String name = names.fieldNames().iterator().next();
      sources.add(source(id, name, schemes.getJsonObject(name)));
    }
    JsonArray roleNames = model.getJsonArray(ROLES_EXTENSION);
    if (sources.isEmpty()) {
      if (roleNames != null) {
        throw new IllegalStateException("openapi.yaml: public operation " + id + " must not have " + ROLES_EXTENSION);
      }
      return new Rule(id, Set.of(), Set.of());
    }
    if (roleNames == null || roleNames.isEmpty()) {
      throw new IllegalStateException("openapi.yaml: operation " + id + " needs " + ROLES_EXTENSION);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object name : roleNames) {
      Role role = Role.parse(String.valueOf(name));
      if (role == null) {
        throw new IllegalStateException("openapi.yaml: operation " + id + " names an unknown role '" + name + "'");
      }
      roles.add(role);
    }
    if (!roles.contains(Role.ADMIN)) {
      throw new IllegalStateException("openapi.yaml: operation " + id + " must admit the admin role");
    }
    return new Rule(id, Set.copyOf(sources), Set.copyOf(roles));
  }

  private static Source source(String id, String name, JsonObject scheme) {
    if (scheme == null) {
      throw new IllegalStateException("openapi.yaml: operation " + id + " names an unknown security scheme " + name);
    }
    String type = scheme.getString("type");
    if ("http".equals(type) && "bearer".equalsIgnoreCase(scheme.getString("scheme"))) {
      return Source.AUTHORIZATION_BEARER;
    }
    if ("apiKey".equals(type) && "header".equals(scheme.getString("in"))
        && API_KEY_HEADER.equalsIgnoreCase(scheme.getString("name"))) {
      return Source.API_KEY_HEADER;
    }
    if ("apiKey".equals(type) && "query".equals(scheme.getString("in"))
        && ACCESS_TOKEN.equals(scheme.getString("name"))) {
      return Source.ACCESS_TOKEN_QUERY;
    }
    throw new IllegalStateException("openapi.yaml: security scheme " + name + " is not one Baton checks"
        + " (bearer, X-API-Key header, access_token query)");
  }

  /** The rule of the operation a request is for, or null when it is for none (the router answers 404/405). */
  Rule find(String path, HttpMethod method) {
    Operation operation = path == null ? null : contract.findOperation(path, method);
    return operation == null ? null : byOperation.get(operation.getOperationId());
  }

  public Map<String, Rule> all() {
    return byOperation;
  }
}

# Builds and runs Baton. The build stage needs Maven Central; the image runs as a non-root user.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml openapi.yaml ./
COPY conf conf
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 baton
WORKDIR /app
COPY --from=build /src/target/baton.jar /app/baton.jar
COPY conf /app/conf
USER baton
EXPOSE 8000
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/baton.jar"]

package dev.modelcontract.image;

import java.nio.file.Path;

/**
 * A jar of the server's class path, with the Maven coordinates it was resolved from (the SBOM names them).
 *
 * @param groupId the Maven group
 * @param artifactId the Maven artifact
 * @param version the resolved version
 * @param file the jar
 */
public record RuntimeJar(String groupId, String artifactId, String version, Path file) {}

package dev.modelcontract.starter;

/** Maven coordinates: the new model repo's, or the plugin's. */
public record Coordinates(String groupId, String artifactId, String version) {}

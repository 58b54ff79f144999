package dev.modelcontract.image;

/**
 * A serving image in the local Docker engine.
 *
 * @param name the tag it was built under
 * @param id the image ID
 * @param sizeBytes its size as the engine reports it
 */
public record ServingImage(String name, String id, long sizeBytes) {}

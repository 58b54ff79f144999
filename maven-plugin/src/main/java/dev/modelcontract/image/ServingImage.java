package dev.modelcontract.image;

/**
 * A built serving image.
 *
 * @param name the tag it was built under
 * @param id the image ID (its config's digest)
 * @param digest its manifest's digest, which a registry knows it by
 * @param sizeBytes its size as the local engine reports it, or -1 where it went elsewhere
 */
public record ServingImage(String name, String id, String digest, long sizeBytes) {}

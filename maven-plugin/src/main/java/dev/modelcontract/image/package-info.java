/**
 * The serving image's build, usable without Maven as jib-core is: {@link dev.modelcontract.image.ServingImageBuilder}
 * takes an {@link dev.modelcontract.image.ImageRequest} made by its builder and runs a few small steps (build context,
 * class-data archive, image plan, destinations, layer report). It imports the runtime (contract, golden pairs,
 * container template, DJL's libtorch), jib-core, the Docker client Testcontainers brings, and small libraries
 * (Jackson, Commons Compress, packageurl); never {@code org.apache.maven}.
 */
package dev.modelcontract.image;

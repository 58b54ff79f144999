package dev.modelcontract.image;

import dev.modelcontract.contract.ModelContract;
import java.nio.file.Path;
import java.util.List;

/**
 * What a serving image is built from.
 *
 * @param modelDirectory the folder holding the contract and the model file
 * @param contract the contract read from it
 * @param goldenDirectory the golden pairs the image replays at every start (may not exist: then none)
 * @param goldenTolerance the allowed difference per value, relative to {@code 1 + |expected|}
 * @param runtimeJars the jars of contract-runtime and its dependencies, without libtorch's native jar
 * @param runtimeVersion the version of contract-runtime among them
 * @param baseImage an image with a Java 17+ runtime on glibc 2.29+ and a /bin/sh: {@code docker://NAME} in the
 *     local engine, {@code tar://PATH}, or a registry image
 * @param imageName the tag to build, e.g. {@code lstm-two-inputs:1.0.0}
 * @param contextDirectory where the build context is staged (emptied first)
 * @param modelArchive where the model directory is written as SageMaker's model.tar.gz
 * @param sbom where the image's CycloneDX SBOM is written (the image holds a copy)
 * @param target where the image goes: the local Docker engine, a tar file or a registry
 * @param includeModel whether the model is copied into the image (else the image serves a model mounted at
 *     /opt/ml/model, as SageMaker mounts the model.tar.gz of ModelDataUrl)
 * @param user the user the image runs as, e.g. {@code root} (SageMaker's expectation) or {@code 65534:65534}
 */
public record ImageRequest(
    Path modelDirectory,
    ModelContract contract,
    Path goldenDirectory,
    double goldenTolerance,
    List<RuntimeJar> runtimeJars,
    String runtimeVersion,
    String baseImage,
    String imageName,
    Path contextDirectory,
    Path modelArchive,
    Path sbom,
    ImageTarget target,
    boolean includeModel,
    String user) {

  public ImageRequest {
    runtimeJars = List.copyOf(runtimeJars);
  }
}

package dev.modelcontract.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.hosting.SageMakerHosting;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The image as Jib builds it from a staged {@link BuildContext}: the template's layers in its order on top of the
 * base, then the template's environment, labels and entrypoint, the request's user and the serving port.
 */
final class ImagePlan {

  private ImagePlan() {}

  /**
   * The serving image: the runtime's layers, the class-data-sharing archive (if any), the model (if asked) and the
   * SBOM; its labels carry the contract's and the model's checksums where the image holds them.
   */
  static JibContainerBuilder servingImage(JibContainerBuilder base, ImageRequest request, LibTorch libtorch,
      BuildContext context, boolean withArchive, boolean withModel) throws ImageBuildException {
    JibContainerBuilder builder = withLayers(base, ContainerTemplate.layers(withArchive, withModel), context);
    try {
      return process(builder
          .setEnvironment(ContainerTemplate.environment(request.modelName(), libtorch.version(), libtorch.flavor(),
              request.goldenTolerance(), request.multiModel()))
          .setLabels(ContainerTemplate.labels(request.imageName(), request.runtimeVersion(),
              withModel ? Sha256.of(request.contractFile()) : null, withModel ? Sha256.of(request.modelFile()) : null)),
          List.of(), request);
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + request.modelFile() + ": " + e.getMessage(), e);
    }
  }

  /** The stub image: the runtime without libtorch, the contract and its golden pairs, started in stub mode. */
  static JibContainerBuilder stubImage(JibContainerBuilder base, ImageRequest request, BuildContext context)
      throws ImageBuildException {
    JibContainerBuilder builder = withLayers(base, ContainerTemplate.stubLayers(), context);
    Map<String, String> labels;
    try {
      labels = ContainerTemplate.stubLabels(request.imageName(), request.runtimeVersion(),
          Sha256.of(request.contractFile()));
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the contract: " + e.getMessage(), e);
    }
    return process(builder.setEnvironment(ContainerTemplate.stubEnvironment(request.modelName())).setLabels(labels),
        List.of(ImageCommand.STUB.argument()), request);
  }

  /** What starts in both images: the template's entrypoint with the given arguments, as the request's user. */
  private static JibContainerBuilder process(JibContainerBuilder builder, List<String> arguments,
      ImageRequest request) {
    return builder
        .setEntrypoint(ContainerTemplate.CONTAINER_ENTRYPOINT)
        .setProgramArguments(arguments)
        .setUser(request.user())
        .setExposedPorts(Port.tcp(SageMakerHosting.PORT));
  }

  /** One Jib layer per template layer; executables (the entrypoint) keep their execute bit. */
  private static JibContainerBuilder withLayers(JibContainerBuilder builder, List<ContainerTemplate.Layer> layers,
      BuildContext context) throws ImageBuildException {
    try {
      for (ContainerTemplate.Layer layer : layers) {
        builder.addFileEntriesLayer(FileEntriesLayer.builder().setName(layer.name())
            .addEntryRecursive(context.layer(layer), AbsoluteUnixPath.get(layer.containerPath()),
                (source, target) -> Files.isDirectory(source) || Files.isExecutable(source)
                    ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS : FilePermissions.DEFAULT_FILE_PERMISSIONS)
            .build());
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the staged layers in " + context.folder() + ": " + e.getMessage(), e);
    }
    return builder;
  }
}

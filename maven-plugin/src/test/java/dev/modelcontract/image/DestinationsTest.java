package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks and words of {@link Destinations} that need no Docker engine and no registry. */
class DestinationsTest {

  private static final Path MODEL_DIR = Path.of(System.getProperty("examples.dir", "../examples"))
      .resolve("lstm-two-inputs/model");

  private final Destinations withoutEngine = new Destinations(Optional.empty(), new JibLog(line -> {}));

  private static ImageRequest request(ImageTarget target) throws Exception {
    return ImageRequest.builder()
        .model(MODEL_DIR, new ContractReader().read(MODEL_DIR.resolve(ContractReader.FILE_NAME)))
        .runtime(List.of(), "0.1.0").baseImage("tar:///base.tar").imageName("lstm-two-inputs:1.0.0")
        .contextDirectory(Path.of("/build/image")).modelArchive(Path.of("/build/model.tar.gz"))
        .sbom(Path.of("/build/sbom.cdx.json")).target(target).build();
  }

  @Test
  void anImageForTheLocalEngineNeedsOneAndTheMessageSaysHowToStartItOrGoElsewhere() {
    assertThatThrownBy(() -> withoutEngine.requireEngineFor(request(ImageTarget.docker())))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageStartingWith("no Docker engine answers to load lstm-two-inputs:1.0.0 into: start one")
        .hasMessageEndingWith("or build to a tar or a registry with -Dmodelcontract.imageTarget=tar|registry");
  }

  @Test
  void anImageForATarOrARegistryNeedsNoEngine() throws Exception {
    withoutEngine.requireEngineFor(request(new ImageTarget(ImageTarget.Kind.TAR, Path.of("/build/image.tar"), false)));
    withoutEngine.requireEngineFor(request(new ImageTarget(ImageTarget.Kind.REGISTRY, null, true)));
  }

  @Test
  void eachTargetIsDescribedInWords() {
    assertThat(Destinations.describe(ImageTarget.docker())).isEqualTo("the local Docker engine");
    assertThat(Destinations.describe(new ImageTarget(ImageTarget.Kind.TAR, Path.of("/build/image.tar"), false)))
        .isEqualTo("/build/image.tar");
    assertThat(Destinations.describe(new ImageTarget(ImageTarget.Kind.REGISTRY, null, false)))
        .isEqualTo("its registry");
  }

  @Test
  void aNameThatIsNoImageReferenceIsRefusedWithItsForm() {
    assertThatThrownBy(() -> Destinations.reference("Not An/Image!"))
        .isInstanceOf(ImageBuildException.class)
        .hasMessage("'Not An/Image!' is not an image reference (registry/name:tag)");
  }

  @Test
  void aRegistryBaseImageIsReadFromItsRegistryByName() throws Exception {
    assertThat(withoutEngine.from(BaseImage.parse("registry://127.0.0.1:5000/base:1")).toContainerBuildPlan()
        .getBaseImage()).isEqualTo("127.0.0.1:5000/base:1");
  }
}

package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.validation.GoldenReplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageRequestTest {

  private static final Path MODEL_DIR = Path.of(System.getProperty("examples.dir", "../examples"))
      .resolve("lstm-two-inputs/model");
  private static final Path BUILD = Path.of("/project/target/model-contract");
  private static final List<RuntimeJar> JARS = List.of(
      new RuntimeJar("dev.modelcontract", "contract-runtime", "0.1.0", Path.of("/m2/contract-runtime-0.1.0.jar")));

  private static ModelContract contract;

  @BeforeAll
  static void readContract() throws Exception {
    contract = new ContractReader().read(MODEL_DIR.resolve(ContractReader.FILE_NAME));
  }

  private static ImageRequest.Builder complete() {
    return ImageRequest.builder().model(MODEL_DIR, contract).runtime(JARS, "0.1.0")
        .baseImage("docker://model-contract/base:jre17-bookworm-slim").imageName("lstm-two-inputs:1.0.0")
        .contextDirectory(BUILD.resolve("image")).modelArchive(BUILD.resolve(ModelArchive.FILE_NAME))
        .sbom(BUILD.resolve("sbom.cdx.json"));
  }

  @Test
  void buildNamesEveryMissingRequiredValueAndWhereToSetIt() {
    assertThatThrownBy(() -> ImageRequest.builder().imageName("lstm-two-inputs:1.0.0").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the image request lacks model(directory, contract), runtime(jars, version), baseImage,"
            + " contextDirectory, modelArchive, sbom: set them on ImageRequest.builder() before build()");
  }

  @Test
  void aValueSetToNullCountsAsMissing() {
    assertThatThrownBy(() -> complete().model(MODEL_DIR, null).user(null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the image request lacks model(directory, contract), target and user (they may not be null):"
            + " set them on ImageRequest.builder() before build()");
  }

  @Test
  void aTarTargetWithoutItsFileIsRefused() {
    assertThatThrownBy(() -> complete().target(new ImageTarget(ImageTarget.Kind.TAR, null, false)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("target is a tar file but names no path");
  }

  @Test
  void optionalValuesHaveTheDefaultsOfAModelRepo() {
    ImageRequest request = complete().build();

    assertThat(request.goldenDirectory()).isEqualTo(MODEL_DIR.resolveSibling("golden"));
    assertThat(request.goldenTolerance()).isEqualTo(GoldenReplay.DEFAULT_TOLERANCE);
    assertThat(request.target()).isEqualTo(ImageTarget.docker());
    assertThat(request.includeModel()).isTrue();
    assertThat(request.user()).isEqualTo("root");
    assertThat(request.contractFile()).isEqualTo(MODEL_DIR.resolve("model-contract.yaml"));
    assertThat(request.modelFile()).isEqualTo(MODEL_DIR.resolve("model.pt"));
    assertThat(request.modelName()).as("the model file's name, where the build states none").isEqualTo("model");
  }

  @Test
  void aModelNameThatIsNoPathSegmentIsRefusedWithTheParameterToSet() {
    assertThat(complete().modelName("lstm-two-inputs").build().modelName()).isEqualTo("lstm-two-inputs");
    assertThatThrownBy(() -> complete().modelName("lstm/two").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lstm/two'").hasMessageEndingWith("perhaps you should set <modelName> to one");
  }

  @Test
  void toBuilderGivesAnEqualRequestAndAChangedCopyLeavesTheOriginalAlone() {
    ImageRequest request = complete().goldenPairs(Path.of("/project/golden"), 1e-3)
        .target(new ImageTarget(ImageTarget.Kind.TAR, BUILD.resolve("image.tar"), true)).includeModel(false)
        .user("65534:65534").build();

    ImageRequest copy = request.toBuilder().build();
    ImageRequest changed = request.toBuilder().user("root").build();

    assertThat(copy).isEqualTo(request).hasSameHashCodeAs(request);
    assertThat(copy.goldenDirectory()).isEqualTo(Path.of("/project/golden"));
    assertThat(copy.goldenTolerance()).isEqualTo(1e-3);
    assertThat(copy.target()).isEqualTo(request.target());
    assertThat(copy.includeModel()).isFalse();
    assertThat(changed).isNotEqualTo(request);
    assertThat(changed.user()).isEqualTo("root");
    assertThat(request.user()).isEqualTo("65534:65534");
    assertThat(changed.toBuilder().user("65534:65534").build()).isEqualTo(request);
  }

  @Test
  void theRuntimeJarsAreCopiedSoTheCallersListCannotChangeTheRequest() {
    List<RuntimeJar> jars = new ArrayList<>(JARS);
    ImageRequest request = complete().runtime(jars, "0.1.0").build();

    jars.clear();

    assertThat(request.runtimeJars()).isEqualTo(JARS);
    assertThatThrownBy(() -> request.runtimeJars().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theStubsRequestIsStagedAndWrittenBesideTheImagesWithoutTheModel() {
    ImageRequest image = complete().target(new ImageTarget(ImageTarget.Kind.TAR, BUILD.resolve("image.tar"), true))
        .user("65534:65534").build();

    ImageRequest stub = image.forStub("lstm-two-inputs-stub:1.0.0");

    assertThat(stub.imageName()).isEqualTo("lstm-two-inputs-stub:1.0.0");
    assertThat(stub.contextDirectory()).isEqualTo(BUILD.resolve("stub-image"));
    assertThat(stub.target()).isEqualTo(new ImageTarget(ImageTarget.Kind.TAR, BUILD.resolve("stub-image.tar"), true));
    assertThat(stub.includeModel()).isFalse();
    assertThat(stub.toBuilder().imageName(image.imageName()).contextDirectory(image.contextDirectory())
        .target(image.target()).includeModel(true).build()).isEqualTo(image);
  }
}

package dev.modelcontract.image;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import dev.modelcontract.inference.OfflineDjl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The libtorch native files DJL loaded in this JVM (from the {@code pytorch-native-cpu} jar), and the layout the
 * image gives them: the libraries in one folder ({@code PYTORCH_LIBRARY_PATH}) and DJL's JNI library where DJL
 * looks for it in its engine cache. The image then needs neither the 111 MB jar nor any extraction at start-up.
 *
 * @param libraries the native libraries, without the JNI library
 * @param jniLibrary DJL's JNI library
 * @param version the libtorch version, as {@code PYTORCH_VERSION} gives it
 * @param flavor the build flavor, e.g. {@code cpu}
 * @param classifier the platform, e.g. {@code linux-x86_64}
 * @param djlVersion the DJL version the JNI library belongs to
 */
public record LibTorch(
    List<Path> libraries, Path jniLibrary, String version, String flavor, String classifier, String djlVersion) {

  private static final String JNI_NAME = System.mapLibraryName("djl_torch");

  /** Loads the PyTorch engine (offline) if it is not loaded yet, and finds its files. */
  public static LibTorch loaded() throws ImageBuildException {
    OfflineDjl.enforce();
    Engine engine = Engine.getEngine("PyTorch");
    Platform platform = Platform.detectPlatform("pytorch");
    Path dir = Path.of(LibUtils.getLibtorchPath());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
      Path jni = all.stream().filter(file -> file.getFileName().toString().endsWith(JNI_NAME)).findFirst()
          .orElseThrow(() -> new ImageBuildException("DJL's JNI library " + JNI_NAME + " is not in " + dir
              + "; delete that folder so DJL extracts it again"));
      List<Path> libraries = all.stream().filter(file -> !file.equals(jni)).toList();
      return new LibTorch(libraries, jni, engine.getVersion(), platform.getFlavor(), platform.getClassifier(),
          Engine.getDjlVersion());
    } catch (IOException e) {
      throw new ImageBuildException("cannot list the libtorch files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Where the JNI library goes below the engine cache folder, as DJL's LibUtils computes it. */
  public Path jniCachePath() {
    return Path.of("pytorch", version + "-" + flavor + "-" + classifier, djlVersion + "-" + JNI_NAME);
  }
}

package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibTorchTest {

  @Test
  void jniLibraryGoesBelowPytorchInAFolderOfVersionFlavorAndPlatformNamedAfterTheDjlVersion() {
    LibTorch libtorch = new LibTorch(List.of(Path.of("/cache/libtorch_cpu.so")),
        Path.of("/cache/0.36.0-libdjl_torch.so"), "2.7.1", "cpu", "linux-x86_64", "0.36.0");

    assertThat(libtorch.jniCachePath())
        .isEqualTo(Path.of("pytorch", "2.7.1-cpu-linux-x86_64", "0.36.0-" + System.mapLibraryName("djl_torch")));
  }

  @Test
  void jniCachePathIsRelativeSoItCanBePlacedUnderAnyCacheFolder() {
    LibTorch libtorch = new LibTorch(List.of(), Path.of("jni.so"), "2.5.1", "cu124", "linux-aarch64", "0.33.0");

    Path path = libtorch.jniCachePath();

    assertThat(path.isAbsolute()).isFalse();
    assertThat(Path.of("/opt/model-contract/djl-cache").resolve(path))
        .isEqualTo(Path.of("/opt/model-contract/djl-cache/pytorch/2.5.1-cu124-linux-aarch64")
            .resolve("0.33.0-" + System.mapLibraryName("djl_torch")));
  }
}

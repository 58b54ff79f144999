package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.inference.CpuKernels.Configuration;
import dev.modelcontract.inference.CpuKernels.CpuInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuKernelsTest {

  private static final String AMD_AVX512 = String.join("\n",
      "processor\t: 0",
      "vendor_id\t: AuthenticAMD",
      "cpu family\t: 26",
      "model\t\t: 2",
      "model name\t: AMD EPYC",
      "flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512_bf16 avx512_vp2intersect fma",
      "",
      "processor\t: 1",
      "model name\t: AMD EPYC",
      "flags\t\t: fpu avx2 avx512f avx512dq avx512_bf16 avx512_vp2intersect",
      "");

  private static final String INTEL_AVX2 = String.join("\n",
      "processor\t: 0",
      "cpu family\t: 6",
      "model\t\t: 63",
      "model name\t: Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz",
      "flags\t\t: fpu sse4_2 avx avx2 fma",
      "");

  @Test
  void cpuinfoGivesTheFirstProcessorsNameFamilyModelAndVectorExtensions() {
    CpuInfo cpu = CpuInfo.parse(AMD_AVX512);

    assertThat(cpu.description()).isEqualTo("AMD EPYC, family 26 model 2");
    assertThat(cpu.vectorExtensions())
        .containsExactly("avx2", "avx512_bf16", "avx512_vp2intersect", "avx512dq", "avx512f");
  }

  @Test
  void withoutASettingOneDnnIsCappedAtAvx2OnEveryCpu() {
    for (String cpuinfo : new String[] {AMD_AVX512, INTEL_AVX2}) {
      Configuration configuration = CpuKernels.choose(Map.<String, String>of()::get, null, CpuInfo.parse(cpuinfo));

      assertThat(configuration.onednnMaxIsa()).isEqualTo("AVX2");
      assertThat(configuration.chosenByUser()).isFalse();
      assertThat(configuration.describe()).contains("oneDNN kernels capped at AVX2 (the default;"
          + " set ONEDNN_MAX_CPU_ISA=ALL to lift it)");
    }
  }

  @Test
  void aCapNamedInTheEnvironmentIsKeptAndReportedAsTheUsersChoice() {
    Configuration configuration = CpuKernels.choose(Map.of("ONEDNN_MAX_CPU_ISA", " all ")::get, "2",
        CpuInfo.parse(AMD_AVX512));

    assertThat(configuration.onednnMaxIsa()).isEqualTo("ALL");
    assertThat(configuration.chosenByUser()).isTrue();
    assertThat(configuration.describe()).isEqualTo("CPU AMD EPYC, family 26 model 2 [avx2 avx512_bf16"
        + " avx512_vp2intersect avx512dq avx512f]; oneDNN kernels up to ALL (ONEDNN_MAX_CPU_ISA set in the"
        + " environment); 2 OpenMP thread(s) per forward pass");
  }

  @Test
  void eachForwardPassRunsOneOpenMpThreadUnlessDjlOrOpenMpAreToldOtherwise() {
    CpuInfo cpu = CpuInfo.parse(AMD_AVX512);

    assertThat(CpuKernels.choose(Map.<String, String>of()::get, null, cpu).threadsPerForward()).isEqualTo("1");
    assertThat(CpuKernels.choose(Map.<String, String>of()::get, "4", cpu).threadsPerForward()).isEqualTo("4");
    assertThat(CpuKernels.choose(Map.of("OMP_NUM_THREADS", "3")::get, "4", cpu).threadsPerForward()).isEqualTo("3");
  }

  @Test
  void blankSettingCountsAsNone() {
    Configuration configuration = CpuKernels.choose(Map.of("ONEDNN_MAX_CPU_ISA", " ")::get, null,
        CpuInfo.parse(INTEL_AVX2));

    assertThat(configuration.onednnMaxIsa()).isEqualTo("AVX2");
  }

  @Test
  void cpuWithoutCpuinfoFieldsIsDescribedAsUnknown() {
    assertThat(CpuInfo.parse("processor : 0\n").description()).isEqualTo("unknown");
    assertThat(CpuInfo.parse("processor : 0\n").vectorExtensions()).isEmpty();
  }

  @Test
  void applyingWritesTheDefaultIntoTheProcessEnvironmentWhereOneDnnReadsIt() {
    Configuration applied = CpuKernels.apply();

    assertThat(CpuKernels.apply()).isSameAs(applied);
    assertThat(LibCForTest.INSTANCE.getenv("ONEDNN_MAX_CPU_ISA").strip())
        .isEqualToIgnoringCase(applied.onednnMaxIsa());
    assertThat(LibCForTest.INSTANCE.getenv("OMP_NUM_THREADS")).isEqualTo(applied.threadsPerForward());
  }

  private interface LibCForTest extends com.sun.jna.Library {
    LibCForTest INSTANCE = com.sun.jna.Native.load("c", LibCForTest.class);

    String getenv(String name);
  }
}

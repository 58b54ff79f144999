package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.inference.CpuKernels.Configuration;
import dev.modelcontract.inference.CpuKernels.Basis;
import dev.modelcontract.inference.CpuKernels.CpuInfo;
import dev.modelcontract.inference.CpuKernels.Use;
import java.util.List;
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
      Configuration configuration = CpuKernels.choose(Map.<String, String>of()::get, null, CpuInfo.parse(cpuinfo), Use.TOOLING);

      assertThat(configuration.onednnMaxIsa()).isEqualTo("AVX2");
      assertThat(configuration.chosenByUser()).isFalse();
      assertThat(configuration.describe()).contains("oneDNN kernels capped at AVX2 (the default;"
          + " set ONEDNN_MAX_CPU_ISA=ALL to lift it)");
    }
  }

  @Test
  void aCapNamedInTheEnvironmentIsKeptAndReportedAsTheUsersChoice() {
    Configuration configuration = CpuKernels.choose(Map.of("ONEDNN_MAX_CPU_ISA", " all ")::get, "2",
        CpuInfo.parse(AMD_AVX512), Use.CHECKED_SERVING);

    assertThat(configuration.onednnMaxIsa()).isEqualTo("ALL");
    assertThat(configuration.chosenByUser()).isTrue();
    assertThat(configuration.describe()).isEqualTo("CPU AMD EPYC, family 26 model 2 [avx2 avx512_bf16"
        + " avx512_vp2intersect avx512dq avx512f]; oneDNN kernels up to ALL (ONEDNN_MAX_CPU_ISA set in the"
        + " environment); 2 OpenMP thread(s) per forward pass");
  }

  @Test
  void eachForwardPassRunsOneOpenMpThreadUnlessDjlOrOpenMpAreToldOtherwise() {
    CpuInfo cpu = CpuInfo.parse(AMD_AVX512);

    assertThat(CpuKernels.choose(Map.<String, String>of()::get, null, cpu, Use.TOOLING).threadsPerForward()).isEqualTo("1");
    assertThat(CpuKernels.choose(Map.<String, String>of()::get, "4", cpu, Use.TOOLING).threadsPerForward()).isEqualTo("4");
    assertThat(CpuKernels.choose(Map.of("OMP_NUM_THREADS", "3")::get, "4", cpu, Use.TOOLING).threadsPerForward()).isEqualTo("3");
  }

  @Test
  void aServingImageStartsCappedAndChecksWhereTheCpuHasWiderKernels() {
    String alderLake = INTEL_AVX2.replace("avx2 fma", "avx2 avx_vnni fma");
    for (String cpuinfo : new String[] {AMD_AVX512, alderLake}) {
      Configuration configuration = CpuKernels.choose(Map.<String, String>of()::get, null, CpuInfo.parse(cpuinfo),
          Use.CHECKED_SERVING);

      assertThat(configuration.onednnMaxIsa()).isEqualTo("AVX2");
      assertThat(configuration.basis()).isEqualTo(Basis.CHECKING);
      assertThat(configuration.uncapped()).isFalse();
      assertThat(configuration.describe()).contains("oneDNN kernels capped at AVX2 (while the check on this host says"
          + " whether the uncapped kernels give the same numbers)");
    }
  }

  @Test
  void theProcessThatTakesOverAfterAnAgreeingCheckRunsTheCheckedCapAndSaysWhatWasCompared() {
    CpuInfo cpu = CpuInfo.parse(AMD_AVX512);

    Configuration checked = CpuKernels.choose(Map.of("MODEL_CONTRACT_KERNELS_CHECKED", "checked on this host: 3 golden"
        + " pairs and 14 requests", "ONEDNN_MAX_CPU_ISA", "ALL")::get, null, cpu, Use.CHECKED_SERVING);
    Configuration tried = CpuKernels.choose(Map.of("MODEL_CONTRACT_KERNELS_CHECKED", "checked", "ONEDNN_MAX_CPU_ISA",
        "avx2")::get, null, cpu, Use.CHECKED_SERVING);

    assertThat(checked.basis()).isEqualTo(Basis.CHECKED);
    assertThat(checked.uncapped()).isTrue();
    assertThat(checked.describe()).contains("oneDNN kernels up to ALL (checked on this host: 3 golden pairs and 14"
        + " requests)");
    assertThat(tried.onednnMaxIsa()).isEqualTo("AVX2");
    assertThat(tried.basis()).isEqualTo(Basis.CHECKED);
  }

  @Test
  void aServingImageSizedUnderAGibibyteStaysCappedForTheCheckNeedsASecondProcess() {
    CpuInfo cpu = CpuInfo.parse(AMD_AVX512);

    Configuration small = CpuKernels.choose(Map.<String, String>of()::get, null, cpu, Use.CHECKED_SERVING, 512);
    Configuration enough = CpuKernels.choose(Map.<String, String>of()::get, null, cpu, Use.CHECKED_SERVING, 1024);

    assertThat(small.basis()).isEqualTo(Basis.LITTLE_MEMORY);
    assertThat(small.describe()).contains("capped at AVX2 (the container's 512 MiB leave no room for the check's"
        + " second, uncapped process (it needs 1024 MiB))");
    assertThat(enough.basis()).isEqualTo(Basis.CHECKING);
  }

  @Test
  void aServingImageOnAnAvx2OnlyCpuStaysCappedWithoutACheckSinceLiftingChangesNothing() {
    Configuration configuration = CpuKernels.choose(Map.<String, String>of()::get, null, CpuInfo.parse(INTEL_AVX2),
        Use.CHECKED_SERVING);

    assertThat(configuration.onednnMaxIsa()).isEqualTo("AVX2");
    assertThat(configuration.basis()).isEqualTo(Basis.NO_WIDER_KERNELS);
    assertThat(configuration.describe()).contains("capped at AVX2 (this CPU has no oneDNN kernels past AVX2");
  }

  @Test
  void anInjectedDifferenceMakesEvenAnAvx2OnlyCpuCheck() {
    System.setProperty(CpuKernels.INJECTED_DIFFERENCE_PROPERTY, "1e-3");
    try {
      assertThat(CpuKernels.choose(Map.<String, String>of()::get, null, CpuInfo.parse(INTEL_AVX2),
          Use.CHECKED_SERVING).basis()).isEqualTo(Basis.CHECKING);
      assertThat(CpuKernels.injectedDifference()).isEqualTo(1e-3);
    } finally {
      System.clearProperty(CpuKernels.INJECTED_DIFFERENCE_PROPERTY);
    }
    assertThat(CpuKernels.injectedDifference()).isZero();
  }

  @Test
  void aTriedCapMakesEvenAnAvx2OnlyCpuCheckAndIsWhatTheCheckTries() {
    assertThat(CpuKernels.triedIsa()).isEqualTo("ALL");
    System.setProperty(CpuKernels.TRIED_ISA_PROPERTY, "avx2");
    try {
      assertThat(CpuKernels.choose(Map.<String, String>of()::get, null, CpuInfo.parse(INTEL_AVX2),
          Use.CHECKED_SERVING).basis()).isEqualTo(Basis.CHECKING);
      assertThat(CpuKernels.triedIsa()).isEqualTo("AVX2");
    } finally {
      System.clearProperty(CpuKernels.TRIED_ISA_PROPERTY);
    }
  }

  @Test
  void theCappedSettingAndMultiModelEndpointsKeepTheCapAndSayWhy() {
    CpuInfo cpu = CpuInfo.parse(AMD_AVX512);

    Configuration capped = CpuKernels.choose(Map.of("MODEL_CONTRACT_KERNELS", "Capped")::get, null, cpu,
        Use.CHECKED_SERVING);
    Configuration multiModel = CpuKernels.choose(Map.<String, String>of()::get, null, cpu, Use.MULTI_MODEL);

    assertThat(List.of(capped, multiModel)).extracting(Configuration::onednnMaxIsa).containsOnly("AVX2");
    assertThat(capped.basis()).isEqualTo(Basis.CAPPED_BY_SETTING);
    assertThat(multiModel.basis()).isEqualTo(Basis.MULTI_MODEL);
    assertThat(multiModel.describe()).contains("a multi-model endpoint");
    assertThat(CpuKernels.choose(Map.of("ONEDNN_MAX_CPU_ISA", "ALL")::get, null, cpu, Use.MULTI_MODEL).basis())
        .isEqualTo(Basis.ENVIRONMENT);
  }

  @Test
  void blankSettingCountsAsNone() {
    Configuration configuration = CpuKernels.choose(Map.of("ONEDNN_MAX_CPU_ISA", " ")::get, null,
        CpuInfo.parse(INTEL_AVX2), Use.CHECKED_SERVING);

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

package dev.modelcontract.validation;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The requests on which a serving image compares oneDNN's uncapped kernels with the capped ones: drawn from the
 * contract (as its dry runs are, from the training statistics), at every batch size where oneDNN's kernels change
 * their blocking (powers of two and their neighbours) up to the largest batch the server forms, and across each other
 * dynamic dim's range, its ends included. Each size of each dim appears at least once: batch sizes rising while the
 * other dims fall, so that no probe pairs two maxima but the last, the largest request the server can form.
 *
 * <p>The same contract and batch limit always give the same probes, values included: the capped process that
 * computes the reference and the uncapped one that is checked each draw them.
 */
public final class KernelProbes {

  /** Sizes tried below the largest: where kernels that block by 8, 16 or 32 rows change their loops. */
  private static final long[] BLOCK_EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128};
  /** How far an unbounded dim is tried. */
  static final long UNBOUNDED_REACH = 256;

  private KernelProbes() {}

  /** One request to compare the kernels on, and the size of each dynamic dim it was drawn with. */
  public record Probe(Map<String, Long> sizes, Map<String, Tensor> request) {

    public Probe {
      sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
      request = Collections.unmodifiableMap(new LinkedHashMap<>(request));
    }

    /** E.g. {@code batch 8, T 512}; {@code fixed shapes} for a contract without dynamic dims. */
    public String describe() {
      StringBuilder text = new StringBuilder();
      sizes.forEach((name, size) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(size));
      return text.length() == 0 ? "fixed shapes" : text.toString();
    }
  }

  /** The range of each dim over some probes, e.g. {@code batch 1–64, T 1–512}. */
  public static String ranges(List<Probe> probes) {
    Map<String, long[]> ranges = new LinkedHashMap<>();
    for (Probe probe : probes) {
      probe.sizes().forEach((name, size) -> ranges.merge(name, new long[] {size, size},
          (was, now) -> new long[] {Math.min(was[0], now[0]), Math.max(was[1], now[1])}));
    }
    StringBuilder text = new StringBuilder();
    ranges.forEach((name, range) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ')
        .append(range[0]).append(range[0] == range[1] ? "" : "\u2013" + range[1]));
    return text.length() == 0 ? "fixed shapes" : text.toString();
  }

  /**
   * The probes for a contract.
   *
   * @param maxRows the most rows the server puts in one forward pass
   */
  public static List<Probe> of(ModelContract contract, long maxRows) {
    String batchDim = contract.batch().map(spec -> spec.dim()).orElse(null);
    Map<String, List<Long>> sizes = new LinkedHashMap<>();
    for (String name : namedDims(contract)) {
      DimSpec spec = contract.dim(name);
      long max = name.equals(batchDim) ? Math.min(maxRows, spec.max())
          : spec.max() == Long.MAX_VALUE ? Math.max(spec.min(), UNBOUNDED_REACH) : spec.max();
      sizes.put(name, sizesBetween(spec.min(), max));
    }
    int count = sizes.values().stream().mapToInt(List::size).max().orElse(1);
    Set<Map<String, Long>> chosen = new LinkedHashSet<>();
    for (int i = 0; i < count; i++) {
      Map<String, Long> probe = new LinkedHashMap<>();
      for (Map.Entry<String, List<Long>> dim : sizes.entrySet()) {
        List<Long> values = dim.getValue();
        // the batch rises, the other dims fall, so each size meets others of every magnitude
        int index = dim.getKey().equals(batchDim) || batchDim == null && dim.getKey().equals(first(sizes))
            ? i % values.size() : values.size() - 1 - i % values.size();
        probe.put(dim.getKey(), values.get(index));
      }
      chosen.add(probe);
    }
    Map<String, Long> largest = new LinkedHashMap<>();
    sizes.forEach((name, values) -> largest.put(name, values.get(values.size() - 1)));
    chosen.add(largest);
    List<Probe> probes = new ArrayList<>();
    int seed = 0;
    for (Map<String, Long> probe : chosen) {
      Random random = new Random(24 + seed++);
      Map<String, Tensor> request = new LinkedHashMap<>();
      for (InputSpec input : contract.inputs()) {
        if (input.optional()) {
          continue;
        }
        long[] shape = input.shape().dims().stream()
            .mapToLong(dim -> dim instanceof Dim.Fixed fixed ? fixed.size() : probe.get(((Dim.Named) dim).name()))
            .toArray();
        request.put(input.name(), SampleRequests.valueOf(input, shape, random));
      }
      probes.add(new Probe(probe, request));
    }
    return probes;
  }

  /** The sizes tried between two bounds: both ends, the block edges between them, and a middle. */
  static List<Long> sizesBetween(long min, long max) {
    TreeSet<Long> sizes = new TreeSet<>();
    sizes.add(min);
    sizes.add(max);
    sizes.add(min + (max - min) / 2);
    for (long edge : BLOCK_EDGES) {
      if (edge > min && edge < max) {
        sizes.add(edge);
      }
    }
    return List.copyOf(sizes);
  }

  private static Set<String> namedDims(ModelContract contract) {
    Set<String> names = new LinkedHashSet<>();
    contract.batch().ifPresent(spec -> names.add(spec.dim()));
    for (InputSpec input : contract.inputs()) {
      if (!input.optional()) {
        input.shape().dims().stream().filter(Dim.Named.class::isInstance)
            .forEach(dim -> names.add(((Dim.Named) dim).name()));
      }
    }
    return names;
  }

  private static String first(Map<String, List<Long>> sizes) {
    return sizes.keySet().iterator().next();
  }
}

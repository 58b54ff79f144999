package dev.modelcontract.validation;

import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests.Sizes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How large a batch fits a payload limit (for SageMaker real-time endpoints, {@link SageMakerHosting#MAX_BODY_BYTES})
 * when sent as JSON, measured by encoding sample requests of the contract's shapes.
 *
 * @param dims the value of each dynamic dim besides the batch dim
 * @param bytesPerItem JSON bytes per batch item
 * @param largestBatch the largest batch within the limit, at most the batch dim's max
 * @param limitBytes the limit
 */
public record PayloadEstimate(Map<String, Long> dims, long bytesPerItem, long largestBatch, long limitBytes) {

  /** Estimates at the typical and at the largest value of the other dims (one when they coincide). */
  public static List<PayloadEstimate> of(ModelContract contract, long limitBytes) {
    List<PayloadEstimate> estimates = new ArrayList<>();
    for (Sizes sizes : new Sizes[] {Sizes.TYPICAL, Sizes.MAX}) {
      Map<String, Tensor> request = SampleRequests.of(contract, sizes, new Random(1));
      long batch = 1;
      Map<String, Long> dims = new LinkedHashMap<>();
      String batchDim = contract.batch().map(BatchSpec::dim).orElse(null);
      for (InputSpec input : contract.inputs()) {
        long[] shape = SampleRequests.shapeOf(contract, input, sizes);
        for (int axis = 0; axis < shape.length; axis++) {
          if (input.shape().dim(axis) instanceof Dim.Named named) {
            if (named.name().equals(batchDim)) {
              batch = shape[axis];
            } else {
              dims.put(named.name(), shape[axis]);
            }
          }
        }
      }
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      new JsonTensorWriter().write(request, json);
      long perItem = Math.max(1, json.size() / batch);
      long maxBatch = batchDim == null ? 1 : contract.dim(batchDim).max();
      PayloadEstimate estimate = new PayloadEstimate(dims, perItem, Math.min(maxBatch, limitBytes / perItem),
          limitBytes);
      if (estimates.isEmpty() || !estimates.get(0).dims().equals(dims)) {
        estimates.add(estimate);
      }
    }
    return estimates;
  }

  public String describe(ModelContract contract) {
    String at = dims.isEmpty() ? "" : " at " + dims.toString().replaceAll("[{}]", "");
    DimSpec batch = contract.batch().map(spec -> contract.dim(spec.dim())).orElse(null);
    long payloadAllows = limitBytes / bytesPerItem;
    String bound = batch != null && largestBatch == batch.max() && payloadAllows > largestBatch
        ? " (the batch dim's max; the payload alone would allow " + payloadAllows + ")" : "";
    return "largest batch within " + size(limitBytes) + " of JSON" + at + ": " + largestBatch + bound + ", "
        + bytesPerItem + " bytes per item";
  }

  private static String size(long bytes) {
    long mebibyte = 1024 * 1024;
    return bytes % mebibyte == 0 ? bytes / mebibyte + " MiB" : bytes + " bytes";
  }
}

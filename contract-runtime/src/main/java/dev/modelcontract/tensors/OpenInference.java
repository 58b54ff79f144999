package dev.modelcontract.tensors;

import dev.modelcontract.contract.DType;
import java.util.List;

/** The Open Inference Protocol's (KServe v2) names of element types. */
public final class OpenInference {

  /** The datatype of strings: outputs answered as labels. */
  public static final String BYTES = "BYTES";

  private OpenInference() {}

  /** The protocol's datatype of a contract dtype: FP32 for float32, INT64 for int64, BOOL for bool, … */
  public static String datatype(DType dtype) {
    return switch (dtype) {
      case FLOAT64 -> "FP64";
      case FLOAT32 -> "FP32";
      case FLOAT16 -> "FP16";
      case BFLOAT16 -> "BF16";
      case INT64 -> "INT64";
      case INT32 -> "INT32";
      case INT8 -> "INT8";
      case UINT8 -> "UINT8";
      case BOOL -> "BOOL";
    };
  }

  /**
   * The datatypes an output of a dtype may be answered in, by how its values are held ({@link #datatype(Tensor)}):
   * floats as float or double, integers as long, bools as boolean. An output answered as labels is {@link #BYTES}.
   */
  public static List<String> answerDatatypes(DType dtype) {
    return switch (dtype.kind()) {
      case FLOAT -> List.of("FP32", "FP64");
      case INTEGER -> List.of("INT64");
      case BOOL -> List.of("BOOL");
    };
  }

  /**
   * The datatype an output of a dtype is answered in, as {@link #datatype(Tensor)} names it for the tensor the model
   * gives: FP64 for float64, FP32 for the other floats, INT64 for integers, BOOL for bools.
   */
  public static String answerDatatype(DType dtype) {
    return dtype == DType.FLOAT64 ? "FP64" : answerDatatypes(dtype).get(0);
  }

  /** The datatype an output tensor is answered in: by how it is held (labels are BYTES, strings in JSON). */
  static String datatype(Tensor tensor) {
    if (tensor instanceof FloatTensor) {
      return "FP32";
    }
    if (tensor instanceof DoubleTensor) {
      return "FP64";
    }
    if (tensor instanceof LongTensor) {
      return "INT64";
    }
    if (tensor instanceof BooleanTensor) {
      return "BOOL";
    }
    return BYTES;
  }
}

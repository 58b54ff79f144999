package dev.modelcontract.contract;

import java.util.Arrays;
import java.util.Optional;

/** Element types a contract can declare, with the range of values each holds exactly. */
public enum DType {
  FLOAT32("float32", Kind.FLOAT, -Float.MAX_VALUE, Float.MAX_VALUE),
  FLOAT64("float64", Kind.FLOAT, -Double.MAX_VALUE, Double.MAX_VALUE),
  FLOAT16("float16", Kind.FLOAT, -65504.0, 65504.0),
  BFLOAT16("bfloat16", Kind.FLOAT, -3.3895313892515355e38, 3.3895313892515355e38),
  INT64("int64", Kind.INTEGER, Long.MIN_VALUE, Long.MAX_VALUE),
  INT32("int32", Kind.INTEGER, Integer.MIN_VALUE, Integer.MAX_VALUE),
  INT8("int8", Kind.INTEGER, Byte.MIN_VALUE, Byte.MAX_VALUE),
  UINT8("uint8", Kind.INTEGER, 0, 255),
  BOOL("bool", Kind.BOOL, 0, 1);

  /** What kind of values a dtype holds. */
  public enum Kind { FLOAT, INTEGER, BOOL }

  private final String contractName;
  private final Kind kind;
  private final double min;
  private final double max;

  DType(String contractName, Kind kind, double min, double max) {
    this.contractName = contractName;
    this.kind = kind;
    this.min = min;
    this.max = max;
  }

  /** The name used in contract files. */
  public String contractName() {
    return contractName;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isFloat() {
    return kind == Kind.FLOAT;
  }

  /**
   * The Java element type a tensor of this dtype is stored in: {@code float} for float32, float16 and bfloat16,
   * {@code double} for float64, {@code long} for every integer type, {@code boolean} for bool.
   */
  public Class<?> storage() {
    return switch (kind) {
      case FLOAT -> this == FLOAT64 ? double.class : float.class;
      case INTEGER -> long.class;
      case BOOL -> boolean.class;
    };
  }

  /** The smallest finite value; for integer types exact up to int64's, which {@link #minLong()} gives. */
  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public long minLong() {
    return this == INT64 ? Long.MIN_VALUE : (long) min;
  }

  public long maxLong() {
    return this == INT64 ? Long.MAX_VALUE : (long) max;
  }

  public static Optional<DType> fromContractName(String name) {
    return Arrays.stream(values()).filter(type -> type.contractName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return contractName;
  }
}

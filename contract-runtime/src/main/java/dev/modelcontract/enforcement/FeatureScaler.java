package dev.modelcontract.enforcement;

import dev.modelcontract.contract.Normalization;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.Arrays;

/**
 * A normalization compiled once from the contract's statistics: {@code x' = (x - offset[f]) / scale[f]} along the
 * feature axis, inverse {@code y = y' * scale[f] + offset[f]}. Standardization has offset mean and scale std;
 * min-max scaling has offset min and scale max - min.
 */
public final class FeatureScaler {

  private final double[] offset;
  private final double[] scale;
  private final float[] offsetF;
  private final float[] scaleF;
  private final int axis;

  public FeatureScaler(Normalization normalization) {
    offset = new double[normalization.features()];
    scale = new double[offset.length];
    for (int f = 0; f < offset.length; f++) {
      offset[f] = normalization.offset(f);
      scale[f] = normalization.scale(f);
    }
    offsetF = toFloats(offset);
    scaleF = toFloats(scale);
    axis = normalization.axis();
  }

  /** Normalizes a float tensor in place, as training did. */
  public void normalize(Tensor tensor) {
    apply(tensor, false);
  }

  /** The flat index of the first NaN or infinite value, -1 when every value is finite. */
  public static int firstNonFinite(Tensor tensor) {
    if (tensor.array() instanceof float[] values) {
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          return i;
        }
      }
    } else if (tensor.array() instanceof double[] values) {
      for (int i = 0; i < values.length; i++) {
        if (!Double.isFinite(values[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  /** A de-normalized copy: the model's scale back to the training target's. */
  public Tensor denormalized(Tensor tensor) {
    Tensor copy = Tensor.of(tensor.shape(), cloneArray(tensor));
    apply(copy, true);
    return copy;
  }

  private void apply(Tensor tensor, boolean inverse) {
    long[] shape = tensor.shape();
    int resolved = axis < 0 ? shape.length + axis : axis;
    int features = (int) shape[resolved];
    int inner = (int) Tensor.sizeOf(Arrays.copyOfRange(shape, resolved + 1, shape.length));
    int outer = tensor.size() / (features * inner);
    if (tensor instanceof FloatTensor floats && inner == 1) {
      // features on the last axis, the common case: one pass over the values
      float[] values = floats.values();
      for (int i = 0, f = 0; i < values.length; i++) {
        values[i] = inverse ? values[i] * scaleF[f] + offsetF[f] : (values[i] - offsetF[f]) / scaleF[f];
        if (++f == features) {
          f = 0;
        }
      }
    } else if (tensor instanceof FloatTensor floats) {
      float[] values = floats.values();
      for (int o = 0, i = 0; o < outer; o++) {
        for (int f = 0; f < features; f++) {
          float mean = offsetF[f];
          float std = scaleF[f];
          for (int end = i + inner; i < end; i++) {
            values[i] = inverse ? values[i] * std + mean : (values[i] - mean) / std;
          }
        }
      }
    } else if (tensor instanceof DoubleTensor doubles) {
      double[] values = doubles.values();
      for (int o = 0, i = 0; o < outer; o++) {
        for (int f = 0; f < features; f++) {
          for (int end = i + inner; i < end; i++) {
            values[i] = inverse ? values[i] * scale[f] + offset[f] : (values[i] - offset[f]) / scale[f];
          }
        }
      }
    } else {
      throw new IllegalArgumentException("only float tensors are normalized, not " + tensor);
    }
  }

  static Object cloneArray(Tensor tensor) {
    Object array = tensor.array();
    if (array instanceof float[] values) {
      return values.clone();
    }
    if (array instanceof double[] values) {
      return values.clone();
    }
    if (array instanceof long[] values) {
      return values.clone();
    }
    if (array instanceof boolean[] values) {
      return values.clone();
    }
    return ((String[]) array).clone();
  }


  private static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }
}

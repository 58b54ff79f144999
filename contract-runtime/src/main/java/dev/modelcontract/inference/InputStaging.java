package dev.modelcontract.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory a thread's forward passes hand their inputs to libtorch in, kept from one pass to the next.
 * DJL copies a heap array into a {@link ByteBuffer#allocateDirect} buffer of its own for every tensor (native
 * memory zeroed, then freed by a {@code Cleaner} after some garbage collection: every young collection found
 * thousands of them); libtorch reads a direct buffer in place ({@code from_blob}) while the pass runs. So each
 * thread copies into one buffer it keeps, grown to what its passes need up to {@link #KEPT_BYTES}; a larger pass
 * gets a buffer of its own.
 *
 * <p>A pass's tensors are closed when it returns (its {@code NDManager} scope), and its outputs copied to the heap
 * before that: nothing reads the memory once the next pass on the thread writes it.
 */
final class InputStaging {

  /** The most bytes a thread keeps between passes (a batch of 32 sequences of 200 × 40 float32 is 1 MiB). */
  static final int KEPT_BYTES = 1 << 20;
  /** Each input starts on a cache line, where oneDNN's kernels read it best. */
  private static final int ALIGNMENT = 64;

  private static final ThreadLocal<InputStaging> BY_THREAD = ThreadLocal.withInitial(InputStaging::new);

  private ByteBuffer kept;
  private ByteBuffer pass;
  private int used;

  /** This thread's staging, made ready for a pass whose inputs take {@code bytes} (each rounded up to the alignment). */
  static InputStaging forPass(long bytes) {
    InputStaging staging = BY_THREAD.get();
    staging.start(bytes);
    return staging;
  }

  /** The bytes a tensor of {@code values} elements of {@code width} bytes takes here. */
  static long footprint(long values, int width) {
    return (values * width + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private void start(long bytes) {
    if (bytes > KEPT_BYTES) {
      pass = ByteBuffer.allocateDirect(Math.toIntExact(bytes + ALIGNMENT));
    } else {
      if (kept == null || kept.capacity() < bytes + ALIGNMENT) {
        // grown in powers of two, to what the thread's passes need: a fleet of small models keeps little each
        int powerOfTwo = Math.max(4096, Integer.highestOneBit((int) bytes + ALIGNMENT - 1) << 1);
        kept = ByteBuffer.allocateDirect(Math.min(powerOfTwo, KEPT_BYTES + ALIGNMENT));
      }
      pass = kept;
    }
    used = pass.alignmentOffset(0, ALIGNMENT) == 0 ? 0 : ALIGNMENT - pass.alignmentOffset(0, ALIGNMENT);
  }

  /** The bytes this thread keeps between passes. */
  int keptBytes() {
    return kept == null ? 0 : kept.capacity();
  }

  /** The next {@code bytes} of this pass's memory, in native order, aligned. */
  ByteBuffer next(int bytes) {
    ByteBuffer slice = pass.slice(used, bytes).order(ByteOrder.nativeOrder());
    used += (int) footprint(bytes, 1);
    return slice;
  }
}

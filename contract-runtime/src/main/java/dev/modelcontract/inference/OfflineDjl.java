package dev.modelcontract.inference;

/**
 * DJL's engine start calls the EC2 metadata address and may download libtorch unless told not to. Every entry
 * point that can load DJL calls {@link #enforce()} before the first DJL class initializes.
 */
public final class OfflineDjl {

  private OfflineDjl() {}

  public static void enforce() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
  }
}

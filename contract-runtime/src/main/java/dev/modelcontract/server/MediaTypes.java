package dev.modelcontract.server;

import dev.modelcontract.contract.ModelContract;
import java.util.List;
import java.util.Locale;

/**
 * The body formats of /invocations by media type, which of them can carry a request for a contract, and the small
 * part of HTTP content negotiation the SageMaker protocol needs.
 */
public final class MediaTypes {

  public static final String JSON = "application/json";
  /** One JSON request per line (SageMaker batch transform's {@code SplitType=Line}), answered line for line. */
  public static final String JSON_LINES = "application/jsonlines";
  /** One numpy array, as {@code np.save} writes it (the SageMaker SDK's NumpySerializer). */
  public static final String NPY = "application/x-npy";
  /** numpy arrays by name, as {@code np.savez} and {@code np.savez_compressed} write them. */
  public static final String NPZ = "application/x-npz";
  /** Rows of values, one per batch item (the SageMaker SDK's CSVSerializer). */
  public static final String CSV = "text/csv";

  private MediaTypes() {}

  /**
   * Every media type a request body for this contract may have, the preferred first: JSON, JSON Lines and .npz
   * always; .npy where the contract has one input; CSV where that input is a batch of rows.
   */
  public static List<String> requestTypes(ModelContract contract) {
    return new BodyFormats(contract, Long.MAX_VALUE).requestTypes();
  }

  /** The media type of a Content-Type header without its parameters, lower case; null when absent. */
  static String essence(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  /**
   * The offered type an Accept header prefers (RFC 9110 §12.5.1): each type takes the quality of the most specific
   * range that matches it; the highest quality wins, ties going to the earlier offer. An absent header takes the
   * first offer; null when no offer is acceptable.
   */
  static String negotiate(String accept, List<String> offered) {
    if (accept == null || !namesAType(accept)) {
      return offered.get(0); // absent, or nothing but separators ("Accept: ;"): no preference, as if not sent
    }
    String best = null;
    double bestQuality = 0;
    for (String type : offered) {
      double quality = quality(accept, type);
      if (quality > bestQuality) {
        best = type;
        bestQuality = quality;
      }
    }
    return best;
  }

  private static boolean namesAType(String accept) {
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (parts.length > 0 && !parts[0].isBlank()) {
        return true;
      }
    }
    return false;
  }

  /** The quality an Accept header gives a type: that of its most specific matching range; 0 when none matches. */
  private static double quality(String accept, String type) {
    String major = type.substring(0, type.indexOf('/'));
    int specificity = -1;
    double quality = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (parts.length == 0) {
        continue; // a range of separators only names no type
      }
      String media = parts[0].strip().toLowerCase(Locale.ROOT);
      int match = media.equals(type) ? 2 : media.equals(major + "/*") ? 1 : media.equals("*/*") ? 0 : -1;
      if (match > specificity) {
        specificity = match;
        quality = qualityOf(parts);
      }
    }
    return quality;
  }

  private static double qualityOf(String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String parameter = parameters[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("q=")) {
        try {
          double quality = Double.parseDouble(parameter.substring(2));
          return quality >= 0 && quality <= 1 ? quality : 0;
        } catch (NumberFormatException e) {
          return 1; // a quality that is not a number is ignored, as if absent
        }
      }
    }
    return 1;
  }
}

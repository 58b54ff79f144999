package dev.modelcontract.server;

import java.util.Locale;

/** The small part of HTTP content negotiation the SageMaker protocol needs. */
final class MediaTypes {

  static final String JSON = "application/json";
  /** One JSON request per line (SageMaker batch transform's {@code SplitType=Line}), answered line for line. */
  static final String JSON_LINES = "application/jsonlines";

  private MediaTypes() {}

  /** The media type of a Content-Type header without its parameters, lower case; null when absent. */
  static String essence(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  /** Whether an Accept header admits the given type; an absent header admits everything. */
  static boolean accepts(String accept, String type) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    String major = type.substring(0, type.indexOf('/'));
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String media = parts[0].strip().toLowerCase(Locale.ROOT);
      if (zeroQuality(parts)) {
        continue;
      }
      if (media.equals("*/*") || media.equals(type) || media.equals(major + "/*")) {
        return true;
      }
    }
    return false;
  }

  private static boolean zeroQuality(String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String parameter = parameters[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("q=")) {
        try {
          return Double.parseDouble(parameter.substring(2)) == 0.0;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }
}

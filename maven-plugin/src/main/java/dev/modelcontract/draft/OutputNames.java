package dev.modelcontract.draft;

/** Response names for a returned dict's keys: the key itself where the contract language allows it as a name. */
final class OutputNames {

  private OutputNames() {}

  /** The key with each character a name cannot hold replaced by {@code _}, and {@code _} before a leading digit. */
  static String of(String key) {
    String name = key.replaceAll("[^A-Za-z0-9_-]", "_");
    return name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_' ? "_" + name : name;
  }
}

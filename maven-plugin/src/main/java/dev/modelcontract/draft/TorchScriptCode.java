package dev.modelcontract.draft;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Python source TorchScript keeps in its file: {@code torch.jit.save} writes a zip whose {@code data.pkl}
 * pickles the root module (its first opcode names the root class, e.g. {@code __torch__.PriceVolumeLstm}) and whose
 * {@code code/} folder holds each class's compiled code, {@code __torch__.a.b.Net} in {@code code/__torch__/a/b.py}.
 * Read without libtorch, so the same file gives the same answer whichever engine would load it.
 *
 * @param rootClass the root module's qualified class name
 * @param source the code file that defines it
 */
record TorchScriptCode(String rootClass, String source) {

  /** The pickle opcodes the root object starts with: PROTO (optional), then GLOBAL "module\nname\n". */
  private static final int PROTO = 0x80;
  private static final int GLOBAL = 'c';

  /** The root class's simple name, as its {@code class} line spells it. */
  String simpleName() {
    return rootClass.substring(rootClass.lastIndexOf('.') + 1);
  }

  static TorchScriptCode read(Path file) throws DraftException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry data = dataPickle(zip);
      if (data == null) {
        throw new DraftException(file + " is a zip without data.pkl: not a TorchScript file; save the model with"
            + " torch.jit.save(torch.jit.script(model), path)");
      }
      String archive = data.getName().substring(0, data.getName().length() - "data.pkl".length());
      String rootClass;
      try (InputStream in = zip.getInputStream(data)) {
        rootClass = globalName(in.readNBytes(1024));
      }
      if (rootClass == null || !rootClass.startsWith("__torch__.")) {
        throw new DraftException(file + "'s data.pkl does not start with the root module's class: not a TorchScript"
            + " module saved by torch.jit.save");
      }
      String module = rootClass.substring(0, rootClass.lastIndexOf('.'));
      ZipEntry code = zip.getEntry(archive + "code/" + module.replace('.', '/') + ".py");
      if (code == null) {
        throw new DraftException(file + " has no code for its root class " + rootClass + " (" + archive + "code/"
            + module.replace('.', '/') + ".py): re-save it with torch.jit.save");
      }
      try (InputStream in = zip.getInputStream(code)) {
        return new TorchScriptCode(rootClass, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (java.util.zip.ZipException e) {
      throw new DraftException(file + " is not a TorchScript file (not a zip: " + e.getMessage() + "); save the model"
          + " with torch.jit.save(torch.jit.script(model), path)", e);
    } catch (IOException e) {
      throw new DraftException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code ARCHIVE/data.pkl}, one folder deep: the root module's pickle (not a nested {@code constants.pkl}). */
  private static ZipEntry dataPickle(ZipFile zip) {
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry entry = entries.nextElement();
      String name = entry.getName();
      if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
        return entry;
      }
    }
    return null;
  }

  /** {@code module.name} of a pickle that starts with a GLOBAL opcode, else null. */
  static String globalName(byte[] pickle) {
    int at = 0;
    if (pickle.length > 1 && (pickle[0] & 0xFF) == PROTO) {
      at = 2;
    }
    if (at >= pickle.length || pickle[at] != GLOBAL) {
      return null;
    }
    String text = new String(pickle, at + 1, pickle.length - at - 1, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", 3);
    return lines.length < 3 ? null : lines[0] + "." + lines[1];
  }
}

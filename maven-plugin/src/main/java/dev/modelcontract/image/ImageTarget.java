package dev.modelcontract.image;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the built image goes.
 *
 * @param kind the local Docker engine, a tar file ({@code docker load -i} takes it) or a registry
 * @param tarFile the tar file's path, for {@link Kind#TAR}
 * @param allowInsecureRegistries whether a registry may be reached over plain HTTP (or HTTPS without a trusted
 *     certificate): a registry on this machine, as in the tests
 */
public record ImageTarget(Kind kind, Path tarFile, boolean allowInsecureRegistries) {

  /** The three targets Jib can write to. */
  public enum Kind {
    DOCKER, TAR, REGISTRY;

    /** {@code docker}, {@code tar} or {@code registry}, any case. */
    public static Kind parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + name + "' is not an image target: docker (the local engine, the"
            + " default), tar (a file docker load takes) or registry (pushes to the image name's registry)", e);
      }
    }
  }

  /** Into the local Docker engine. */
  public static ImageTarget docker() {
    return new ImageTarget(Kind.DOCKER, null, false);
  }
}

package dev.modelcontract.image;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CycloneDX 1.6 SBOM of a serving image: the runtime's jars (Maven coordinates and SHA-256), libtorch and DJL's
 * JNI library as the image holds them (each file's SHA-256), the base image's Debian packages and Java runtime (from
 * its {@code dev.modelcontract.base.*} labels, which the default base image carries; another base image is named
 * with its ID), and the model and its contract. No timestamp, and a serial number derived from the content: the
 * same inputs give the same bytes.
 *
 * <p>Written with Jackson: CycloneDX's own library needs another major version of the JSON Schema validator than
 * the contract's (both in {@code com.networknt.schema}). The tests check the output against CycloneDX's schema.
 */
public final class ImageSbom {

  /** The labels the default base image's build script sets. */
  static final String DEBIAN_PACKAGES_LABEL = "dev.modelcontract.base.debian-packages";
  static final String JAVA_LABEL = "dev.modelcontract.base.java";
  static final String JAVA_MODULES_LABEL = "dev.modelcontract.base.java-modules";

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonNodeFactory NODES = JSON.getNodeFactory();

  private ImageSbom() {}

  /**
   * The SBOM as JSON.
   *
   * @param context the staged build context (libtorch and the JNI library are hashed as staged)
   */
  public static String json(ImageRequest request, LibTorch libtorch, BaseImage.Description base, Path context)
      throws IOException {
    ObjectNode bom = NODES.objectNode();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.6");
    bom.put("version", 1);
    ObjectNode metadata = bom.putObject("metadata");
    metadata.putObject("tools").putArray("components").add(component("application", "dev.modelcontract",
        "model-contract-maven-plugin", request.runtimeVersion()));
    metadata.set("component", component("container", null, name(request.imageName()), tag(request.imageName())));

    ArrayNode components = bom.putArray("components");
    for (RuntimeJar jar : request.runtimeJars()) {
      components.add(component("library", jar.groupId(), jar.artifactId(), jar.version())
          .put("purl", purl("maven", jar.groupId(), jar.artifactId(), jar.version(), Map.of()))
          .set("hashes", sha256(jar.file())));
    }
    components.add(nativeLibrary("libtorch", libtorch.version(),
        purl("maven", "ai.djl.pytorch", "pytorch-native-" + libtorch.flavor(), libtorch.version(),
            Map.of("classifier", libtorch.classifier())),
        "PyTorch's C++ library as DJL packages it, static symbol tables removed (no loaded byte changed)",
        files(context.resolve(ContainerTemplate.LIBTORCH_DIR))));
    components.add(nativeLibrary("djl_torch", libtorch.djlVersion(),
        purl("maven", "ai.djl.pytorch", "pytorch-jni", libtorch.version() + "-" + libtorch.djlVersion(), Map.of()),
        "DJL's JNI bridge to libtorch",
        List.of(context.resolve(ContainerTemplate.DJL_CACHE_DIR).resolve(libtorch.jniCachePath()))));
    baseImage(base, components);
    if (request.includeModel()) {
      components.add(component("machine-learning-model", null, request.contract().model().file(), null)
          .set("hashes", sha256(request.modelFile())));
      components.add(component("data", null, ContractReader.FILE_NAME, null)
          .set("hashes", sha256(request.contractFile())));
    }

    String unnumbered = JSON.writeValueAsString(bom);
    ObjectNode numbered = NODES.objectNode();
    bom.properties().forEach(entry -> {
      numbered.set(entry.getKey(), entry.getValue());
      if (entry.getKey().equals("specVersion")) {
        numbered.put("serialNumber",
            "urn:uuid:" + UUID.nameUUIDFromBytes(unnumbered.getBytes(StandardCharsets.UTF_8)));
      }
    });
    return JSON.writeValueAsString(numbered) + "\n";
  }

  private static void baseImage(BaseImage.Description base, ArrayNode components) {
    String packages = base.labels().get(DEBIAN_PACKAGES_LABEL);
    String java = base.labels().get(JAVA_LABEL);
    if (packages == null && java == null) {
      ObjectNode image = component("container", null, name(base.name()), tag(base.name()));
      image.putArray("properties")
          .add(property("dev.modelcontract:image-id", base.id()))
          .add(property("dev.modelcontract:note", "a base image without dev.modelcontract.base labels: its contents"
              + " are not listed"));
      components.add(image);
      return;
    }
    if (java != null) {
      ObjectNode runtime = debian("platform", java)
          .put("description", "OpenJDK runtime cut by jlink to the modules the server needs");
      if (base.labels().containsKey(JAVA_MODULES_LABEL)) {
        runtime.putArray("properties").add(property("dev.modelcontract:java-modules",
            base.labels().get(JAVA_MODULES_LABEL)));
      }
      components.add(runtime);
    }
    if (packages != null) {
      for (String pkg : packages.trim().split("\\s+")) {
        components.add(debian("library", pkg));
      }
    }
  }

  /** A Debian package given as {@code name=version}. */
  private static ObjectNode debian(String type, String nameAndVersion) {
    int at = nameAndVersion.indexOf('=');
    String name = at < 0 ? nameAndVersion : nameAndVersion.substring(0, at);
    String version = at < 0 ? null : nameAndVersion.substring(at + 1);
    return component(type, null, name, version)
        .put("purl", purl("deb", "debian", name, version, Map.of("arch", "amd64", "distro", "debian-12")));
  }

  private static ObjectNode nativeLibrary(String name, String version, String purl, String description,
      List<Path> files) throws IOException {
    ObjectNode library = component("library", null, name, version).put("purl", purl).put("description", description);
    ArrayNode parts = library.putArray("components");
    for (Path file : files) {
      parts.add(component("file", null, file.getFileName().toString(), null).set("hashes", sha256(file)));
    }
    return library;
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static ObjectNode component(String type, String group, String name, String version) {
    ObjectNode component = NODES.objectNode();
    component.put("type", type);
    component.put("bom-ref", (group == null ? "" : group + ":") + name + (version == null ? "" : "@" + version)
        + ("file".equals(type) ? "#file" : ""));
    if (group != null) {
      component.put("group", group);
    }
    component.put("name", name);
    if (version != null) {
      component.put("version", version);
    }
    return component;
  }

  private static ObjectNode property(String name, String value) {
    return NODES.objectNode().put("name", name).put("value", value);
  }

  private static String purl(String type, String namespace, String name, String version,
      Map<String, String> qualifiers) {
    try {
      return new PackageURL(type, namespace, name, version, new TreeMap<>(qualifiers), null).canonicalize();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException("not a package URL: " + type + "/" + namespace + "/" + name, e);
    }
  }

  private static ArrayNode sha256(Path file) throws IOException {
    return NODES.arrayNode().add(NODES.objectNode().put("alg", "SHA-256")
        .put("content", Sha256.of(file)));
  }

  private static String name(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  private static String tag(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
  }
}

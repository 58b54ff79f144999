package dev.modelcontract.maven;

import dev.modelcontract.image.RuntimeJar;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/** The jars of contract-runtime at the plugin's own version, resolved by Maven for the image. */
final class RuntimeArtifacts {

  private RuntimeArtifacts() {}

  /** contract-runtime and its runtime dependencies, without libtorch's native jar (the image has its files). */
  static List<RuntimeJar> resolve(RepositorySystem system, RepositorySystemSession session,
      List<RemoteRepository> repositories, String version) throws MojoExecutionException {
    Dependency runtime = new Dependency(
        new DefaultArtifact("dev.modelcontract", "contract-runtime", "jar", version), JavaScopes.RUNTIME, false,
        List.of(new Exclusion("ai.djl.pytorch", "pytorch-native-cpu", "*", "*")));
    DependencyRequest request = new DependencyRequest(new CollectRequest(runtime, repositories),
        DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    try {
      return system.resolveDependencies(session, request).getArtifactResults().stream()
          .map(ArtifactResult::getArtifact)
          .map(artifact -> new RuntimeJar(artifact.getGroupId(), artifact.getArtifactId(), artifact.getVersion(),
              artifact.getFile().toPath()))
          .toList();
    } catch (DependencyResolutionException e) {
      throw new MojoExecutionException("cannot resolve contract-runtime " + version + " for the image: "
          + e.getMessage() + " (docs/tutorial.md, section 'Installing the plugin')", e);
    }
  }
}

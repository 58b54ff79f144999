package dev.modelcontract.verify;

import com.github.dockerjava.api.DockerClient;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.SampleRequests;
import dev.modelcontract.golden.Check;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.GoldenReplay;
import dev.modelcontract.server.OpenApiDocument;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.testcontainers.containers.ContainerLaunchException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a serving image as SageMaker would and checks it against its contract: every golden pair within
 * tolerance, every contract-breaking request refused with the right 4xx problem, and the server still serving
 * afterwards.
 */
public final class ImageVerifier {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** What SageMaker waits between SIGTERM and SIGKILL. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Consumer<String> log;

  public ImageVerifier(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Verifies an image, serving its own model or a mounted model directory (as SageMaker serves the model.tar.gz of
   * ModelDataUrl).
   *
   * @param image the image to start
   * @param mountedModel the model directory mounted at /opt/ml/model; null to serve the image's own
   * @param contract the contract the image serves
   * @param golden the golden pairs to replay
   * @param tolerance the allowed difference, relative to {@code 1 + |expected|}
   * @param startupTimeout how long the container may take to answer 200 on /ping
   * @param seed the seed of the valid requests drawn from the contract
   */
  public VerificationReport verify(String image, Path mountedModel, ModelContract contract, List<GoldenCase> golden,
      double tolerance, Duration startupTimeout, long seed) {
    List<Check> checks = new ArrayList<>();
    try (SageMakerContainer container = new SageMakerContainer(image)) {
      if (mountedModel != null) {
        container.withModel(mountedModel);
      }
      container.withStartupTimeout(startupTimeout);
      long started = System.nanoTime();
      try {
        container.start();
      } catch (ContainerLaunchException e) {
        checks.add(Check.fail("container start", "the container did not answer 200 on /ping within "
            + startupTimeout.toSeconds() + " s; its log ends with:\n" + tail(container)));
        return new VerificationReport(image, null, checks);
      }
      Duration startup = Duration.ofNanos(System.nanoTime() - started);
      log.accept(String.format(Locale.ROOT, "%s answered /ping after %.2f s at %s", image, startup.toMillis() / 1000.0,
          container.getEndpoint()));
      URI invocations = container.getInvocationsUri();
      OpenApiDocument openApi = OpenApiDocument.of(contract);
      for (GoldenCase pair : golden) {
        checks.add(replay(invocations, pair, tolerance, openApi));
      }
      for (SampleRequests.Sizes sizes : SampleRequests.Sizes.values()) {
        checks.add(answer(invocations, contract, sizes, seed, openApi));
      }
      for (ProbeRequest probe : ContractBreakingRequests.of(contract)) {
        checks.add(refuse(invocations, probe));
      }
      if (!golden.isEmpty()) {
        Check again = replay(invocations, golden.get(0), tolerance, openApi);
        checks.add(new Check("still serving after the refused requests: " + golden.get(0).name(), again.passed(),
            again.detail()));
      }
      checks.add(stops(container));
      return new VerificationReport(image, startup, checks);
    }
  }

  /**
   * A golden pair sent to the image: the answer must be within tolerance, and fit the response schema of the
   * OpenAPI document the build attaches.
   */
  private Check replay(URI invocations, GoldenCase golden, double tolerance, OpenApiDocument openApi) {
    String name = GoldenReplay.checkName(golden);
    try {
      long started = System.nanoTime();
      HttpResponse<byte[]> response = send(invocations, "application/json", null, golden.requestBody());
      double millis = (System.nanoTime() - started) / 1e6;
      if (response.statusCode() != 200) {
        return Check.fail(name, "status " + response.statusCode() + ": " + text(response.body()));
      }
      List<String> unfit = openApi.responseProblems(response.body());
      if (!unfit.isEmpty()) {
        return Check.fail(name, "the answer does not fit the OpenAPI response schema: " + String.join("; ", unfit));
      }
      Map<String, Tensor> actual = new JsonTensorReader().read(new ByteArrayInputStream(response.body()));
      return GoldenReplay.result(name, golden, actual, tolerance, millis);
    } catch (TensorFormatException e) {
      return Check.fail(name, "the response is not a set of named tensors: " + e.getMessage());
    } catch (IOException e) {
      return Check.fail(name, "the request failed: " + e);
    }
  }

  /**
   * A request the contract accepts, drawn with the seed from the contract alone at the minimum, typical or maximum
   * size of every bounded dim: answered 200 with every declared output, every value finite, fitting the OpenAPI
   * response schema.
   */
  private Check answer(URI invocations, ModelContract contract, SampleRequests.Sizes sizes, long seed,
      OpenApiDocument openApi) {
    String name = "answers a valid request at the " + sizes.name().toLowerCase(Locale.ROOT) + " sizes (seed " + seed
        + ")";
    Map<String, Tensor> request = SampleRequests.of(contract, sizes, new Random(seed));
    try {
      HttpResponse<byte[]> response = send(invocations, "application/json", null,
          ContractBreakingRequests.encode(request));
      if (response.statusCode() != 200) {
        return Check.fail(name, "status " + response.statusCode() + " for inputs " + shapes(request) + ": "
            + text(response.body()));
      }
      List<String> unfit = openApi.responseProblems(response.body());
      if (!unfit.isEmpty()) {
        return Check.fail(name, "the answer does not fit the OpenAPI response schema: " + String.join("; ", unfit));
      }
      Map<String, Tensor> answer = new JsonTensorReader().read(new ByteArrayInputStream(response.body()));
      for (Map.Entry<String, Tensor> output : answer.entrySet()) {
        if (!finite(output.getValue())) {
          return Check.fail(name, "output '" + output.getKey() + "' holds NaN or an infinity for inputs "
              + shapes(request));
        }
      }
      return Check.pass(name, "inputs " + shapes(request) + " -> outputs " + shapes(answer));
    } catch (TensorFormatException e) {
      return Check.fail(name, "the response is not a set of named tensors: " + e.getMessage());
    } catch (IOException e) {
      return Check.fail(name, "the request failed: " + e);
    }
  }

  private static boolean finite(Tensor tensor) {
    if (tensor.array() instanceof float[] values) {
      for (float value : values) {
        if (!Float.isFinite(value)) {
          return false;
        }
      }
    } else if (tensor.array() instanceof double[] values) {
      for (double value : values) {
        if (!Double.isFinite(value)) {
          return false;
        }
      }
    }
    return true;
  }

  private static String shapes(Map<String, Tensor> tensors) {
    StringBuilder text = new StringBuilder();
    tensors.forEach((tensorName, tensor) -> text.append(text.length() == 0 ? "" : ", ").append(tensorName)
        .append(Arrays.toString(tensor.shape())));
    return text.toString();
  }

  /**
   * SageMaker stops a container with SIGTERM and kills it 30 s later: the server must drain and exit 0 first.
   */
  private static Check stops(SageMakerContainer container) {
    String name = "exits 0 within " + STOP_GRACE.toSeconds() + " s of SIGTERM, as SageMaker stops it";
    DockerClient docker = container.getDockerClient();
    String id = container.getContainerId();
    long started = System.nanoTime();
    docker.stopContainerCmd(id).withTimeout((int) STOP_GRACE.toSeconds()).exec();
    double seconds = (System.nanoTime() - started) / 1e9;
    Long exitCode = docker.inspectContainerCmd(id).exec().getState().getExitCodeLong();
    String seen = String.format(Locale.ROOT, "exit %d after %.2f s", exitCode, seconds);
    return exitCode != null && exitCode == 0 && seconds < STOP_GRACE.toSeconds() ? Check.pass(name, seen)
        : Check.fail(name, seen + " (137: killed when the grace ran out)");
  }

  private Check refuse(URI invocations, ProbeRequest probe) {
    String name = "refuses " + probe.name() + " with " + probe.status();
    try {
      HttpResponse<byte[]> response = send(invocations, probe.contentType(), probe.accept(), probe.body());
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      if (response.statusCode() != probe.status()) {
        return Check.fail(name, "got status " + response.statusCode() + ": " + text(response.body()));
      }
      if (!contentType.startsWith("application/problem+json")) {
        return Check.fail(name, "got Content-Type '" + contentType + "', expected application/problem+json");
      }
      JsonNode problem = JSON.readTree(response.body());
      if (probe.input() != null && !probe.input().equals(problem.path("input").asString(null))) {
        return Check.fail(name, "the problem does not name the input '" + probe.input() + "': " + problem);
      }
      return Check.pass(name, problem.path("detail").asString(""));
    } catch (JacksonException e) {
      return Check.fail(name, "the problem body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return Check.fail(name, "the request failed: " + e);
    }
  }

  private HttpResponse<byte[]> send(URI uri, String contentType, String accept, byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      request.header("Accept", accept);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String text(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  private static String tail(SageMakerContainer container) {
    try {
      String logs = container.getLogs();
      String[] lines = logs.split("\n");
      return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
    } catch (RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}

package dev.modelcontract.server;

import dev.modelcontract.enforcement.FeatureSkew;
import dev.modelcontract.inference.CpuKernels;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** What GET /metrics reports, in Prometheus' text format: one registry per server, no global state. */
final class ServerMetrics {

  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
  /** The latency histograms' buckets: 0.2 ms to a minute. */
  private static final double[] LATENCY_BOUNDS_SECONDS =
      {0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests = Counter.builder()
      .name("modelcontract_requests_total")
      .help("Requests answered, by path and HTTP status")
      .labelNames("path", "status")
      .register(registry);
  private final Histogram latency = Histogram.builder()
      .name("modelcontract_request_duration_seconds")
      .help("Time from a request's first byte read to its response written, by path")
      .labelNames("path")
      .classicOnly()
      .classicUpperBounds(LATENCY_BOUNDS_SECONDS)
      .register(registry);
  private final Counter modelRequests = Counter.builder()
      .name("modelcontract_model_requests_total")
      .help("On a multi-model endpoint, requests to a model's inference routes answered (POST /models/NAME/invoke"
          + " and /v2/models/NAME/infer), by model and HTTP status")
      .labelNames("model", "status")
      .register(registry);
  private final Histogram modelLatency = Histogram.builder()
      .name("modelcontract_model_request_duration_seconds")
      .help("On a multi-model endpoint, time from a request to a model's inference routes routed to its answer"
          + " ready, by model")
      .labelNames("model")
      .classicOnly()
      .classicUpperBounds(LATENCY_BOUNDS_SECONDS)
      .register(registry);
  private final Histogram batchSize = Histogram.builder()
      .name("modelcontract_batch_requests")
      .help("Requests that shared one forward pass")
      .classicOnly()
      .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128)
      .register(registry);

  /**
   * @param queueDepth requests read and checked, waiting for an inference thread
   * @param inProgress requests being read or served (connections not between requests)
   * @param skew each served model's observed skew, by its name
   */
  ServerMetrics(IntSupplier queueDepth, IntSupplier inProgress, Supplier<Map<String, List<FeatureSkew>>> skew) {
    GaugeWithCallback.builder()
        .name("modelcontract_queue_depth")
        .help("Requests waiting for an inference thread")
        .callback(callback -> callback.call(queueDepth.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("modelcontract_requests_in_progress")
        .help("Requests being read, waiting or running")
        .callback(callback -> callback.call(inProgress.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("modelcontract_cpu_kernels_info")
        .help("The oneDNN kernels libtorch runs with, 1 for the set in use: onednn_max_isa the cap (ALL: none), basis"
            + " why: checking (capped while the uncapped kernels are checked on this host), checked (uncapped: they"
            + " gave the capped numbers), differed (capped: they did not), not-switched (capped: they did, but the"
            + " port could not be handed to them), default, multi-model, capped-by-setting, environment"
            + " (ONEDNN_MAX_CPU_ISA), no-wider-kernels, little-memory")
        .labelNames("onednn_max_isa", "basis")
        .callback(callback -> CpuKernels.current().ifPresent(kernels ->
            callback.call(1, kernels.onednnMaxIsa(), kernels.basis().label())))
        .register(registry);
    skewGauge("modelcontract_input_skew_mean_shift", "Over the last minute, the observed mean of an input's feature"
        + " less its training mean, in training standard deviations (min-max scaling: from the middle of the range,"
        + " in quarters of it); near 0 when traffic looks like training", skew, FeatureSkew::meanShift);
    skewGauge("modelcontract_input_skew_std_ratio", "Over the last minute, the observed standard deviation of an"
        + " input's feature over its training standard deviation (min-max scaling: over a quarter of the range);"
        + " near 1 when traffic looks like training", skew, FeatureSkew::stdRatio);
    skewGauge("modelcontract_input_skew_outside_range_ratio", "Over the last minute, the share of an input's"
        + " feature values outside its training range (min-max scaling only)", skew, FeatureSkew::outsideShare);
    skewGauge("modelcontract_input_skew_values", "Values of an input's feature observed over the last minute, which"
        + " the other skew gauges describe", skew, FeatureSkew::values);
  }

  /** A gauge read from the models' observed skew, one series per model, input and feature where it is a number. */
  private void skewGauge(String name, String help, Supplier<Map<String, List<FeatureSkew>>> skew,
      ToDoubleFunction<FeatureSkew> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("model", "input", "feature")
        .callback(callback -> skew.get().forEach((model, features) -> features.forEach(feature -> {
          if (feature.ranged() || !name.endsWith("range_ratio")) { // standardization has no range to leave
            callback.call(value.applyAsDouble(feature), model, feature.input(), feature.feature());
          }
        })))
        .register(registry);
  }

  void answered(String path, int status, long nanos) {
    String known = Routes.label(path);
    requests.labelValues(known, Integer.toString(status)).inc();
    latency.labelValues(known).observe(nanos / 1e9);
  }

  /** A request to a multi-model endpoint's model answered (its invoke or its Open Inference Protocol infer). */
  void invoked(String model, int status, long nanos) {
    modelRequests.labelValues(model, Integer.toString(status)).inc();
    modelLatency.labelValues(model).observe(nanos / 1e9);
  }

  /** Drops an unloaded model's series, so that an endpoint cycling through many models keeps few. */
  void unloaded(String model) {
    modelRequests.removeIf(labels -> labels.get(0).equals(model));
    modelLatency.remove(model);
  }

  void forwardPass(int requestsInIt) {
    batchSize.observe(requestsInIt);
  }

  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      writer.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

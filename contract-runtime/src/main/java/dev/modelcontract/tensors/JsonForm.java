package dev.modelcontract.tensors;

/**
 * The JSON shapes a request arrives in, and so the shape its answer takes.
 *
 * <ul>
 *   <li>{@link #NAMED}: {@code {"input_1": …, "input_2": …}}, answered {@code {"output_1": …}};
 *   <li>{@link #INPUTS}: {@code {"inputs": {"input_1": …}}}, answered {@code {"outputs": {"output_1": …}}};
 *   <li>{@link #INSTANCES}: TensorFlow Serving's rows, {@code {"instances": [{"input_1": …, "input_2": …}, …]}},
 *       each row one batch item without the batch axis, answered {@code {"predictions": [{"output_1": …}, …]}};
 *   <li>{@link #OPEN_INFERENCE}: the Open Inference Protocol (KServe v2),
 *       {@code {"inputs": [{"name": "input_1", "shape": [1, 20, 4], "datatype": "FP32", "data": […]}]}}, answered
 *       {@code {"model_name": …, "outputs": [{"name", "shape", "datatype", "data"}]}} with data flat.
 * </ul>
 */
public enum JsonForm {
  NAMED,
  INPUTS,
  INSTANCES,
  OPEN_INFERENCE
}

package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.inference.TorchScriptModel;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model served by its contract: request tensors in, response tensors out. It is all the glue a hand-written
 * {@code input_fn}/{@code output_fn} would otherwise be: check, normalize, assemble, run, map, invert.
 * Omitted optional inputs (a request decoded without them) take their defaults; a request's arrays may be
 * normalized in place.
 */
public final class ContractModel implements AutoCloseable {

  private final ModelContract contract;
  private final TorchScriptModel model;
  private final InputBinder binder;
  private final Scaling scaling;
  private final ForwardAssembler assembler;
  private final OutputMapper outputs;
  private final JsonTensorReader requestReader;
  private final RequestBatch batch;
  /** What answers in place of the model; null where the model answers. */
  private final ModelStandIn standIn;

  /**
   * @throws ContractException when a default value in the contract does not fit its input
   */
  public ContractModel(ModelContract contract, TorchScriptModel model) throws ContractException {
    this(contract, model, null);
  }

  private ContractModel(ModelContract contract, TorchScriptModel model, ModelStandIn standIn) throws ContractException {
    this.contract = contract;
    this.model = model;
    this.standIn = standIn;
    this.binder = new InputBinder(contract);
    this.scaling = new Scaling(contract);
    this.assembler = new ForwardAssembler(contract);
    this.outputs = new OutputMapper(contract, scaling);
    this.requestReader = JsonTensorReader.forInputs(contract);
    this.batch = contract.batch().isPresent() ? new RequestBatch(contract) : null;
  }

  /**
   * Reads {@value ContractReader#FILE_NAME} from the model directory and loads the model file it names.
   *
   * @throws ContractException when the contract is invalid or its model file cannot be loaded
   */
  public static ContractModel load(Path modelDirectory) throws ContractException {
    ModelContract contract = new ContractReader().read(modelDirectory.resolve(ContractReader.FILE_NAME));
    Path file = modelDirectory.resolve(contract.model().file());
    TorchScriptModel model;
    try {
      model = TorchScriptModel.load(file);
    } catch (IOException e) {
      throw new ContractException(contract.source().file(), List.of(new ContractProblem(
          contract.locate("/model/file"), "/model/file",
          "the model file " + file + " cannot be loaded by DJL's PyTorch engine: " + e.getMessage(),
          "name a TorchScript file saved with torch.jit.save (torch.jit.script or torch.jit.trace)")));
    }
    try {
      return new ContractModel(contract, model);
    } catch (ContractException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A contract served without its model: requests are checked, normalized and refused exactly as with the model,
   * and the stand-in answers those that meet the contract.
   *
   * @throws ContractException when a default value in the contract does not fit its input
   */
  public static ContractModel withoutModel(ModelContract contract, ModelStandIn standIn) throws ContractException {
    return new ContractModel(contract, null, standIn);
  }

  public ModelContract contract() {
    return contract;
  }

  /** Decodes requests for this contract: each input by its declared dtype. */
  public JsonTensorReader requestReader() {
    return requestReader;
  }

  /**
   * Serves one request. The request's arrays are consumed: they are normalized in place.
   *
   * @throws ContractViolation when the request breaks the contract (the client's fault)
   * @throws OutputMismatch when the model returned what the contract does not describe
   * @throws ModelFailure when the model raised an error on a request that met the contract
   */
  public Map<String, Tensor> predict(Map<String, Tensor> request)
      throws ContractViolation, OutputMismatch, ModelFailure {
    return run(bind(request));
  }

  /**
   * Checks a request against the contract and normalizes it, ready for {@link #run}: everything that can refuse a
   * request happens here, before the model. The request's arrays are normalized in place.
   *
   * @throws ContractViolation when the request breaks the contract (the client's fault)
   */
  public BoundRequest bind(Map<String, Tensor> request) throws ContractViolation {
    BoundRequest bound = binder.bind(request);
    scaling.normalizeInputs(bound);
    return bound;
  }

  /**
   * Counts a bound request in the observed skew ({@link #skew}): a server calls it for each request it admits;
   * golden replays, dry runs and warm-ups do not, so they never show as traffic.
   */
  public void observe(BoundRequest bound) {
    scaling.observe(bound);
  }

  /** Runs one bound request through the model and maps what it returned onto the contract's outputs. */
  public Map<String, Tensor> run(BoundRequest bound) throws OutputMismatch, ModelFailure {
    if (standIn != null) {
      return standIn.answer(bound);
    }
    return outputs.map(model.forward(assembler.assemble(bound.inputs())), bound);
  }

  /**
   * Runs bound requests of one {@link RequestBatch#signature signature} as one forward pass and answers each
   * with its own rows, as {@link #run(BoundRequest)} would have.
   */
  public List<Map<String, Tensor>> run(List<BoundRequest> requests) throws OutputMismatch, ModelFailure {
    if (requests.size() == 1) {
      return List.of(run(requests.get(0)));
    }
    if (standIn != null) {
      List<Map<String, Tensor>> answers = new ArrayList<>(requests.size());
      for (BoundRequest request : requests) {
        answers.add(standIn.answer(request));
      }
      return answers;
    }
    return RequestBatch.split(run(batch.merge(requests)), requests);
  }

  /**
   * What live traffic looked like over the last {@link Scaling#SKEW_WINDOW} for every feature of every input with
   * training statistics, against them.
   */
  public List<FeatureSkew> skew() {
    return scaling.skew();
  }

  /** The most rows one forward pass may take: the batch dim's upper bound; 1 for a contract without batch axis. */
  public long maxBatchRows() {
    return contract.batch().map(spec -> contract.dim(spec.dim()).max()).orElse(1L);
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}

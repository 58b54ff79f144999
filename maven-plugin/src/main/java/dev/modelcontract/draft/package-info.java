/**
 * Drafting a contract from a TorchScript file, for {@code init}: forward's signature read from the code inside the
 * file ({@link dev.modelcontract.draft.ForwardSignature}), dtypes and shapes learned by running the model on a sample
 * request ({@link dev.modelcontract.draft.SampleRun}), and the draft written as YAML with a mark on each value left
 * to the user ({@link dev.modelcontract.draft.DraftYaml}). Plain Java on the runtime's contract and inference types.
 */
package dev.modelcontract.draft;

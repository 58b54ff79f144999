/**
 * Judging a model before it is packaged or served: dry runs of the real model on sample requests drawn from the
 * contract, golden pairs replayed on this CPU ({@link dev.modelcontract.validation.StartupCheck} runs both, for
 * {@code validate} and the image alike), payload estimates, and the verdicts they report.
 *
 * <p>May import {@code contract}, {@code tensors}, {@code inference}, {@code enforcement} and {@code golden}.
 */
package dev.modelcontract.validation;

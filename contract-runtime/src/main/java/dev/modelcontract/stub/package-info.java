/**
 * Answers without a model: golden requests get their golden responses, other valid requests zeros of the declared
 * shapes, behind the same enforcement as the model. The stub image and the kit's in-process stub serve these.
 *
 * <p>May import every package above {@code server}: {@code contract} to {@code validation}.
 */
package dev.modelcontract.stub;

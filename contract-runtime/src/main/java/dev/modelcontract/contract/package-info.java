/**
 * The model contract: immutable records read once from {@code model-contract.yaml} (JSON Schema, then the rules
 * no schema states), each field keeping its file and line, and the comparison of two contracts for breaking changes.
 * It also holds {@link dev.modelcontract.contract.ContractViolation}, how any request breaks a contract.
 *
 * <p>Imports nothing of the project: no HTTP, Maven, DJL or Docker. Every other package depends on it.
 */
package dev.modelcontract.contract;

/**
 * The first files of a new model repo, which the {@code init} goal writes: a starter contract and a note on golden
 * pairs. Plain Java on the runtime's contract types; it imports neither Maven nor Docker.
 */
package dev.modelcontract.starter;

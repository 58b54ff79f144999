/**
 * The first files of a new model repo, which the {@code init} goal writes: a pom with the plugin, the model file, the
 * contract drafted from it ({@link dev.modelcontract.draft}) and a note on golden pairs. Plain Java; it imports
 * neither Maven nor Docker.
 */
package dev.modelcontract.starter;

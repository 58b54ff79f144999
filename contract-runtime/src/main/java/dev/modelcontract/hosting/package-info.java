/**
 * The facts a serving image and its callers must agree on, each written once: SageMaker's hosting protocol (port,
 * model directory, body limit), the commands an image runs, and the environment variables it reads. Plain Java
 * with no dependencies, so the server, the image layout, the build-time checks and the testkit all read them from
 * here. The variables' defaults and reasons are documented in docs/configuration.md.
 */
package dev.modelcontract.hosting;

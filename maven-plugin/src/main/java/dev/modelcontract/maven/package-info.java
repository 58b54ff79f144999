/**
 * The plugin's goals: thin adapters that read their parameters, make one call into plain-Java code (the runtime,
 * the testkit, {@code dev.modelcontract.image}, {@code dev.modelcontract.starter}) and log or attach the result.
 * The only package that imports {@code org.apache.maven} and Maven's resolver, so the work itself runs in tests
 * without Maven.
 */
package dev.modelcontract.maven;

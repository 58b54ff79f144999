package dev.modelcontract.examples.forecast;

/**
 * What the model says about the next period.
 *
 * @param nextClose the next close, in price units
 * @param direction where the price goes: down, flat or up
 */
public record Forecast(double nextClose, String direction) {}

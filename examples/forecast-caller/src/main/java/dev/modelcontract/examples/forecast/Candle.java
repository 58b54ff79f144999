package dev.modelcontract.examples.forecast;

/** One trading period: what the forecast is made from. */
public record Candle(double open, double low, double high, double close, double volume, double spread) {}

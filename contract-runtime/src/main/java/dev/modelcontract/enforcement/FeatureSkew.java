package dev.modelcontract.enforcement;

/**
 * What live traffic looked like for one feature over the recent window, against its training statistics.
 *
 * @param input the input's name
 * @param feature the feature as metrics label it: its name, else its index on the feature axis
 * @param values how many values the window holds; the other numbers are NaN where it holds none
 * @param meanShift the observed mean's distance from the training mean, in training standard deviations (for min-max
 *     scaling: from the middle of the range, in quarters of it)
 * @param stdRatio the observed standard deviation over the training one (for min-max scaling: over a quarter of the
 *     range)
 * @param outsideShare for min-max scaling, the share of values outside the training range (NaN where none came);
 *     NaN for standardization, which has no range
 * @param ranged whether the feature has a training range (min-max scaling)
 */
public record FeatureSkew(String input, String feature, long values, double meanShift, double stdRatio,
    double outsideShare, boolean ranged) {}

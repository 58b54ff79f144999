package dev.modelcontract.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A declared shape, e.g. {@code [batch, T, 4]}.
 *
 * @param dims the axes, outermost first
 */
public record TensorShape(List<Dim> dims) {

  public TensorShape {
    dims = List.copyOf(dims);
  }

  public int rank() {
    return dims.size();
  }

  public Dim dim(int axis) {
    return dims.get(axis);
  }

  public Dim last() {
    return dims.get(dims.size() - 1);
  }

  /** The shape without its first axis, as an unbatched request states it. */
  public TensorShape withoutFirst() {
    return new TensorShape(dims.subList(1, dims.size()));
  }

  @Override
  public String toString() {
    return dims.stream().map(Dim::describe).collect(Collectors.joining(", ", "[", "]"));
  }
}

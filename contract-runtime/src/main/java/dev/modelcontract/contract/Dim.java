package dev.modelcontract.contract;

/** One axis of a declared shape: a fixed size or a named dynamic dim. */
public sealed interface Dim {

  /** How the axis is written in the contract: the size or the name. */
  String describe();

  /** An axis of one fixed size. */
  record Fixed(long size) implements Dim {
    @Override
    public String describe() {
      return Long.toString(size);
    }
  }

  /** An axis whose size comes with each request and is shared by every axis of the same name. */
  record Named(String name) implements Dim {
    @Override
    public String describe() {
      return name;
    }
  }
}

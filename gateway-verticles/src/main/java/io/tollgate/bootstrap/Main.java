package io.tollgate.bootstrap;

public final class Main {
  public static void main(String[] args) {
  }
}

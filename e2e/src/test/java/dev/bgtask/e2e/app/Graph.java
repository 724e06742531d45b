package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public final class Graph {

  private Graph() {}

  /** A node that can point at itself: not representable as JSON. */
  public static final class Node {
    private final String name;
    private Node next;

    public Node(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public Node getNext() {
      return next;
    }

    public void setNext(Node next) {
      this.next = next;
    }
  }

  @Background
  public static void walk(String label, Node start) {
    Results.record("walked " + label);
  }

  @Background
  public static int countNodes(Node start) {
    return 1;
  }
}

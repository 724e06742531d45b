package dev.bgtask.e2e.app;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Delivery {
  @JsonProperty("express") EXPRESS,
  @JsonProperty("standard") STANDARD
}

package dev.bgtask.e2e.app;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A polymorphic type: a stored row would have to name the class to build, which tasks never allow. */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
public interface Payment {

  record Card(String number) implements Payment {}
}

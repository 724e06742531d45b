package dev.bgtask.demo;

public record Customer(String name, String email) {}

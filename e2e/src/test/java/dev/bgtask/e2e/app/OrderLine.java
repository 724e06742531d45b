package dev.bgtask.e2e.app;

public record OrderLine(String sku, int quantity) {}

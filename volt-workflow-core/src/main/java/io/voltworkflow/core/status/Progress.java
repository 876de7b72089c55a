package io.voltworkflow.core.status;

public record Progress(int completedSteps, int totalSteps, double percent, String message) {}

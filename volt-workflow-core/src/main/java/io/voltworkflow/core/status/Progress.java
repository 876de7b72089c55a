package io.voltworkflow.core.status;

import org.jspecify.annotations.Nullable;

public record Progress(
        int completedSteps,
        int totalSteps,
        double percent,
        @Nullable String message) {}

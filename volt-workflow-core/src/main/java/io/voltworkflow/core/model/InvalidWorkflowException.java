package io.voltworkflow.core.model;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow definition was refused; nothing was created. Every problem found is listed, not just the first. */
public final class InvalidWorkflowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<WorkflowProblem> problems;

    public InvalidWorkflowException(List<WorkflowProblem> problems) {
        super("invalid workflow: "
                + problems.stream().map(WorkflowProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<WorkflowProblem> problems() {
        return problems;
    }
}

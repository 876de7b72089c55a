package io.voltworkflow.engines.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.DeliveryRequest.DeliveredTask;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.WorkflowId;
import java.util.Objects;

/**
 * A task's commit message: the title as subject, the description and acceptance criteria as body, and trailers
 * that say where the commit came from; {@code Volt-Workflow-Id} and {@code Volt-Task-Id} are how a repeated delivery
 * recognises the commit.
 */
final class CommitMessages {
    private static final int MAX_SUBJECT = 72;

    private CommitMessages() {}

    static String of(DeliveredTask delivered, WorkflowId workflow) {
        TaskSpec task = delivered.task();
        StringBuilder message =
                new StringBuilder(subject(task.title().isBlank() ? "Task " + task.id() : task.title())).append("\n\n");
        if (!task.description().isBlank()) {
            message.append(task.description().strip().replace("\r", "")).append("\n\n");
        }
        if (!task.acceptanceCriteria().isEmpty()) {
            message.append("Acceptance criteria:\n");
            task.acceptanceCriteria()
                    .forEach(criterion ->
                            message.append("- ").append(criterion.strip()).append('\n'));
            message.append('\n');
        }
        JsonNode details = Objects.requireNonNull(delivered.code(), "code").details();
        String model = details == null ? "" : details.path("model").asText("");
        message.append(GitDelivery.WORKFLOW_TRAILER)
                .append(": ")
                .append(workflow.value())
                .append('\n')
                .append(GitDelivery.TASK_TRAILER)
                .append(": ")
                .append(task.id())
                .append('\n')
                .append("Volt-Engine: ")
                .append(trailerValue(delivered.code().generator()))
                .append('\n')
                .append("Volt-Model: ")
                .append(trailerValue(model))
                .append('\n')
                .append("Volt-Repair-Round: ")
                .append(delivered.repairRound())
                .append('\n');
        return message.toString();
    }

    private static String subject(String title) {
        String line = title.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_SUBJECT ? line : line.substring(0, MAX_SUBJECT - 1) + "…";
    }

    private static String trailerValue(String value) {
        String line = value == null ? "" : value.strip().replaceAll("\\s+", " ");
        return line.isEmpty() ? "none" : line;
    }
}

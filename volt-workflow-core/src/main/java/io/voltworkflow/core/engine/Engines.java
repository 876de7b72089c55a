package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.StepType;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The engines an orchestrator calls. A step whose engine is missing fails with
 * {@link io.voltworkflow.core.model.StepError#NO_HANDLER} rather than at start-up, so hosts can run partial plans.
 */
public final class Engines {
    private final @Nullable NlpEngine nlp;
    private final @Nullable CodegenEngine codegen;
    private final @Nullable ValidationEngine validation;
    private final TaskStorage taskStorage;
    private final @Nullable DeliveryEngine delivery;
    private final Map<String, StepHandler> customHandlers;

    private Engines(Builder builder) {
        this.nlp = builder.nlp;
        this.codegen = builder.codegen;
        this.validation = builder.validation;
        this.taskStorage = builder.taskStorage;
        this.delivery = builder.delivery;
        this.customHandlers = Map.copyOf(builder.customHandlers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<NlpEngine> nlp() {
        return Optional.ofNullable(nlp);
    }

    public Optional<CodegenEngine> codegen() {
        return Optional.ofNullable(codegen);
    }

    public Optional<ValidationEngine> validation() {
        return Optional.ofNullable(validation);
    }

    public TaskStorage taskStorage() {
        return taskStorage;
    }

    /** Where the completion step delivers the result; none leaves it in the workspace. */
    public Optional<DeliveryEngine> delivery() {
        return Optional.ofNullable(delivery);
    }

    public Optional<StepHandler> customHandler(StepType.Custom type) {
        return Optional.ofNullable(customHandlers.get(type.id()));
    }

    public Builder toBuilder() {
        Builder builder = new Builder()
                .nlp(nlp)
                .codegen(codegen)
                .validation(validation)
                .taskStorage(taskStorage)
                .delivery(delivery);
        builder.customHandlers.putAll(customHandlers);
        return builder;
    }

    public static final class Builder {
        private @Nullable NlpEngine nlp;
        private @Nullable CodegenEngine codegen;
        private @Nullable ValidationEngine validation;
        private TaskStorage taskStorage = TaskStorage.NONE;
        private @Nullable DeliveryEngine delivery;
        private final Map<String, StepHandler> customHandlers = new HashMap<>();

        private Builder() {}

        public Builder nlp(@Nullable NlpEngine nlp) {
            this.nlp = nlp;
            return this;
        }

        public Builder codegen(@Nullable CodegenEngine codegen) {
            this.codegen = codegen;
            return this;
        }

        public Builder validation(@Nullable ValidationEngine validation) {
            this.validation = validation;
            return this;
        }

        public Builder taskStorage(TaskStorage taskStorage) {
            this.taskStorage = Objects.requireNonNull(taskStorage, "taskStorage");
            return this;
        }

        public Builder delivery(@Nullable DeliveryEngine delivery) {
            this.delivery = delivery;
            return this;
        }

        /** Serves steps of the custom type {@code typeId}. */
        public Builder customStep(String typeId, StepHandler handler) {
            customHandlers.put(new StepType.Custom(typeId).id(), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        public Engines build() {
            return new Engines(this);
        }
    }
}

package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.engines.EngineCheck;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.server.EngineCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engines of a host with configured profiles: every call is routed to the engines of the profile its workflow
 * names (the {@value EngineCatalog#PROFILE_LABEL} label; the default profile otherwise). {@link #reload()} reads the
 * configuration again and swaps engines in for new calls; a profile whose configuration did not change keeps its
 * engine instances, so code generation jobs running in this process are not lost.
 */
public final class EngineRouter implements EngineCatalog, AutoCloseable {

    private final EngineFactory factory = EngineFactory.create();
    private final Supplier<EngineProfiles> loader;
    private final Map<WorkflowId, String> profileByWorkflow = new ConcurrentHashMap<>();
    private volatile Loaded current;
    private volatile @Nullable Function<WorkflowId, String> profileLookup;

    private record Loaded(EngineProfiles profiles, Map<String, Engines> engines) {}

    /** {@code loader} reads the configuration; it is called now and on every reload. */
    public EngineRouter(Supplier<EngineProfiles> loader) {
        this.loader = loader;
        try {
            this.current = build(loader.get(), null);
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
    }

    /** Workflows' profiles are read from their labels in {@code orchestrator} (once per workflow). */
    public void bind(WorkflowOrchestrator orchestrator) {
        profileLookup = id -> orchestrator.getWorkflowStatus(id).labels().get(PROFILE_LABEL);
    }

    public EngineProfiles profiles() {
        return current.profiles();
    }

    /** Engines that route each call by the workflow's profile. */
    public Engines engines() {
        return Engines.builder()
                .nlp(new RoutedNlp())
                .codegen(new RoutedCodegen())
                .validation(new RoutedValidation())
                .build();
    }

    @Override
    public Set<String> profileNames() {
        return current.profiles().profiles().keySet();
    }

    @Override
    public String defaultProfile() {
        return current.profiles().defaultProfile();
    }

    @Override
    public WorkflowOptions apply(@Nullable String profile, WorkflowOptions options) {
        EngineProfile chosen = current.profiles().profile(profile);
        Map<String, String> labels = new LinkedHashMap<>(options.labels());
        labels.put(PROFILE_LABEL, chosen.name());
        Budget budget = options.budget().equals(Budget.UNLIMITED) ? chosen.budget() : options.budget();
        return options.toBuilder().budget(budget).labels(labels).build();
    }

    @Override
    public synchronized String reload() {
        Loaded before = current;
        EngineProfiles profiles = loader.get();
        current = build(profiles, before);
        return "engines reloaded: profiles "
                + new java.util.TreeSet<>(profiles.profiles().keySet()) + ", default '" + profiles.defaultProfile()
                + "'";
    }

    @Override
    public JsonNode check() {
        EngineProfiles profiles = current.profiles();
        ObjectNode report = JsonNodeFactory.instance.objectNode().put("defaultProfile", profiles.defaultProfile());
        ArrayNode list = report.putArray("profiles");
        boolean ok = true;
        for (EngineProfile profile : profiles.profiles().values()) {
            ObjectNode entry = list.addObject()
                    .put("name", profile.name())
                    .put("default", profile.name().equals(profiles.defaultProfile()))
                    .put("offline", profile.offline());
            ArrayNode engines = entry.putArray("engines");
            for (String stage : EngineProfile.STAGES) {
                EngineConfig config = profile.stage(stage);
                EngineCheck check = factory.check(config);
                String credential = profile.credentialIds().get(stage);
                if (Boolean.FALSE.equals(check.authOk()) && credential != null) {
                    check = check.withProblem(check.problem() + "; check the credential '" + credential + "'");
                }
                ok &= check.ok();
                engines.add(json(stage, check));
            }
        }
        report.put("ok", ok);
        return report;
    }

    private static ObjectNode json(String stage, EngineCheck check) {
        ObjectNode node = JsonNodeFactory.instance
                .objectNode()
                .put("stage", stage)
                .put("type", check.kind().id())
                .put("target", check.target())
                .put("reachable", check.reachable());
        putNullable(node, "model", check.model());
        putNullable(node, "authOk", check.authOk());
        putNullable(node, "modelAvailable", check.modelAvailable());
        putNullable(node, "structuredOutput", check.structuredOutput());
        if (check.latency() == null) {
            node.putNull("latencyMs");
        } else {
            node.put("latencyMs", check.latency().toMillis());
        }
        putNullable(node, "problem", check.problem());
        return node;
    }

    private static void putNullable(ObjectNode node, String field, @Nullable Object value) {
        if (value == null) {
            node.putNull(field);
        } else if (value instanceof Boolean b) {
            node.put(field, b);
        } else {
            node.put(field, value.toString());
        }
    }

    private Loaded build(EngineProfiles profiles, @Nullable Loaded before) {
        Map<String, Engines> engines = new LinkedHashMap<>();
        for (EngineProfile profile : profiles.profiles().values()) {
            EngineProfile old =
                    before == null ? null : before.profiles().profiles().get(profile.name());
            if (before != null && old != null && old.source().equals(profile.source())) {
                engines.put(profile.name(), before.engines().get(profile.name()));
            } else {
                try {
                    engines.put(profile.name(), factory.engines(profile.config()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("engines.profiles." + profile.name() + ": " + e.getMessage(), e);
                }
            }
        }
        return new Loaded(profiles, Map.copyOf(engines));
    }

    private Engines enginesFor(EngineContext context) {
        WorkflowId workflow = context.workflowId();
        Function<WorkflowId, String> lookup = profileLookup;
        String named = profileByWorkflow.get(workflow);
        if (named == null) {
            if (lookup == null) {
                // Not bound yet (the orchestrator recovers workflows while it opens): look again next call.
                throw new EngineException(StepError.retryable(StepError.ENGINE_UNAVAILABLE, "engines are starting"));
            }
            String label = lookup.apply(workflow);
            named = label == null ? "" : label;
            profileByWorkflow.put(workflow, named);
        }
        Loaded loaded = current;
        String name = named.isEmpty() ? loaded.profiles().defaultProfile() : named;
        Engines engines = loaded.engines().get(name);
        if (engines == null) {
            throw new EngineException(StepError.recoverable(
                    StepError.ENGINE_ERROR,
                    "engine profile '" + name
                            + "' is not configured (profiles: "
                            + new java.util.TreeSet<>(loaded.engines().keySet())
                            + "); add it to the configuration and reload, then resume the workflow"));
        }
        return engines;
    }

    private static <T> CompletionStage<T> routed(Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static EngineException noHandler(String stage) {
        return new EngineException(
                StepError.recoverable(StepError.NO_HANDLER, "the engine profile has no " + stage + " engine"));
    }

    private final class RoutedNlp implements NlpEngine {
        @Override
        public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
            return routed(() -> nlp(context).analyze(request, context));
        }

        @Override
        public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
            return routed(() -> nlp(context).createTasks(request, context));
        }

        private NlpEngine nlp(EngineContext context) {
            return enginesFor(context).nlp().orElseThrow(() -> noHandler("analysis"));
        }
    }

    private final class RoutedCodegen implements CodegenEngine {
        @Override
        public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
            return routed(() -> codegen(context).submit(request, context));
        }

        @Override
        public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
            return routed(() -> codegen(context).poll(job, context));
        }

        @Override
        public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
            return routed(() -> codegen(context).cancel(job, context));
        }

        private CodegenEngine codegen(EngineContext context) {
            return enginesFor(context).codegen().orElseThrow(() -> noHandler("code generation"));
        }
    }

    private final class RoutedValidation implements ValidationEngine {
        @Override
        public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
            return routed(() -> enginesFor(context)
                    .validation()
                    .orElseThrow(() -> noHandler("validation"))
                    .validate(request, context));
        }

        @Override
        public Optional<CompletionStage<ValidationResult>> validateCheckout(
                Path checkout, ValidationRequest request, EngineContext context) {
            return enginesFor(context)
                    .validation()
                    .orElseThrow(() -> noHandler("validation"))
                    .validateCheckout(checkout, request, context);
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}

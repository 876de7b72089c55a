package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and hostile workflow definitions through {@link WorkflowOrchestrator#createWorkflow}: each is either
 * created whole or refused with {@link InvalidWorkflowException} naming every problem, and a refused one leaves no
 * trace. An independent reference (Kahn's algorithm rather than the validator's depth-first search) decides which
 * definitions are valid.
 */
class WorkflowDefinitionFuzzTest {
    private static final WorkflowId FIXED_ID = WorkflowId.of("wf-fuzz");
    private static final StepType WORK = StepType.of("work");
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @AfterContainer
    static void summary() {
        System.out.printf(
                "bad-input definitions: %d tried, %d created whole, %d refused naming the problem, "
                        + "0 other exceptions, 0 partial workflows%n",
                CREATED.get() + REFUSED.get(), CREATED.get(), REFUSED.get());
    }

    @Property(tries = 400, seed = "20261125")
    void aDefinitionIsCreatedWholeOrRefusedWithItsProblemsNamed(@ForAll("definitions") WorkflowDefinition definition) {
        Set<String> expected = ReferenceValidator.problemCodes(definition);
        try (WorkflowOrchestrator orchestrator = openOrchestrator()) {
            Throwable thrown = catchThrowable(() -> orchestrator.createWorkflow(definition));

            if (expected.isEmpty()) {
                assertThat(thrown).as("a valid definition is created").isNull();
                assertThat(orchestrator.getWorkflowStatus(FIXED_ID).state()).isEqualTo(WorkflowState.INITIALIZED);
                assertThat(orchestrator.getWorkflowStatus(FIXED_ID).steps())
                        .hasSize(definition.steps().size());
                CREATED.incrementAndGet();
                return;
            }
            assertThat(thrown).as("refused, expecting %s", expected).isInstanceOf(InvalidWorkflowException.class);
            List<WorkflowProblem> problems = ((InvalidWorkflowException) thrown).problems();
            assertThat(problems).isNotEmpty();
            Set<String> stepNames = new HashSet<>();
            definition.steps().forEach(s -> stepNames.add(s.name()));
            for (WorkflowProblem problem : problems) {
                assertThat(expected).as("reported %s", problem).contains(problem.code());
                assertThat(problem.message()).isNotBlank();
                assertThat(thrown.getMessage()).contains(problem.code());
                if (problem.step() != null) {
                    assertThat(stepNames).contains(problem.step());
                }
            }
            assertNothingCreated(orchestrator);
            REFUSED.incrementAndGet();
        }
    }

    @Property(tries = 200, seed = "20261125")
    void aReportedCycleIsARealCycleOfTheDefinition(@ForAll("cyclicDefinitions") WorkflowDefinition definition) {
        try (WorkflowOrchestrator orchestrator = openOrchestrator()) {
            Throwable thrown = catchThrowable(() -> orchestrator.createWorkflow(definition));

            assertThat(thrown).isInstanceOf(InvalidWorkflowException.class);
            WorkflowProblem cycle =
                    ((InvalidWorkflowException) thrown).problems().get(0);
            assertThat(cycle.code()).isEqualTo(WorkflowProblem.CYCLE);
            List<String> path = List.of(
                    cycle.message().substring(cycle.message().indexOf(": ") + 2).split(" -> "));
            assertThat(path.get(0)).isEqualTo(path.get(path.size() - 1)).isEqualTo(cycle.step());
            Map<String, List<String>> dependencies = new HashMap<>();
            definition.steps().forEach(s -> dependencies.put(s.name(), s.dependencies()));
            for (int i = 0; i + 1 < path.size(); i++) {
                assertThat(dependencies.get(path.get(i)))
                        .as("%s depends on %s", path.get(i), path.get(i + 1))
                        .contains(path.get(i + 1));
            }
            assertNothingCreated(orchestrator);
        }
    }

    /** The standard-plan entry point takes arbitrary Java values as project context. */
    @Property(tries = 200, seed = "20261125")
    void aStandardPlanWithHostileTextOrContextIsCreatedOrRefusedCleanly(
            @ForAll("requirements") String requirement, @ForAll("javaContexts") Map<String, Object> context) {
        try (WorkflowOrchestrator orchestrator = openOrchestrator()) {
            Throwable thrown =
                    catchThrowable(() -> orchestrator.createWorkflow(requirement, context, fixedIdOptions()));

            if (thrown == null) {
                assertThat(orchestrator.getWorkflowStatus(FIXED_ID).requirement())
                        .isEqualTo(requirement);
                CREATED.incrementAndGet();
            } else {
                assertThat(thrown).isInstanceOf(InvalidWorkflowException.class);
                assertThat(((InvalidWorkflowException) thrown).problems())
                        .extracting(WorkflowProblem::code)
                        .isSubsetOf(
                                WorkflowProblem.EMPTY_REQUIREMENT,
                                WorkflowProblem.REQUIREMENT_TOO_LONG,
                                WorkflowProblem.CONTEXT_TOO_LARGE,
                                WorkflowProblem.INVALID_INPUT);
                assertNothingCreated(orchestrator);
                REFUSED.incrementAndGet();
            }
        }
    }

    /** 1,000 is the deepest JSON document Jackson's default read constraints let a host parse. */
    @Example
    void deeplyNestedContextAndStepInputAreCreatedOrRefusedCleanly() {
        for (int depth : new int[] {100, 1_000}) {
            WorkflowDefinition deepContext = new WorkflowDefinition(
                    "deep", FuzzData.deepObject(depth), List.of(StepDefinition.of("a", WORK)), fixedIdOptions());
            WorkflowDefinition deepInput = new WorkflowDefinition(
                    "deep",
                    null,
                    List.of(StepDefinition.of("a", WORK).withInput(FuzzData.deepObject(depth))),
                    fixedIdOptions());
            for (WorkflowDefinition definition : List.of(deepContext, deepInput)) {
                try (WorkflowOrchestrator orchestrator = openOrchestrator()) {
                    Throwable thrown = catchThrowable(() -> orchestrator.createWorkflow(definition));
                    if (thrown == null) {
                        CREATED.incrementAndGet();
                    } else {
                        assertThat(thrown).as("depth %d", depth).isInstanceOf(InvalidWorkflowException.class);
                        assertNothingCreated(orchestrator);
                        REFUSED.incrementAndGet();
                    }
                }
            }
        }
    }

    /** Not generated values: jqwik hashes its samples, and these maps' hash codes overflow the stack. */
    @Example
    void aSelfReferencingOrTooDeepJavaContextIsRefusedAsInvalidInput() {
        Map<String, Object> selfReferencing = new HashMap<>();
        selfReferencing.put("self", selfReferencing);
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> current = deep;
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> next = new HashMap<>();
            current.put("d", next);
            current = next;
        }
        for (Map<String, Object> context : List.of(selfReferencing, deep)) {
            try (WorkflowOrchestrator orchestrator = openOrchestrator()) {
                Throwable thrown = catchThrowable(() -> orchestrator.createWorkflow("loop", context, fixedIdOptions()));

                assertThat(thrown).isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("INVALID_INPUT");
                assertNothingCreated(orchestrator);
            }
        }
    }

    private static void assertNothingCreated(WorkflowOrchestrator orchestrator) {
        assertThat(orchestrator.listWorkflows(WorkflowQuery.ALL)).isEmpty();
        assertThat(catchThrowable(() -> orchestrator.getWorkflowStatus(FIXED_ID)))
                .isInstanceOf(WorkflowNotFoundException.class);
        assertThat(catchThrowable(() -> orchestrator.events(FIXED_ID, 0, 10)))
                .isInstanceOf(WorkflowNotFoundException.class);
    }

    private static WorkflowOrchestrator openOrchestrator() {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .timeSource(new VirtualTimeSource())
                .idGenerator(() -> FIXED_ID)
                .build());
    }

    private static WorkflowOptions fixedIdOptions() {
        return WorkflowOptions.builder().workflowId(FIXED_ID).build();
    }

    // ------------------------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<WorkflowDefinition> definitions() {
        return Combinators.combine(requirements(), contexts(), stepLists(namePools()))
                .as((requirement, context, steps) ->
                        new WorkflowDefinition(requirement, context, steps, fixedIdOptions()));
    }

    @Provide
    Arbitrary<WorkflowDefinition> cyclicDefinitions() {
        return Arbitraries.integers()
                .between(2, 60)
                .flatMap(size -> Combinators.combine(
                                Arbitraries.integers().between(0, size - 1),
                                Arbitraries.integers().between(0, size - 1),
                                Arbitraries.longs())
                        .as((from, to, seed) -> {
                            int low = Math.min(from, to);
                            int high = Math.max(from, to);
                            if (low == high) {
                                low = high == size - 1 ? high - 1 : low;
                                high = low + 1;
                            }
                            // The random DAG only has edges to earlier steps; chain low..high and add one edge back
                            // from low to high.
                            List<StepDefinition> cyclic = new ArrayList<>(FuzzData.randomDag(size, seed, WORK));
                            for (int i = low + 1; i <= high; i++) {
                                cyclic.set(i, withDependency(cyclic.get(i), "s" + (i - 1)));
                            }
                            cyclic.set(low, withDependency(cyclic.get(low), "s" + high));
                            return new WorkflowDefinition("cyclic", null, cyclic, fixedIdOptions());
                        }));
    }

    private static StepDefinition withDependency(StepDefinition step, String dependency) {
        if (step.dependencies().contains(dependency)) {
            return step;
        }
        List<String> dependencies = new ArrayList<>(step.dependencies());
        dependencies.add(dependency);
        return step.withDependencies(dependencies);
    }

    @Provide
    Arbitrary<String> requirements() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(0).ofMaxLength(200),
                Arbitraries.strings()
                        .withChars(" \t\n\r\u000B\u00A0\u2028\u3000")
                        .ofMaxLength(20),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(300),
                Arbitraries.of(
                        "Implement JWT authentication",
                        "x".repeat(FuzzData.MAX_REQUIREMENT),
                        "x".repeat(FuzzData.MAX_REQUIREMENT + 1),
                        "\u0000\u0001\u001b[31mred\u001b[0m",
                        "<script>alert(1)</script>",
                        "\uD800 lone surrogate",
                        "🚀".repeat(FuzzData.MAX_REQUIREMENT / 2),
                        "🚀".repeat(FuzzData.MAX_REQUIREMENT / 2 + 1)));
    }

    private Arbitrary<JsonNode> contexts() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                FuzzData.jsonObjects(3),
                Arbitraries.of(f.arrayNode(), f.textNode("not an object"), f.numberNode(42), f.nullNode()),
                Arbitraries.of(
                        contextOfSize(FuzzData.MAX_CONTEXT_CHARS),
                        contextOfSize(FuzzData.MAX_CONTEXT_CHARS + 1),
                        FuzzData.deepObject(900)));
    }

    @Provide
    Arbitrary<Map<String, Object>> javaContexts() {
        return Arbitraries.oneOf(
                Arbitraries.maps(
                                Arbitraries.strings().all().ofMaxLength(10),
                                Arbitraries.oneOf(
                                        Arbitraries.strings()
                                                .all()
                                                .ofMaxLength(20)
                                                .map(s -> (Object) s),
                                        Arbitraries.integers().map(i -> (Object) i),
                                        Arbitraries.doubles().map(d -> (Object) d),
                                        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY)
                                                .map(d -> (Object) d),
                                        Arbitraries.of(List.of(1, "two"), Map.of("nested", true))))
                        .ofMaxSize(5),
                Arbitraries.of(
                        Map.of("unserializable", new Object()),
                        Map.of("thread", Thread.currentThread().getThreadGroup()),
                        Map.of("big", "y".repeat(FuzzData.MAX_CONTEXT_CHARS))));
    }

    private static ObjectNode contextOfSize(int chars) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        // {"k":"…"} is 8 characters around the value.
        node.put("k", "v".repeat(chars - 8));
        return node;
    }

    /** Step names are drawn from a pool so that duplicates and known dependencies are common. */
    private Arbitrary<List<String>> namePools() {
        Arbitrary<String> odd = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(12),
                Arbitraries.of(
                        "",
                        " ",
                        "\t",
                        "a\u0000b",
                        "line\nbreak",
                        "x".repeat(200),
                        "x".repeat(201),
                        "Requirement Analysis",
                        "../../etc/passwd",
                        "名前",
                        "emoji 🚀",
                        "\u202Eevil"));
        Arbitrary<String> plain = Arbitraries.integers().between(0, 15).map(i -> "s" + i);
        return Arbitraries.frequencyOf(Tuple.of(6, plain), Tuple.of(1, odd))
                .list()
                .ofMinSize(0)
                .ofMaxSize(12);
    }

    private Arbitrary<List<StepDefinition>> stepLists(Arbitrary<List<String>> pools) {
        return pools.flatMap(names -> {
            if (names.isEmpty()) {
                return Arbitraries.just(List.<StepDefinition>of());
            }
            Arbitrary<String> dependency = Arbitraries.frequencyOf(
                    Tuple.of(8, Arbitraries.of(names)), Tuple.of(1, Arbitraries.of("ghost", "", "s99")));
            Arbitrary<JsonNode> input = Arbitraries.frequencyOf(
                    Tuple.of(8, FuzzData.jsonObjects(2)),
                    Tuple.of(
                            1,
                            Arbitraries.of(
                                    JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.textNode("x"))));
            Arbitrary<StepType> type = Arbitraries.of(
                    StepType.ANALYSIS, StepType.CODEGEN, StepType.COMPLETION, WORK, StepType.of("security_scan"));
            List<Arbitrary<StepDefinition>> steps = new ArrayList<>();
            for (String name : names) {
                steps.add(Combinators.combine(type, dependency.list().ofMaxSize(4), input)
                        .as((t, deps, in) -> new StepDefinition(name, t, deps, in, null, null)));
            }
            return Combinators.combine(steps).as(List::copyOf);
        });
    }

    /** What the documented rules say about a definition, computed without the validator. */
    static final class ReferenceValidator {
        private ReferenceValidator() {}

        static Set<String> problemCodes(WorkflowDefinition definition) {
            Set<String> codes = new HashSet<>();
            String requirement = definition.requirementText();
            if (requirement.isBlank()) {
                codes.add(WorkflowProblem.EMPTY_REQUIREMENT);
            } else if (requirement.length() > FuzzData.MAX_REQUIREMENT) {
                codes.add(WorkflowProblem.REQUIREMENT_TOO_LONG);
            }
            if (!definition.projectContext().isObject()) {
                codes.add(WorkflowProblem.INVALID_INPUT);
            } else if (definition.projectContext().toString().length() > FuzzData.MAX_CONTEXT_CHARS) {
                codes.add(WorkflowProblem.CONTEXT_TOO_LARGE);
            }
            codes.addAll(graphProblemCodes(definition.steps()));
            return codes;
        }

        private static Set<String> graphProblemCodes(List<StepDefinition> steps) {
            Set<String> codes = new HashSet<>();
            if (steps.isEmpty()) {
                codes.add(WorkflowProblem.NO_STEPS);
                return codes;
            }
            Set<String> names = new HashSet<>();
            for (StepDefinition step : steps) {
                String name = step.name();
                if (name.isBlank() || name.length() > 200 || name.codePoints().anyMatch(Character::isISOControl)) {
                    codes.add(WorkflowProblem.INVALID_STEP_NAME);
                }
                if (!names.add(name)) {
                    codes.add(WorkflowProblem.DUPLICATE_STEP);
                }
                if (!step.input().isObject()) {
                    codes.add(WorkflowProblem.INVALID_INPUT);
                }
            }
            for (StepDefinition step : steps) {
                if (new HashSet<>(step.dependencies()).size()
                        != step.dependencies().size()) {
                    codes.add(WorkflowProblem.DUPLICATE_DEPENDENCY);
                }
                for (String dependency : step.dependencies()) {
                    if (dependency.equals(step.name())) {
                        codes.add(WorkflowProblem.CYCLE);
                    } else if (!names.contains(dependency)) {
                        codes.add(WorkflowProblem.UNKNOWN_DEPENDENCY);
                    }
                }
            }
            if (codes.isEmpty() && !acyclic(steps)) {
                codes.add(WorkflowProblem.CYCLE);
            }
            return codes;
        }

        /** Kahn's algorithm: every step can be ordered after its dependencies. */
        private static boolean acyclic(List<StepDefinition> steps) {
            Map<String, Integer> missing = new HashMap<>();
            Map<String, List<String>> dependents = new HashMap<>();
            for (StepDefinition step : steps) {
                missing.put(step.name(), step.dependencies().size());
                for (String dependency : step.dependencies()) {
                    dependents
                            .computeIfAbsent(dependency, d -> new ArrayList<>())
                            .add(step.name());
                }
            }
            ArrayDeque<String> ready = new ArrayDeque<>();
            missing.forEach((name, count) -> {
                if (count == 0) {
                    ready.add(name);
                }
            });
            int ordered = 0;
            while (!ready.isEmpty()) {
                String next = ready.poll();
                ordered++;
                for (String dependent : dependents.getOrDefault(next, List.of())) {
                    if (missing.merge(dependent, -1, Integer::sum) == 0) {
                        ready.add(dependent);
                    }
                }
            }
            return ordered == steps.size();
        }
    }
}

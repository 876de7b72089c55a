package io.voltworkflow.it.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Shared generators and the documented input limits (docs/reliability.md), written out rather than imported. */
final class FuzzData {
    static final int MAX_REQUIREMENT = 100_000;
    static final int MAX_CONTEXT_CHARS = 64 * 1024;
    static final int MAX_STEPS = 10_000;
    static final int MAX_TASKS = 200;

    private FuzzData() {}

    /** Steps {@code s0..s(size-1)}; each depends on a random subset of the steps before it, so never a cycle. */
    static List<StepDefinition> randomDag(int size, long seed, StepType type) {
        return randomDag("s", size, seed, type);
    }

    /** {@link #randomDag(int, long, StepType)} with step names {@code <prefix>0..}. */
    static List<StepDefinition> randomDag(String prefix, int size, long seed, StepType type) {
        Random random = new Random(seed);
        List<StepDefinition> steps = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            List<String> dependencies = new ArrayList<>();
            for (int j = Math.max(0, i - 8); j < i; j++) {
                if (random.nextInt(3) == 0) {
                    dependencies.add(prefix + j);
                }
            }
            steps.add(new StepDefinition(prefix + i, type, dependencies, null, null, null));
        }
        return steps;
    }

    /** {@code s0 <- s1 <- ... <- s(length-1)}: the deepest graph of that size. */
    static List<StepDefinition> chain(int length, StepType type) {
        List<StepDefinition> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            steps.add(new StepDefinition("s" + i, type, i == 0 ? List.of() : List.of("s" + (i - 1)), null, null, null));
        }
        return steps;
    }

    /** Small JSON objects with hostile keys and values, nested up to {@code depth}. */
    static Arbitrary<JsonNode> jsonObjects(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30).map(JsonNodeFactory.instance::textNode),
                Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.doubles().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()));
        Arbitrary<JsonNode> value =
                depth <= 1 ? leaf : Arbitraries.oneOf(leaf, Arbitraries.lazy(() -> jsonObjects(depth - 1)));
        return Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(12), value)
                .ofMaxSize(4)
                .map(entries -> {
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    entries.forEach(node::set);
                    return node;
                });
    }

    /** {"d":{"d":{…}}} nested {@code depth} times. */
    static ObjectNode deepObject(int depth) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode current = root;
        for (int i = 1; i < depth; i++) {
            current = current.putObject("d");
        }
        return root;
    }
}

package io.jenkins.plugins.voltworkflow.runtime;

import io.jenkins.plugins.voltworkflow.delivery.DeliverySpec;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to create (or find again) one workflow of a build: its name within the build, the requirement,
 * the project context, one engine per role and the limits. Serializable plain data, copied out of the Pipeline
 * step so that it survives a controller restart; it holds credentials ids, never secrets.
 */
public final class WorkflowRequest implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int MAX_REQUIREMENT_LENGTH = 100_000;
    public static final String DEFAULT_NAME = "volt";

    private final String name;
    private final String requirement;
    private final LinkedHashMap<String, Object> projectContext;
    private final ArrayList<EngineSpec> engines;
    private final WorkflowLimits limits;
    /** {@code null}: no delivery (the default; requests saved before delivery existed read as that too). */
    private final DeliverySpec delivery;

    private WorkflowRequest(
            String name,
            String requirement,
            LinkedHashMap<String, Object> projectContext,
            ArrayList<EngineSpec> engines,
            WorkflowLimits limits,
            DeliverySpec delivery) {
        this.name = name;
        this.requirement = requirement;
        this.projectContext = projectContext;
        this.engines = engines;
        this.limits = limits;
        this.delivery = delivery;
    }

    /**
     * @param engines the engines the step names; roles it leaves out take the global defaults, then the built-in
     *        engines
     * @throws IllegalArgumentException naming the problem (blank or oversized requirement, two engines for a role,
     *         a bad name)
     */
    public static WorkflowRequest of(
            String name,
            String requirement,
            Map<String, ?> projectContext,
            List<EngineSpec> engines,
            List<EngineSpec> defaultEngines,
            WorkflowLimits limits) {
        String cleanName = nameOrDefault(name);
        if (!cleanName.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,39}")) {
            throw new IllegalArgumentException("workflow name '" + cleanName
                    + "' must be 1-40 letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (requirement == null || requirement.isBlank()) {
            throw new IllegalArgumentException("requirement is required: describe what the workflow should build");
        }
        if (requirement.length() > MAX_REQUIREMENT_LENGTH) {
            throw new IllegalArgumentException("requirement is " + requirement.length() + " characters; at most "
                    + MAX_REQUIREMENT_LENGTH + " are allowed");
        }
        return new WorkflowRequest(
                cleanName,
                requirement,
                plainCopy(projectContext),
                new ArrayList<>(enginesByRole(engines, defaultEngines).values()),
                Objects.requireNonNull(limits, "limits"),
                null);
    }

    /** This request, delivering its result as {@code delivery} says. */
    public WorkflowRequest withDelivery(DeliverySpec delivery) {
        return new WorkflowRequest(name, requirement, projectContext, engines, limits, delivery);
    }

    /** A workflow name as given, trimmed, or the default name when none is. */
    public static String nameOrDefault(String name) {
        return name == null || name.isBlank() ? DEFAULT_NAME : name.trim();
    }

    private static Map<EngineRole, EngineSpec> enginesByRole(List<EngineSpec> engines, List<EngineSpec> defaults) {
        Map<EngineRole, EngineSpec> byRole = new EnumMap<>(EngineRole.class);
        for (EngineSpec engine : engines) {
            if (byRole.put(engine.role(), engine) != null) {
                throw new IllegalArgumentException(
                        "two engines configured for the " + engine.role().id() + " role; configure one per role");
            }
        }
        for (EngineSpec engine : defaults) {
            byRole.putIfAbsent(engine.role(), engine);
        }
        for (EngineRole role : EngineRole.values()) {
            byRole.putIfAbsent(role, EngineSpec.builtin(role));
        }
        return byRole;
    }

    /** A deep copy made only of maps, lists, strings, numbers and booleans (what Pipeline and JSON both accept). */
    private static LinkedHashMap<String, Object> plainCopy(Map<String, ?> context) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        if (context != null) {
            context.forEach((key, value) -> copy.put(String.valueOf(key), plainValue(key, value)));
        }
        return copy;
    }

    private static Object plainValue(Object key, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString(); // Groovy GStrings
        }
        if (value instanceof Map<?, ?> map) {
            LinkedHashMap<String, Object> nested = new LinkedHashMap<>();
            map.forEach((k, v) -> nested.put(String.valueOf(k), plainValue(k, v)));
            return nested;
        }
        if (value instanceof Iterable<?> items) {
            ArrayList<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(plainValue(key, item)));
            return list;
        }
        throw new IllegalArgumentException("projectContext['" + key + "'] is a "
                + value.getClass().getSimpleName() + "; use strings, numbers, booleans, lists and maps");
    }

    public String name() {
        return name;
    }

    public String requirement() {
        return requirement;
    }

    public Map<String, Object> projectContext() {
        return projectContext;
    }

    /** One engine per role, in role order. */
    public List<EngineSpec> engines() {
        return List.copyOf(engines);
    }

    public EngineSpec engine(EngineRole role) {
        return engines.stream().filter(e -> e.role() == role).findFirst().orElseThrow();
    }

    public WorkflowLimits limits() {
        return limits;
    }

    /** Where the result is delivered as a branch and pull request; empty when it is not. */
    public Optional<DeliverySpec> delivery() {
        return Optional.ofNullable(delivery);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkflowRequest that
                && name.equals(that.name)
                && requirement.equals(that.requirement)
                && projectContext.equals(that.projectContext)
                && engines.equals(that.engines)
                && limits.equals(that.limits)
                && Objects.equals(delivery, that.delivery);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, requirement, projectContext, engines, limits);
    }
}

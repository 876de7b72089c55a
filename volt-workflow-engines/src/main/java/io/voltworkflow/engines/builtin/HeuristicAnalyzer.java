package io.voltworkflow.engines.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Stages;
import io.voltworkflow.engines.internal.TaskPlans;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The offline requirement analyzer: deterministic heuristics, no model. Each requirement statement (a bullet, a
 * numbered item or a sentence) becomes a task. Tasks are layered by their keywords — data, then logic, then
 * interface, then quality (tests, docs) — and a task depends on the tasks of lower layers that share a significant word with it
 * (quality tasks on every lower task when none does), so the plan is always acyclic. The same text always gives
 * the same plan.
 */
public final class HeuristicAnalyzer implements NlpEngine {
    public static final String ENGINE = "builtin-heuristic";
    private static final Pattern ITEM_MARKER = Pattern.compile("^\\s*(?:[-*•]|\\d+[.)]|\\[[ xX]?])\\s+");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])\\s+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*(?:,\\s*(?:and|or|then)\\s+|,|;)\\s*");
    private static final Pattern SERIAL_JOIN = Pattern.compile(",\\s+(?:and|then)\\s+");
    private static final int MAX_TITLE = 72;
    private static final Set<String> STOP_WORDS = Set.of(
            "the", "and", "that", "with", "from", "this", "have", "must", "should", "shall", "will", "when", "then",
            "able", "each", "every", "their", "they", "user", "users", "system", "into", "only", "also", "more", "than",
            "which", "there", "after", "before", "allow", "allows", "make", "sure");

    /** Layers in build order; keywords are matched against whole words. */
    @SuppressWarnings("ImmutableEnumChecker") // Set.of is unmodifiable
    enum Layer {
        DATA(
                "The data change is backward compatible or ships with a migration",
                "schema",
                "database",
                "table",
                "model",
                "entity",
                "store",
                "stored",
                "persist",
                "persisted",
                "migration",
                "field",
                "column",
                "record",
                "records",
                "data"),
        LOGIC(
                "Unit tests cover the success path and at least one failure path",
                "api",
                "endpoint",
                "service",
                "validate",
                "validation",
                "calculate",
                "compute",
                "process",
                "logic",
                "rule",
                "authenticate",
                "login",
                "send",
                "notify",
                "import",
                "export",
                "parse",
                "retry",
                "limit"),
        INTERFACE(
                "The behaviour is reachable from the user interface and covered by a test",
                "ui",
                "page",
                "screen",
                "button",
                "form",
                "display",
                "show",
                "view",
                "dashboard",
                "frontend",
                "cli",
                "menu",
                "report"),
        QUALITY(
                "The check runs as part of the project's build",
                "test",
                "tests",
                "document",
                "documentation",
                "docs",
                "readme",
                "log",
                "logging",
                "monitor",
                "metric",
                "metrics",
                "performance",
                "security",
                "audit");

        final String criterion;
        final Set<String> keywords;

        Layer(String criterion, String... keywords) {
            this.criterion = criterion;
            this.keywords = Set.of(keywords);
        }
    }

    @Override
    public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
        return Stages.guarded(() -> {
            List<String> statements = statements(request.requirementText());
            List<TaskSpec> tasks = plan(statements);
            context.recordProvenance("engine", ENGINE);
            ObjectNode details = Json.object().put("engine", ENGINE).put("ai", false);
            ObjectNode layers = details.putObject("layers");
            tasks.forEach(task ->
                    layers.put(task.id(), layer(task.description()).name().toLowerCase(Locale.ROOT)));
            String summary = firstSentence(statements.get(0)) + " (" + statements.size() + " requirement"
                    + (statements.size() == 1 ? "" : "s") + "; heuristic analysis, not AI)";
            return CompletableFuture.completedFuture(
                    new AnalysisResult(summary, statements, tasks, complexity(statements.size()), details));
        });
    }

    @Override
    public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
        return Stages.guarded(() -> {
            context.recordProvenance("engine", ENGINE);
            List<TaskSpec> proposed =
                    request.analysis() == null ? List.of() : request.analysis().proposedTasks();
            List<TaskSpec> tasks = proposed.isEmpty() ? plan(statements(request.requirementText())) : proposed;
            return CompletableFuture.completedFuture(TaskPlans.requireValid(new TaskPlan(tasks), ENGINE, false));
        });
    }

    static List<String> statements(String text) {
        if (text == null || text.isBlank()) {
            throw new EngineException(StepError.fatal(
                    StepError.INVALID_INPUT, "the requirement text is empty; there is nothing to analyse"));
        }
        Set<String> statements = new LinkedHashSet<>();
        StringBuilder paragraph = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (ITEM_MARKER.matcher(line).find()) {
                addSentences(paragraph.toString(), statements);
                paragraph.setLength(0);
                addIfMeaningful(clean(ITEM_MARKER.matcher(line).replaceFirst("")), statements);
            } else if (line.isBlank()) {
                addSentences(paragraph.toString(), statements);
                paragraph.setLength(0);
            } else {
                paragraph.append(' ').append(line.strip());
            }
        }
        addSentences(paragraph.toString(), statements);
        if (statements.isEmpty()) {
            statements.add(clean(text));
        }
        if (statements.size() > TaskPlan.MAX_TASKS) {
            throw new EngineException(StepError.fatal(
                    StepError.INVALID_INPUT,
                    "the requirement has " + statements.size()
                            + " statements and the heuristic analyzer makes one task per statement, at most "
                            + TaskPlan.MAX_TASKS
                            + "; split it into several workflows or configure an AI engine"));
        }
        return List.copyOf(statements);
    }

    /**
     * A sentence of fewer than three words ("Thanks!") is not a requirement; a clause split off a list may have two
     * ("document it"), since the list gave it its context.
     */
    private static void addSentences(String paragraph, Set<String> statements) {
        for (String sentence : SENTENCE_END.split(paragraph.strip())) {
            if (!sentence.isBlank()) {
                List<String> items = listItems(sentence);
                if (items.size() == 1) {
                    addIfMeaningful(items.get(0), statements);
                } else {
                    statements.addAll(items);
                }
            }
        }
    }

    private static void addIfMeaningful(String statement, Set<String> statements) {
        if (WORD.matcher(statement).results().count() >= 3) {
            statements.add(statement);
        }
    }

    /**
     * "Build the API: users can register, log in, and admins can deactivate users" is three requirements: a lead-in
     * followed by a list of at least two clauses becomes one statement per clause. So is a sentence that joins its
     * last clause with ", and" or ", then" ("Store the records in PostgreSQL, and document it"). Anything else stays
     * whole, as does any list with a clause of a single word.
     */
    static List<String> listItems(String sentence) {
        int colon = sentence.indexOf(": ");
        boolean joined = SERIAL_JOIN.matcher(sentence).find();
        if (colon > 0 || joined) {
            String[] clauses = LIST_SEPARATOR.split(
                    sentence.substring(colon > 0 ? colon + 2 : 0).strip());
            List<String> items = new ArrayList<>();
            for (String clause : clauses) {
                if (WORD.matcher(clause).results().count() >= 2) {
                    items.add(clean(clause));
                }
            }
            if (items.size() >= 2 && items.size() == clauses.length) {
                return items;
            }
        }
        return List.of(clean(sentence));
    }

    private static String clean(String statement) {
        String stripped = statement.strip().replaceAll("\\s+", " ").replaceAll("[.;]+$", "");
        return stripped.isEmpty() ? stripped : Character.toUpperCase(stripped.charAt(0)) + stripped.substring(1);
    }

    private static List<TaskSpec> plan(List<String> statements) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            Layer layer = layer(statement);
            List<String> dependsOn = new ArrayList<>();
            List<String> allLower = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                Layer other = layer(statements.get(j));
                if (other.compareTo(layer) < 0) {
                    allLower.add(id(j));
                    if (sharesWord(statement, statements.get(j))) {
                        dependsOn.add(id(j));
                    }
                }
            }
            if (dependsOn.isEmpty() && layer == Layer.QUALITY) {
                dependsOn = allLower;
            }
            tasks.add(
                    new TaskSpec(id(i), title(statement), statement, dependsOn, criteria(statement, layer), List.of()));
        }
        return tasks;
    }

    private static String id(int index) {
        return "T" + (index + 1);
    }

    /** The layer with the most keyword hits; on a tie the later layer, since it builds on the earlier ones. */
    static Layer layer(String statement) {
        Set<String> words = words(statement);
        Layer best = Layer.LOGIC;
        long bestHits = 0;
        for (Layer layer : Layer.values()) {
            long hits = words.stream().filter(layer.keywords::contains).count();
            if (hits > 0 && hits >= bestHits) {
                best = layer;
                bestHits = hits;
            }
        }
        return best;
    }

    private static boolean sharesWord(String a, String b) {
        Set<String> shared = significantWords(a);
        shared.retainAll(significantWords(b));
        return !shared.isEmpty();
    }

    private static Set<String> significantWords(String text) {
        Set<String> words = words(text);
        words.removeIf(word -> word.length() < 4 || STOP_WORDS.contains(word));
        return words;
    }

    private static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        WORD.matcher(text.toLowerCase(Locale.ROOT)).results().forEach(match -> words.add(match.group()));
        return words;
    }

    private static List<String> criteria(String statement, Layer layer) {
        List<String> criteria = new ArrayList<>();
        criteria.add("An automated test demonstrates: " + statement);
        criteria.add(layer.criterion);
        criteria.add("The project's build and existing tests still pass");
        return criteria;
    }

    private static String title(String statement) {
        if (statement.length() <= MAX_TITLE) {
            return statement;
        }
        int cut = statement.lastIndexOf(' ', MAX_TITLE - 1);
        return statement.substring(0, cut > 20 ? cut : MAX_TITLE - 1) + "…";
    }

    private static String firstSentence(String statement) {
        return statement.length() <= 200 ? statement : statement.substring(0, 199) + "…";
    }

    private static String complexity(int requirements) {
        return requirements <= 2 ? "low" : requirements <= 6 ? "medium" : "high";
    }
}

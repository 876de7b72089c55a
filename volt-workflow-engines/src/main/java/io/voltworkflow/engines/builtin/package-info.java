/**
 * Public API of the offline engines, which make the whole path runnable with no network:
 * {@link io.voltworkflow.engines.builtin.HeuristicAnalyzer} (requirement analysis and tasks by heuristics),
 * {@link io.voltworkflow.engines.builtin.ScaffoldCodegen} (a scaffold per task, not AI) and
 * {@link io.voltworkflow.engines.builtin.CommandValidation} (a test command in the workspace, its JUnit reports
 * read), configured by {@link io.voltworkflow.engines.builtin.BuiltinOptions}.
 */
@NullMarked
package io.voltworkflow.engines.builtin;

import org.jspecify.annotations.NullMarked;

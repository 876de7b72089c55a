package io.voltworkflow.engines.delivery;

import io.voltworkflow.core.engine.ValidationResult;
import java.util.List;

/**
 * What delivery knows of the branch tip, the commit a pull request shows: either validation ran on a clean checkout
 * of exactly that commit (here, or where the tasks were validated, such as a Jenkins agent), or (when the validation
 * engine cannot run on a checkout: a remote service) the tip's files were compared with the workspace validation ran
 * in.
 */
sealed interface TipCheck {
    boolean passed();

    /** The tip was validated, all tasks together, in a checkout of exactly that commit. */
    record Validated(ValidationResult result) implements TipCheck {
        @Override
        public boolean passed() {
            return result.passed();
        }
    }

    /** The tip's files were compared with the validated workspace; {@code differing} names those that differ. */
    record Compared(List<String> differing) implements TipCheck {
        public Compared {
            differing = List.copyOf(differing);
        }

        @Override
        public boolean passed() {
            return differing.isEmpty();
        }
    }
}

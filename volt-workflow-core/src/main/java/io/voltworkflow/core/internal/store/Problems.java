package io.voltworkflow.core.internal.store;

import java.util.ArrayList;
import java.util.List;

/** Problems for a {@link io.voltworkflow.core.store.StoreReport}, capped so a badly damaged file cannot flood it. */
final class Problems {
    private static final int MAX_LISTED = 100;

    private final List<String> listed = new ArrayList<>();
    private long unlisted;

    void add(String problem) {
        if (listed.size() < MAX_LISTED) {
            listed.add(problem);
        } else {
            unlisted++;
        }
    }

    List<String> toList() {
        List<String> all = new ArrayList<>(listed);
        if (unlisted > 0) {
            all.add("... and " + unlisted + " more problems");
        }
        return all;
    }
}

package io.voltworkflow.server.store;

import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store providers available to this process: the built-in ones plus those found on the class path. */
public final class WorkflowStores {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowStores.class);
    public static final String DEFAULT = "file";

    private WorkflowStores() {}

    public static Map<String, WorkflowStoreProvider> available() {
        Map<String, WorkflowStoreProvider> providers = new TreeMap<>();
        providers.put("file", new File());
        providers.put("memory", new Memory());
        providers.put("postgres", new PostgresStoreProvider());
        for (WorkflowStoreProvider provider : ServiceLoader.load(WorkflowStoreProvider.class)) {
            providers.putIfAbsent(provider.name(), provider);
        }
        return providers;
    }

    public static WorkflowStore open(String name, StoreSettings settings) {
        WorkflowStoreProvider provider = available().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown store '" + name + "' (available: "
                    + String.join(", ", available().keySet()) + ")");
        }
        return provider.open(settings);
    }

    private static final class File implements WorkflowStoreProvider {
        @Override
        public String name() {
            return "file";
        }

        @Override
        public String description() {
            return "durable log in <data-dir>/store (one process at a time)";
        }

        @Override
        public WorkflowStore open(StoreSettings settings) {
            if (settings.url().isPresent()) {
                throw new IllegalArgumentException("the file store takes no --store-url; it lives in --data-dir");
            }
            FileWorkflowStore store =
                    new FileWorkflowStore(settings.dataDirectory().resolve("store"));
            if (!store.openReport().healthy()) {
                LOG.warn(
                        "the store in {} was repaired on open: {}",
                        store.directory(),
                        store.openReport().problems());
            }
            return store;
        }
    }

    private static final class Memory implements WorkflowStoreProvider {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public String description() {
            return "keeps workflows in memory only; they are lost when the process ends";
        }

        @Override
        public WorkflowStore open(StoreSettings settings) {
            return new InMemoryWorkflowStore();
        }
    }
}

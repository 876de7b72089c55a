package io.voltworkflow.server.store;

import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The store providers available to this process: the built-in ones plus those found on the class path. */
public final class WorkflowStores {
  public static final String DEFAULT = "memory";

  private WorkflowStores() {}

  public static Map<String, WorkflowStoreProvider> available() {
    Map<String, WorkflowStoreProvider> providers = new TreeMap<>();
    providers.put("memory", new Memory());
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

package io.voltworkflow.core.store;

import java.nio.file.Path;

/** Opens the file store in {@code args[0]} in its own process and prints what happened (the lock test). */
public final class OpenStoreProcess {
    private OpenStoreProcess() {}

    public static void main(String[] args) {
        try (FileWorkflowStore store = new FileWorkflowStore(Path.of(args[0]))) {
            System.out.println("opened " + store.openReport().workflows() + " workflows");
        } catch (StoreException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}

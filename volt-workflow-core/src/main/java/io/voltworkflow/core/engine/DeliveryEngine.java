package io.voltworkflow.core.engine;

import java.util.concurrent.CompletionStage;

/**
 * Publishes a workflow's result where a team reviews code: commits on a branch, and usually a pull request. The
 * completion step calls it once every task is validated. A completion step re-issued after a crash calls it again,
 * so an implementation recognises what an earlier attempt already did (commits by their trailers, the pull request by
 * its branch) and never does it twice.
 */
public interface DeliveryEngine {
    CompletionStage<DeliveryResult> deliver(DeliveryRequest request, EngineContext context);
}

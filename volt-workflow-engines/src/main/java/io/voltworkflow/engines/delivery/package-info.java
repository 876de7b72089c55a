/**
 * Public API of delivery: {@link io.voltworkflow.engines.delivery.GitDelivery} turns a finished workflow into commits
 * on its own branch and one pull request, under {@link io.voltworkflow.engines.delivery.DeliveryOptions};
 * {@link io.voltworkflow.engines.delivery.Forge} is one forge's pull request API (with
 * {@link io.voltworkflow.engines.delivery.PullRequestSpec}, {@link io.voltworkflow.engines.delivery.PullRequest} and
 * {@link io.voltworkflow.engines.delivery.CommitStatus}), its adapters built on
 * {@link io.voltworkflow.engines.delivery.ForgeCalls}.
 */
@NullMarked
package io.voltworkflow.engines.delivery;

import org.jspecify.annotations.NullMarked;

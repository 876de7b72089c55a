/**
 * Public API: {@link io.voltworkflow.engines.delivery.gitlab.GitLabForge}, GitLab merge requests.
 */
@NullMarked
package io.voltworkflow.engines.delivery.gitlab;

import org.jspecify.annotations.NullMarked;

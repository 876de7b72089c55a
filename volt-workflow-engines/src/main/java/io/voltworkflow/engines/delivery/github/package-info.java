/**
 * Public API: {@link io.voltworkflow.engines.delivery.github.GitHubForge}, GitHub and GitHub Enterprise Server.
 */
@NullMarked
package io.voltworkflow.engines.delivery.github;

import org.jspecify.annotations.NullMarked;

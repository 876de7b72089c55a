/**
 * Public API: {@link io.voltworkflow.engines.delivery.gitea.GiteaForge}, Gitea and Forgejo.
 */
@NullMarked
package io.voltworkflow.engines.delivery.gitea;

import org.jspecify.annotations.NullMarked;

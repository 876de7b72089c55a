/**
 * Public API: {@link io.voltworkflow.engines.delivery.git.GitRepository}, delivery's git operations through the
 * {@code git} program, as {@link io.voltworkflow.engines.delivery.git.GitIdentity}, authenticated by
 * {@link io.voltworkflow.engines.delivery.git.GitAccess}.
 */
@NullMarked
package io.voltworkflow.engines.delivery.git;

import org.jspecify.annotations.NullMarked;

/**
 * The {@code volt} command line: {@link io.voltworkflow.server.cli.Main} is its only entry point (run, serve,
 * engines, store and the remote commands); everything else here is package-private.
 */
@NullMarked
package io.voltworkflow.server.cli;

import org.jspecify.annotations.NullMarked;

/**
 * Public API: {@link io.voltworkflow.engines.command.CommandEngine}, an engine that is a local program speaking the
 * Volt engine protocol on stdin and stdout, run as {@link io.voltworkflow.engines.command.CommandOptions} say.
 */
@NullMarked
package io.voltworkflow.engines.command;

import org.jspecify.annotations.NullMarked;

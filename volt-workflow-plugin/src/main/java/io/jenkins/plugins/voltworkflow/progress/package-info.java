/**
 * {@link io.jenkins.plugins.voltworkflow.progress.ConsoleLines}: workflow events as short console lines.
 */
package io.jenkins.plugins.voltworkflow.progress;

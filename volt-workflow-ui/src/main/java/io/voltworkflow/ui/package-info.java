/**
 * Public API: {@link io.voltworkflow.ui.UiAssets}, the web front-end's static files, served by both hosts (the server
 * and the Jenkins build page).
 */
@NullMarked
package io.voltworkflow.ui;

import org.jspecify.annotations.NullMarked;

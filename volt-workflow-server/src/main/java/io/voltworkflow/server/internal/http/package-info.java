/**
 * Internal: the HTTP handlers, not API — authentication, CORS, the REST API and its error shape, operations
 * endpoints, metrics and the UI's files.
 */
package io.voltworkflow.server.internal.http;

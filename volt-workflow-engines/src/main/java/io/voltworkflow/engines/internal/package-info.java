/** Machinery shared by the adapters; not a public API, may change without notice. */
package io.voltworkflow.engines.internal;

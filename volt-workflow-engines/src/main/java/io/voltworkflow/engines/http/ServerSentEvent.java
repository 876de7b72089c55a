package io.voltworkflow.engines.http;

/** One server-sent event: its {@code event} name ({@code message} when the server gave none) and its data lines. */
public record ServerSentEvent(String event, String data) {}

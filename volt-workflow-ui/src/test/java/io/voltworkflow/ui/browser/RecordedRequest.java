package io.voltworkflow.ui.browser;

import java.util.Map;

/** A request the fake API received, for assertions on what the page sent. Header names are lower case. */
record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {

    String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}

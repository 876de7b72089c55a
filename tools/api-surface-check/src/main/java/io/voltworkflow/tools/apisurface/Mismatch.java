package io.voltworkflow.tools.apisurface;

/** One way in which the declared surface differs from the upstream source. */
record Mismatch(String declaration, String problem) {

    @Override
    public String toString() {
        return declaration + ": " + problem;
    }
}

package io.voltworkflow.bench;

import java.util.List;

/** One measured figure family: it runs the baseline and Volt on the same work, in the same process, and reports. */
public interface Scenario {

    /** The command-line name, e.g. {@code overhead}. */
    String name();

    /** One line for {@code list}. */
    String summary();

    /**
     * The largest scale this scenario runs at on the reference machine in reasonable time; a larger request runs at
     * this scale and the figures say so.
     */
    default int maxScale() {
        return 1000;
    }

    List<Figure> run(RunSettings settings) throws Exception;
}

package io.voltworkflow.tools.apisurface;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: checks the declared Jenkins API surface against checkouts of the upstream sources.
 *
 * <pre>
 * api-surface-check --surface volt-workflow-plugin/jenkins-api-surface/src/main/java \
 *                   --upstream /src/jenkins --upstream /src/workflow-step-api-plugin ...
 * </pre>
 *
 * Each {@code --upstream} directory is a checkout (its {@code src/main/java} directories are found, so a
 * multi-module repository works) or a source root. Exit status: 0 when every declaration matches, 1 when there
 * are mismatches (each printed on its own line), 2 on a usage or I/O error.
 */
public final class ApiSurfaceCheck {

    static final int MATCHES = 0;
    static final int MISMATCHES = 1;
    static final int USAGE_ERROR = 2;

    private ApiSurfaceCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path surface = null;
        List<Path> upstream = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length || !(option.equals("--surface") || option.equals("--upstream"))) {
                err.println("unexpected argument: " + option);
                err.println("usage: api-surface-check --surface <surface source root> --upstream <checkout>...");
                return USAGE_ERROR;
            }
            Path value = Path.of(args[++i]);
            if (option.equals("--surface")) {
                surface = value;
            } else {
                upstream.add(value);
            }
        }
        if (surface == null || upstream.isEmpty()) {
            err.println("usage: api-surface-check --surface <surface source root> --upstream <checkout>...");
            return USAGE_ERROR;
        }
        try {
            SurfaceComparator.Report report = new SurfaceComparator(
                    SourceTree.ofRoots(List.of(surface)), SourceTree.ofCheckouts(upstream)).compare();
            report.mismatches().forEach(m -> out.println("MISMATCH " + m));
            out.printf("checked %d types and %d members against %d upstream checkout(s): %d mismatch(es)%n",
                    report.typesChecked(), report.membersChecked(), upstream.size(), report.mismatches().size());
            return report.clean() ? MATCHES : MISMATCHES;
        } catch (RuntimeException e) {
            err.println("api-surface-check failed: " + e.getMessage());
            return USAGE_ERROR;
        }
    }
}

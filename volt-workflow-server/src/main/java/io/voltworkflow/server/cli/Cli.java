package io.voltworkflow.server.cli;

import io.voltworkflow.core.store.StoreInUseException;
import java.io.UncheckedIOException;
import java.util.List;

/** The {@code volt} command: dispatches to run, serve and the client commands; maps failures to exit codes. */
final class Cli {
    static final String USAGE = """
      Usage: volt <command> [options]
        run "<requirement>"     run a workflow in this process with live progress and a summary
        serve                   serve the REST API, WebSocket stream, web UI, MCP tools and metrics
        engines check           check every configured engine with one minimal request
        status <id>             show a workflow of a running server
        pause|resume|cancel <id>
                                change a workflow of a running server (with no server
                                answering, resume continues it in this process)
        store verify|repair <data-dir>
                                check or repair a stopped server's file store
        help [command]          show help; also: volt <command> --help
        --version               print the version
      Exit codes: 0 completed/ok, 1 failed/refused, 2 cancelled, 64 usage error, 69 server unreachable,
      70 internal error, 75 data directory in use by another process, 78 bad configuration or a store that
      cannot be opened, 130 interrupted.
      """;

    private final CliEnvironment env;

    Cli(CliEnvironment env) {
        this.env = env;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            env.err().print(USAGE);
            return ExitCodes.USAGE;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            if (asksForHelp(rest)) {
                return help(List.of(command));
            }
            return switch (command) {
                case "run" -> RunCommand.run(env, rest);
                case "serve" -> ServeCommand.run(env, rest);
                case "engines" -> EnginesCommand.run(env, rest);
                case "status", "pause", "resume", "cancel" -> RemoteCommand.run(env, command, rest);
                case "store" -> StoreCommand.run(env, rest);
                case "help", "--help", "-h" -> help(rest);
                case "version", "--version" -> version();
                default -> throw new UsageException("unknown command '" + Terminal.safe(command) + "'");
            };
        } catch (UsageException e) {
            env.err().println("volt: " + e.getMessage());
            env.err().println("Run 'volt help' for usage.");
            return ExitCodes.USAGE;
        } catch (StoreInUseException e) {
            env.err()
                    .println(
                            "volt: the data directory " + e.directory().getParent() + " is in use by " + e.holder()
                                    + " (another 'volt run' or 'volt serve'); wait for it to finish or stop it, or use another --data-dir");
            return ExitCodes.IN_USE;
        } catch (IllegalArgumentException e) {
            env.err().println("volt: configuration error: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (StoreRefusedException e) {
            env.err().println("volt: the store cannot be opened: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (UncheckedIOException | IllegalStateException e) {
            env.err().println("volt: " + Terminal.safe(e.getMessage()));
            return ExitCodes.SOFTWARE;
        } catch (RuntimeException e) {
            // Everything else is our failure: one line that says so, never a stack trace at a user.
            env.err()
                    .println("volt: internal error: "
                            + Terminal.safe(
                                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return ExitCodes.SOFTWARE;
        }
    }

    /** {@code volt run --help}: help is asked for before any option that ends option parsing ({@code --}). */
    private static boolean asksForHelp(List<String> rest) {
        for (String arg : rest) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    private int version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        env.out().println("volt-workflow " + (version == null ? "(development build)" : version));
        return ExitCodes.COMPLETED;
    }

    private int help(List<String> rest) {
        String text = rest.isEmpty()
                ? USAGE
                : switch (rest.get(0)) {
                    case "run" -> RunCommand.USAGE;
                    case "serve" -> ServeCommand.USAGE;
                    case "engines" -> EnginesCommand.USAGE;
                    case "status", "pause", "resume", "cancel" -> RemoteCommand.USAGE;
                    case "store" -> StoreCommand.USAGE;
                    case "help", "--help", "-h", "version", "--version" -> USAGE;
                    default -> throw new UsageException("no help for '" + Terminal.safe(rest.get(0)) + "'");
                };
        env.out().print(text);
        return ExitCodes.COMPLETED;
    }
}

package io.voltworkflow.server.cli;

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
                                change a workflow of a running server
        store verify|repair <data-dir>
                                check or repair a stopped server's file store
        help [command]          show help
      Exit codes: 0 completed/ok, 1 failed/refused, 2 cancelled, 64 usage error, 69 server unreachable,
      78 bad configuration or a store that cannot be opened, 130 interrupted.
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
      return switch (command) {
        case "run" -> RunCommand.run(env, rest);
        case "serve" -> ServeCommand.run(env, rest);
        case "engines" -> EnginesCommand.run(env, rest);
        case "status", "pause", "resume", "cancel" -> RemoteCommand.run(env, command, rest);
        case "store" -> StoreCommand.run(env, rest);
        case "help", "--help", "-h" -> help(rest);
        default -> throw new UsageException("unknown command '" + Terminal.safe(command) + "'");
      };
    } catch (UsageException e) {
      env.err().println("volt: " + e.getMessage());
      env.err().println("Run 'volt help' for usage.");
      return ExitCodes.USAGE;
    } catch (IllegalArgumentException e) {
      env.err().println("volt: configuration error: " + e.getMessage());
      return ExitCodes.CONFIG;
    } catch (StoreRefusedException e) {
      env.err().println("volt: the store cannot be opened: " + e.getMessage());
      return ExitCodes.CONFIG;
    } catch (UncheckedIOException | IllegalStateException e) {
      env.err().println("volt: " + e.getMessage());
      return ExitCodes.SOFTWARE;
    }
  }

  private int help(List<String> rest) {
    String text = rest.isEmpty() ? USAGE : switch (rest.get(0)) {
      case "run" -> RunCommand.USAGE;
      case "serve" -> ServeCommand.USAGE;
      case "engines" -> EnginesCommand.USAGE;
      case "status", "pause", "resume", "cancel" -> RemoteCommand.USAGE;
      case "store" -> StoreCommand.USAGE;
      default -> throw new UsageException("no help for '" + Terminal.safe(rest.get(0)) + "'");
    };
    env.out().print(text);
    return ExitCodes.COMPLETED;
  }
}

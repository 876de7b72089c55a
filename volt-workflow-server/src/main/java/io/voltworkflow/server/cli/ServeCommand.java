package io.voltworkflow.server.cli;

import io.voltworkflow.server.AccessToken;
import io.voltworkflow.server.AccessTokens;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code serve}: the CI/CD API server on the embedded defaults until SIGINT or SIGTERM, then a graceful shutdown
 * (stop accepting, finish requests, let running steps finish or checkpoint them).
 */
final class ServeCommand {
    static final String PORT_VARIABLE = "VOLT_WORKFLOW_PORT";
    static final String TOKEN_VARIABLE = "VOLT_WORKFLOW_TOKEN";
    static final String PUBLIC_URL_VARIABLE = "VOLT_WORKFLOW_PUBLIC_URL";
    static final String USAGE = """
      Usage: volt serve [options]
        Serves the REST API, WebSocket stream, web UI, MCP tools and metrics.
        --port N                 port (default 8080, or $VOLT_WORKFLOW_PORT; 0 picks a free one)
        --bind ADDRESS           address to listen on (default 127.0.0.1)
        --token-file FILE        accepted tokens, one '<full|read-only> <secret>' per line
                                 (default: $VOLT_WORKFLOW_TOKEN, else <data-dir>/api-token, created if missing)
        --no-auth                no authentication (loopback addresses only)
        --cors-origin ORIGIN     allow browser pages from ORIGIN (repeatable; default none)
        --max-request-bytes N    request body limit (default 1048576)
        --no-ui                  do not serve the web UI
        --no-mcp                 do not serve the MCP endpoint
        --public-url URL         where people reach this server (default: the listen address); links in pull
                                 requests and notifications point there (or $VOLT_WORKFLOW_PUBLIC_URL)
        SIGHUP or POST /api/v1/admin/reload reloads the engine configuration; running workflows keep running.
      """ + EmbeddedOrchestrator.HELP;

    private ServeCommand() {}

    static int run(CliEnvironment env, List<String> args) {
        Set<String> valued = new HashSet<>(EmbeddedOrchestrator.OPTIONS);
        valued.addAll(Set.of("port", "bind", "token-file", "cors-origin", "max-request-bytes", "public-url"));
        Set<String> flags = new HashSet<>(EmbeddedOrchestrator.FLAGS);
        flags.addAll(Set.of("no-auth", "no-ui", "no-mcp"));
        Arguments parsed = Arguments.parse(args, valued, flags);
        if (!parsed.positional().isEmpty()) {
            throw new UsageException(
                    "serve takes no arguments, got '" + parsed.positional().get(0) + "'");
        }
        String bind = parsed.value("bind", "127.0.0.1");
        int defaultPort = env.variable(PORT_VARIABLE) == null
                ? ServerOptions.DEFAULT_PORT
                : parsePort(env.variable(PORT_VARIABLE));
        ServerOptions.Builder options = ServerOptions.builder();
        try {
            options.bindAddress(bind)
                    .port(parsed.intValue("port", defaultPort, 0, 65_535))
                    .maxRequestBytes(parsed.intValue(
                            "max-request-bytes", ServerOptions.DEFAULT_MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE))
                    .corsAllowedOrigins(new LinkedHashSet<>(parsed.values("cors-origin")))
                    .uiEnabled(!parsed.flag("no-ui"))
                    .mcpEnabled(!parsed.flag("no-mcp"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path dataDirectory = EmbeddedOrchestrator.dataDirectory(env, parsed);
        String tokenSource = tokens(env, parsed, options, bind, dataDirectory);
        try (EmbeddedOrchestrator embedded =
                EmbeddedOrchestrator.open(env, parsed, pageBase(env, bind, parsed, defaultPort))) {
            ServerOptions serverOptions = options.engines(embedded.engines().orElse(null))
                    .webhooks(embedded.webhooks().orElse(null))
                    .build();
            CicdServer server = CicdServer.start(embedded.orchestrator(), serverOptions, false);
            try (ReloadSignal ignored = ReloadSignal.install(() -> reload(env, embedded))) {
                env.out()
                        .println("Volt Workflow serving " + server.url()
                                + "  (UI /, API /api/v1, stream /api/v1/workflows/{id}/stream"
                                + (serverOptions.mcpEnabled() ? ", MCP /mcp" : "") + ", metrics /metrics)");
                env.out().println("Data in " + embedded.dataDirectory() + "; authentication: " + tokenSource);
                env.out().flush();
                env.stopRequested().join();
                env.out().println("Shutting down: finishing requests and checkpointing running steps…");
            } finally {
                server.close();
                embedded.shutdown(serverOptions.shutdownTimeout());
            }
            env.out().println("Stopped.");
            return 0;
        }
    }

    /** SIGHUP: the configuration read again; a bad one is reported and the engines in use are kept. */
    private static void reload(CliEnvironment env, EmbeddedOrchestrator embedded) {
        embedded.engines().ifPresent(engines -> {
            try {
                env.err().println("volt: " + engines.reload());
            } catch (IllegalArgumentException e) {
                env.err().println("volt: configuration not reloaded, the engines in use are kept: " + e.getMessage());
            }
        });
    }

    /** Configures the accepted tokens; returns a description for the console (never the secret). */
    private static String tokens(
            CliEnvironment env, Arguments parsed, ServerOptions.Builder options, String bind, Path dataDirectory) {
        String tokenFile = parsed.value("token-file");
        if (parsed.flag("no-auth")) {
            if (tokenFile != null) {
                throw new UsageException("--no-auth and --token-file contradict each other");
            }
            if (!isLoopback(bind)) {
                throw new UsageException("--no-auth is allowed only on a loopback address, not " + bind);
            }
            return "off (--no-auth)";
        }
        try {
            if (tokenFile != null) {
                List<AccessToken> tokens = AccessTokens.load(env.resolve(tokenFile));
                options.tokens(tokens);
                return tokens.size() + " token(s) from " + tokenFile;
            }
            if (env.variable(TOKEN_VARIABLE) != null) {
                options.tokens(List.of(AccessToken.of(env.variable(TOKEN_VARIABLE), AccessToken.Access.FULL)));
                return "the token in $" + TOKEN_VARIABLE;
            }
            java.nio.file.Files.createDirectories(dataDirectory);
            String token = ApiTokenFile.readOrCreate(dataDirectory);
            options.tokens(List.of(AccessToken.of(token, AccessToken.Access.FULL)));
            return "bearer token in " + ApiTokenFile.path(dataDirectory) + " (the CLI reads it from there)";
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * This server's web UI, for links in pull requests and notifications: the public URL when one is given, else the
     * listen address — unknown before start when the port is picked at random, and useless to receivers elsewhere
     * when the server listens on every address (then only a public URL gives links).
     */
    private static java.util.Optional<java.net.URI> pageBase(
            CliEnvironment env, String bind, Arguments parsed, int defaultPort) {
        String option = parsed.value("public-url");
        String publicUrl = option != null ? option : env.variable(PUBLIC_URL_VARIABLE);
        if (publicUrl != null) {
            return java.util.Optional.of(publicUrl(publicUrl));
        }
        int port = parsed.intValue("port", defaultPort, 0, 65_535);
        if (port == 0 || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
            return java.util.Optional.empty();
        }
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return java.util.Optional.of(java.net.URI.create("http://" + host + ":" + port));
    }

    private static java.net.URI publicUrl(String raw) {
        try {
            java.net.URI uri = new java.net.URI(raw.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                String text = uri.toString();
                return java.net.URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new UsageException(
                "--public-url must be an http(s) URL such as https://volt.example.com, was '" + raw + "'");
    }

    private static int parsePort(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("$" + PORT_VARIABLE + " must be a port number, was '" + raw + "'");
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

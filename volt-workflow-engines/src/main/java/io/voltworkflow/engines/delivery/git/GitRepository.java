package io.voltworkflow.engines.delivery.git;

import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.internal.ProcessRunner;
import io.voltworkflow.engines.internal.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The git operations of delivery, through the {@code git} program (the one users have, with their configuration,
 * hooks, credential helpers and protocol support). Commits are written with plumbing on a private index file, so
 * neither the working tree, the user's index nor {@code HEAD} is touched, and branches move only by
 * compare-and-swap ({@code update-ref NEW OLD}). Every method blocks; call it from a thread that may.
 */
public final class GitRepository {
    private static final Duration LOCAL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration REMOTE_TIMEOUT = Duration.ofMinutes(10);
    private static final String NO_COMMIT = "0".repeat(40);
    private static final char FIELD = '\u001f';
    private static final char RECORD = '\u001e';

    private final Path directory;
    private final GitIdentity identity;

    public GitRepository(Path directory, GitIdentity identity) {
        this.directory = directory.toAbsolutePath().normalize();
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    public Path directory() {
        return directory;
    }

    /** Makes the directory an empty bare repository (a host's private copy to deliver from), unless it is one already. */
    public void initBare(EngineContext context) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        require(local(context, "init", "--quiet", "--bare"), "git init");
    }

    /** The branch {@code remote}'s {@code HEAD} points at (its default branch), if it says. */
    public Optional<String> defaultBranch(String remote, GitAccess access, EngineContext context) {
        for (String[] parts : lsRemote(remote, access, context, "--symref", "HEAD")) {
            if (parts.length == 3
                    && parts[0].equals("ref:")
                    && parts[2].equals("HEAD")
                    && parts[1].startsWith("refs/heads/")) {
                return Optional.of(parts[1].substring("refs/heads/".length()));
            }
        }
        return Optional.empty();
    }

    /** The commit {@code revision} names, or empty when it names none (an unborn branch, a missing ref). */
    public Optional<String> resolve(String revision, EngineContext context) {
        ProcessRunner.Outcome outcome = local(context, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        return outcome.exitCode() == 0 ? Optional.of(outcome.stdout().strip()) : Optional.empty();
    }

    /** The branch {@code HEAD} is on, or empty for a detached {@code HEAD}. */
    public Optional<String> currentBranch(EngineContext context) {
        ProcessRunner.Outcome outcome = local(context, "symbolic-ref", "--quiet", "--short", "HEAD");
        return outcome.exitCode() == 0 ? Optional.of(outcome.stdout().strip()) : Optional.empty();
    }

    /** True when the repository has at least one commit. */
    public boolean hasCommits(EngineContext context) {
        return local(context, "rev-list", "-n", "1", "--all").stdout().strip().length() > 0;
    }

    /** The commits reachable from {@code tip} but not from {@code base} (all of them without a base), oldest first. */
    public List<TrailedCommit> commits(@Nullable String base, String tip, EngineContext context) {
        String format = "--format=%H" + FIELD + "%(trailers:only,unfold,separator=%x1d)" + RECORD;
        String range = base == null ? tip : base + ".." + tip;
        ProcessRunner.Outcome outcome =
                require(local(context, "log", "--reverse", format, range, "--"), "git log " + range);
        List<TrailedCommit> commits = new ArrayList<>();
        for (String record : outcome.stdout().split(String.valueOf(RECORD))) {
            String entry = record.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int field = entry.indexOf(FIELD);
            String sha = field < 0 ? entry : entry.substring(0, field);
            Map<String, String> trailers = new HashMap<>();
            if (field >= 0) {
                for (String trailer : entry.substring(field + 1).split("\u001d")) {
                    int colon = trailer.indexOf(':');
                    if (colon > 0) {
                        trailers.putIfAbsent(
                                trailer.substring(0, colon).strip(),
                                trailer.substring(colon + 1).strip());
                    }
                }
            }
            commits.add(new TrailedCommit(sha, trailers));
        }
        return commits;
    }

    /**
     * Writes one commit holding {@code parent}'s tree with {@code patch} applied (a root commit when {@code parent} is
     * null) and returns it, or empty when the patch changes nothing there (it is already part of {@code parent}). No
     * ref moves.
     */
    public Optional<String> commitPatch(@Nullable String parent, String patch, String message, EngineContext context) {
        return withPrivateIndex(privateIndex -> {
            if (parent == null) {
                require(
                        git(context, LOCAL_TIMEOUT, null, privateIndex, Redactor.NONE, "read-tree", "--empty"),
                        "git read-tree");
            } else {
                require(
                        git(context, LOCAL_TIMEOUT, null, privateIndex, Redactor.NONE, "read-tree", parent),
                        "git read-tree");
            }
            byte[] diff = (patch.endsWith("\n") ? patch : patch + "\n").getBytes(StandardCharsets.UTF_8);
            ProcessRunner.Outcome applied = git(
                    context,
                    LOCAL_TIMEOUT,
                    diff,
                    privateIndex,
                    Redactor.NONE,
                    "apply",
                    "--cached",
                    "--whitespace=nowarn",
                    "-");
            if (applied.exitCode() != 0) {
                ProcessRunner.Outcome contained = git(
                        context,
                        LOCAL_TIMEOUT,
                        diff,
                        privateIndex,
                        Redactor.NONE,
                        "apply",
                        "--cached",
                        "--reverse",
                        "--check",
                        "-");
                if (contained.exitCode() == 0) {
                    return Optional.empty();
                }
                throw new EngineException(
                        StepError.recoverable(
                                StepError.ENGINE_ERROR,
                                "the generated patch does not apply to "
                                        + (parent == null ? "an empty tree" : "commit " + parent) + " of " + directory
                                        + ": " + applied.stderrExcerpt()
                                        + " (it was made against the working tree: are there changes there that the base branch does not have?)"));
            }
            String tree = require(
                            git(context, LOCAL_TIMEOUT, null, privateIndex, Redactor.NONE, "write-tree"),
                            "git write-tree")
                    .stdout()
                    .strip();
            List<String> commitTree = new ArrayList<>(List.of("commit-tree", tree));
            if (parent != null) {
                if (tree.equals(require(local(context, "rev-parse", parent + "^{tree}"), "git rev-parse")
                        .stdout()
                        .strip())) {
                    return Optional.empty();
                }
                commitTree.addAll(List.of("-p", parent));
            }
            commitTree.addAll(List.of("-F", "-"));
            return Optional.of(require(
                            git(
                                    context,
                                    LOCAL_TIMEOUT,
                                    message.getBytes(StandardCharsets.UTF_8),
                                    identity.environment(),
                                    Redactor.NONE,
                                    commitTree.toArray(String[]::new)),
                            "git commit-tree")
                    .stdout()
                    .strip());
        });
    }

    /**
     * The files {@code base..commit} changes whose content in the working tree is not {@code commit}'s (a file the
     * commit has and the working tree lacks, or the other way round, counts): empty when the working tree holds
     * exactly the commit's version of every file the commit changes. Compared on a private index through the
     * repository's own filters (line endings, attributes); the user's index is not touched.
     */
    public List<String> differencesFromWorkingTree(@Nullable String base, String commit, EngineContext context) {
        // A bare repository is a host's private copy (Jenkins): validation ran in a workspace elsewhere, on exactly
        // the patches committed here, so there is no working tree to compare with.
        if (local(context, "rev-parse", "--is-bare-repository").stdout().strip().equals("true")) {
            return List.of();
        }
        List<String> changed = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        String[] listing = base == null
                ? new String[] {"ls-tree", "-r", "-z", "--name-only", commit}
                : new String[] {"diff", "--no-renames", "--name-status", "-z", base, commit};
        String[] fields =
                require(local(context, listing), "git " + listing[0]).stdout().split("\u0000");
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].isEmpty()) {
                continue;
            }
            if (base == null) {
                changed.add(fields[i]);
            } else if (i + 1 < fields.length) {
                (fields[i].startsWith("D") ? deleted : changed).add(fields[i + 1]);
                i++;
            }
        }
        List<String> differing = new ArrayList<>();
        for (String path : deleted) {
            if (Files.exists(directory.resolve(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                differing.add(path);
            }
        }
        if (changed.isEmpty()) {
            return differing;
        }
        return withPrivateIndex(privateIndex -> {
            require(
                    git(context, LOCAL_TIMEOUT, null, privateIndex, Redactor.NONE, "read-tree", commit),
                    "git read-tree");
            byte[] paths = String.join("\u0000", changed).getBytes(StandardCharsets.UTF_8);
            require(
                    git(
                            context,
                            LOCAL_TIMEOUT,
                            paths,
                            privateIndex,
                            Redactor.NONE,
                            "add",
                            "--all",
                            "--force",
                            "--pathspec-from-file=-",
                            "--pathspec-file-nul"),
                    "git add");
            for (String path : require(
                            git(
                                    context,
                                    LOCAL_TIMEOUT,
                                    null,
                                    privateIndex,
                                    Redactor.NONE,
                                    "diff",
                                    "--cached",
                                    "--no-renames",
                                    "--name-only",
                                    "-z",
                                    commit),
                            "git diff")
                    .stdout()
                    .split("\u0000")) {
                if (!path.isEmpty()) {
                    differing.add(path);
                }
            }
            return differing;
        });
    }

    /** The files {@code base..commit} changes (every file of {@code commit} without a base), sorted. */
    public List<String> changedFiles(@Nullable String base, String commit, EngineContext context) {
        String[] listing = base == null
                ? new String[] {"ls-tree", "-r", "-z", "--name-only", commit}
                : new String[] {"diff", "--no-renames", "--name-only", "-z", base, commit};
        List<String> files = new ArrayList<>();
        for (String file :
                require(local(context, listing), "git " + listing[0]).stdout().split("\u0000")) {
            if (!file.isEmpty()) {
                files.add(file);
            }
        }
        files.sort(null);
        return files;
    }

    /**
     * Checks {@code commit} out into {@code checkout}, a new working tree of this repository with a detached
     * {@code HEAD} and nothing else in it: what a reviewer gets from a fresh clone. One left there by an earlier
     * attempt (a process killed mid-validation) is removed first.
     */
    public void addDetachedWorktree(Path checkout, String commit, EngineContext context) {
        removeWorktree(checkout, context);
        require(
                local(context, "worktree", "add", "--detach", "--quiet", checkout.toString(), commit),
                "git worktree add " + checkout);
    }

    /**
     * Writes {@code ref}'s commits to {@code file}, a bundle another repository fetches them from: only those
     * {@code exclude} does not have when it is given (the receiver must have it), all of its history otherwise.
     */
    public void bundle(Path file, String ref, @Nullable String exclude, EngineContext context) {
        List<String> arguments = new ArrayList<>(List.of("bundle", "create", "--quiet", file.toString(), ref));
        if (exclude != null) {
            arguments.add("^" + exclude);
        }
        require(local(context, arguments.toArray(new String[0])), "git bundle create " + file);
    }

    /** Removes the working tree at {@code checkout} (its files and git's record of it), if there is one. */
    public void removeWorktree(Path checkout, EngineContext context) {
        local(context, "worktree", "remove", "--force", checkout.toString());
        try {
            if (Files.exists(checkout, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var paths = Files.walk(checkout)) {
                    for (Path path :
                            paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkout " + checkout, e);
        }
        local(context, "worktree", "prune");
    }

    /** Runs {@code action} with the environment of a fresh, empty private index file, deleted afterwards. */
    private <T> T withPrivateIndex(java.util.function.Function<Map<String, String>, T> action) {
        Path index;
        try {
            index = Files.createTempFile("volt-delivery-", ".index");
            Files.delete(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary index for " + directory, e);
        }
        try {
            return action.apply(Map.of("GIT_INDEX_FILE", index.toString()));
        } finally {
            try {
                Files.deleteIfExists(index);
            } catch (IOException ignored) {
                // A temporary file left behind holds no secret and changes nothing.
            }
        }
    }

    /**
     * Moves {@code ref} to {@code commit} only if it still points at {@code expected} (does not exist, for null);
     * false when another writer moved it first.
     */
    public boolean compareAndSet(String ref, String commit, @Nullable String expected, EngineContext context) {
        ProcessRunner.Outcome outcome = local(
                context, "update-ref", "-m", "volt delivery", ref, commit, expected == null ? NO_COMMIT : expected);
        return outcome.exitCode() == 0;
    }

    /** The commit {@code branch} points at on {@code remote}, or empty when the remote has no such branch. */
    public Optional<String> remoteTip(String remote, String branch, GitAccess access, EngineContext context) {
        for (String[] parts : lsRemote(remote, access, context, "refs/heads/" + branch)) {
            if (parts.length == 2 && parts[1].equals("refs/heads/" + branch)) {
                return Optional.of(parts[0]);
            }
        }
        return Optional.empty();
    }

    /** {@code git ls-remote [option] -- remote pattern}, each line split at its whitespace. */
    private List<String[]> lsRemote(String remote, GitAccess access, EngineContext context, String... arguments) {
        List<String> command = new ArrayList<>(List.of("ls-remote"));
        command.addAll(List.of(arguments).subList(0, arguments.length - 1));
        command.addAll(List.of("--", remote, arguments[arguments.length - 1]));
        ProcessRunner.Outcome outcome = remote(
                git(
                        context,
                        REMOTE_TIMEOUT,
                        null,
                        access.environment(),
                        access.redactor(),
                        command.toArray(String[]::new)),
                "git ls-remote " + access.redactor().scrub(remote),
                access);
        return outcome.stdout().lines().map(line -> line.strip().split("\\s+")).toList();
    }

    /** Fetches {@code branch} of {@code remote} into the local ref {@code into} (forced: {@code into} is ours alone). */
    public void fetch(String remote, String branch, String into, GitAccess access, EngineContext context) {
        remote(
                git(
                        context,
                        REMOTE_TIMEOUT,
                        null,
                        access.environment(),
                        access.redactor(),
                        "fetch",
                        "--no-tags",
                        "--",
                        remote,
                        "+refs/heads/" + branch + ":" + into),
                "git fetch " + access.redactor().scrub(remote),
                access);
    }

    /** True when {@code ancestor} is {@code descendant} or one of its ancestors. */
    public boolean isAncestor(String ancestor, String descendant, EngineContext context) {
        return local(context, "merge-base", "--is-ancestor", ancestor, descendant)
                        .exitCode()
                == 0;
    }

    /**
     * Pushes {@code commit} to {@code branch} of {@code remote}, never forced: the remote refuses anything that is not
     * a fast-forward of what it has.
     */
    public void push(String remote, String commit, String branch, GitAccess access, EngineContext context) {
        remote(
                git(
                        context,
                        REMOTE_TIMEOUT,
                        null,
                        access.environment(),
                        access.redactor(),
                        "push",
                        "--porcelain",
                        "--",
                        remote,
                        commit + ":refs/heads/" + branch),
                "git push to " + access.redactor().scrub(remote),
                access);
    }

    /** A git command on this repository's own files: no input, no extra environment, nothing secret to redact. */
    private ProcessRunner.Outcome local(EngineContext context, String... arguments) {
        return git(context, LOCAL_TIMEOUT, null, Map.of(), Redactor.NONE, arguments);
    }

    private ProcessRunner.Outcome git(
            EngineContext context,
            Duration timeout,
            byte @Nullable [] stdin,
            Map<String, String> environment,
            Redactor redactor,
            String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        Map<String, String> env = new HashMap<>(environment);
        // Never wait for a password on a terminal nobody watches; fail and say so instead.
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.putIfAbsent("GIT_ASKPASS", "");
        return ProcessRunner.runBlocking(
                new ProcessRunner.Spec(
                        "git " + arguments[0],
                        command,
                        directory,
                        env,
                        stdin,
                        timeout,
                        4 * 1024 * 1024,
                        null,
                        redactor),
                context);
    }

    private static ProcessRunner.Outcome require(ProcessRunner.Outcome outcome, String what) {
        if (outcome.exitCode() != 0) {
            throw new EngineException(StepError.recoverable(
                    StepError.ENGINE_ERROR,
                    what + " failed (exit " + outcome.exitCode() + "): " + outcome.stderrExcerpt()));
        }
        return outcome;
    }

    /**
     * A remote operation's failure: refused credentials, a remote that is not a repository and refused updates are not
     * retried (the same call fails the same way); anything else (the network, the server) is.
     */
    private static ProcessRunner.Outcome remote(ProcessRunner.Outcome outcome, String what, GitAccess access) {
        if (outcome.exitCode() == 0) {
            return outcome;
        }
        String detail = access.redactor()
                .scrub(outcome.stderrExcerpt() + " " + outcome.stdout().strip())
                .strip();
        String lower = detail.toLowerCase(java.util.Locale.ROOT);
        String message = what + " failed (exit " + outcome.exitCode() + "): " + detail;
        if (lower.contains("does not appear to be a git repository") || lower.contains("repository not found")) {
            // A remote path that does not exist (or a mistyped URL) answers the same on every retry.
            throw new EngineException(StepError.recoverable(
                    StepError.INVALID_INPUT,
                    message + " — the delivery remote is not a git repository; check the path or URL"));
        }
        // The status as git reports an HTTP refusal ("The requested URL returned error: 403"), not any digits: the
        // remote's path, in the message too, may hold them.
        if (lower.contains("authentication")
                || lower.contains("error: 403")
                || lower.contains("error: 401")
                || lower.contains("could not read username")
                || lower.contains("permission denied")) {
            throw new EngineException(
                    StepError.recoverable(StepError.ENGINE_ERROR, message + " — check the forge token"));
        }
        if (lower.contains("[rejected]")
                || lower.contains("stale info")
                || lower.contains("non-fast-forward")
                || lower.contains("[remote rejected]")) {
            throw new EngineException(StepError.recoverable(StepError.INVALID_INPUT, message));
        }
        throw new EngineException(StepError.retryable(StepError.NETWORK_ERROR, message));
    }

    /** A commit and its trailers (the first value of each key). */
    public record TrailedCommit(String sha, Map<String, String> trailers) {
        public TrailedCommit {
            trailers = Map.copyOf(trailers);
        }
    }
}

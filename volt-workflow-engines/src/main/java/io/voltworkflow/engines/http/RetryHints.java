package io.voltworkflow.engines.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * When a provider says to try again: {@code retry-after-ms}, {@code Retry-After} (seconds or an HTTP date), else
 * the rate-limit reset headers of OpenAI ({@code x-ratelimit-reset-*}, durations like {@code 6m0s}) and Anthropic
 * ({@code anthropic-ratelimit-*-reset}, RFC 3339 instants) for the limits that are used up, and GitHub's
 * {@code x-ratelimit-reset} (epoch seconds) once {@code x-ratelimit-remaining} is 0.
 */
final class RetryHints {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    private static final String[] LIMITS = {"requests", "tokens", "input-tokens", "output-tokens"};

    private RetryHints() {}

    static Optional<Duration> retryAfter(Headers headers, Instant now) {
        return millis(headers.get("retry-after-ms"))
                .or(() -> retryAfterHeader(headers.get("retry-after"), now))
                .or(() -> rateLimitReset(headers, now))
                .or(() -> exhaustedUntil(headers, now));
    }

    /** GitHub (and Gitea, GitLab): {@code x-ratelimit-reset} in epoch seconds, when {@code x-ratelimit-remaining} is 0. */
    private static Optional<Duration> exhaustedUntil(Headers headers, Instant now) {
        String remaining = headers.get("x-ratelimit-remaining");
        if (remaining == null || !remaining.strip().equals("0")) {
            return Optional.empty();
        }
        return number(headers.get("x-ratelimit-reset"))
                .map(epochSeconds ->
                        nonNegative(Duration.between(now, Instant.ofEpochSecond(epochSeconds.longValue()))));
    }

    private static Optional<Duration> millis(String value) {
        return number(value).map(millis -> Duration.ofMillis(millis.longValue()));
    }

    /** A finite, non-negative number; {@code NaN}, infinities and garbage are no hint at all. */
    private static Optional<Double> number(String value) {
        try {
            double number = value == null ? Double.NaN : Double.parseDouble(value.strip());
            return Double.isFinite(number) ? Optional.of(Math.max(0, number)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> retryAfterHeader(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Optional<Double> seconds = number(value);
        if (seconds.isPresent()) {
            return Optional.of(Duration.ofMillis((long) (seconds.get() * 1000)));
        }
        try {
            Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return Optional.of(nonNegative(Duration.between(now, at)));
        } catch (DateTimeParseException notDate) {
            return Optional.empty();
        }
    }

    /** The longest reset among exhausted limits, or among all limits when none says how much remains. */
    private static Optional<Duration> rateLimitReset(Headers headers, Instant now) {
        Duration exhausted = null;
        Duration any = null;
        boolean remainingKnown = false;
        for (String limit : LIMITS) {
            for (String prefix : new String[] {"x-ratelimit-", "anthropic-ratelimit-"}) {
                boolean openAi = prefix.startsWith("x-");
                String reset = headers.get(openAi ? prefix + "reset-" + limit : prefix + limit + "-reset");
                String remaining = headers.get(prefix + (openAi ? "remaining-" + limit : limit + "-remaining"));
                Optional<Duration> wait =
                        reset == null ? Optional.empty() : openAi ? goDuration(reset) : instant(reset, now);
                if (wait.isEmpty()) {
                    continue;
                }
                any = max(any, wait.get());
                if (remaining != null) {
                    remainingKnown = true;
                    if (remaining.strip().equals("0")) {
                        exhausted = max(exhausted, wait.get());
                    }
                }
            }
        }
        return Optional.ofNullable(remainingKnown ? exhausted : any);
    }

    private static Optional<Duration> goDuration(String value) {
        Matcher matcher = GO_DURATION.matcher(value.strip());
        double millis = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            millis += amount
                    * switch (matcher.group(2)) {
                        case "h" -> 3_600_000;
                        case "m" -> 60_000;
                        case "s" -> 1_000;
                        default -> 1;
                    };
            end = matcher.end();
        }
        return end == 0 || end != value.strip().length()
                ? Optional.empty()
                : Optional.of(Duration.ofMillis((long) millis));
    }

    private static Optional<Duration> instant(String value, Instant now) {
        try {
            return Optional.of(nonNegative(Duration.between(now, Instant.parse(value.strip()))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private static Duration max(@Nullable Duration a, Duration b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }
}

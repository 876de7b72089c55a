package io.voltworkflow.server.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which URLs notifications may go to: http(s) only, and no loopback, private, link-local or otherwise internal
 * address unless the allow-list names it. Entries: {@code loopback}, {@code private} (site-local and unique-local
 * addresses), a CIDR block ({@code 10.20.0.0/16}, {@code fd00::/8}) or a host name (exact, case-insensitive). Host
 * names are checked again at each delivery against every address they resolve to, so a name that later points
 * inside is refused then.
 */
public record WebhookTargets(List<String> allow) {
    public static final WebhookTargets PUBLIC_ONLY = new WebhookTargets(List.of());

    public WebhookTargets {
        allow = List.copyOf(allow == null ? List.of() : allow);
        for (String entry : allow) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException(
                        "webhook allow-list entries are loopback, private, a CIDR block or a host name");
            }
            if (entry.contains("/")) {
                cidr(entry);
            }
        }
    }

    /**
     * Checks a URL's form and the addresses its host has now; a name that does not resolve yet is accepted and checked
     * at delivery. Errors name the problem.
     */
    public URI check(String raw) {
        URI url;
        try {
            url = new URI(raw);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "url must be http or https, was '" + (url.getScheme() == null ? "" : url.getScheme()) + ":'");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalArgumentException("url has no host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "url must not carry a user name or password; the request is signed instead");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a fragment");
        }
        try {
            resolve(url.getHost());
        } catch (UnknownHostException e) {
            if (isLiteral(url.getHost())) {
                throw new IllegalArgumentException("url host " + url.getHost() + " is not a valid address");
            }
        }
        return url;
    }

    /** The addresses of {@code host} that deliveries may connect to; throws when one of them is internal. */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> addresses = List.of(InetAddress.getAllByName(stripBrackets(host)));
        for (InetAddress address : addresses) {
            checkAddress(host, address);
        }
        return addresses;
    }

    private void checkAddress(String host, InetAddress address) {
        if (allowed(host, address)) {
            return;
        }
        String kind = internalKind(address);
        if (kind != null) {
            throw new IllegalArgumentException(
                    "url host " + host + " is a " + kind + " address (" + address.getHostAddress()
                            + "); webhooks go to internal addresses only when the webhooks allow-list permits them");
        }
    }

    private boolean allowed(String host, InetAddress address) {
        for (String entry : allow) {
            boolean matches =
                    switch (entry) {
                        case "loopback" -> address.isLoopbackAddress();
                        case "private" -> address.isSiteLocalAddress() || isUniqueLocal(address);
                        default ->
                            entry.contains("/") ? inBlock(entry, address) : entry.equalsIgnoreCase(stripBrackets(host));
                    };
            if (matches) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String internalKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(address)) {
            return "private";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isAnyLocalAddress()) {
            return "wildcard";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
            return "shared (carrier-grade NAT)";
        }
        return null;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static boolean inBlock(String block, InetAddress address) {
        Cidr cidr = cidr(block);
        byte[] bytes = address.getAddress();
        if (bytes.length != cidr.network().length) {
            return false;
        }
        int bits = cidr.prefix();
        for (int i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((bytes[i] & mask) != (cidr.network()[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static Cidr cidr(String block) {
        int slash = block.indexOf('/');
        try {
            byte[] network = InetAddress.getByName(block.substring(0, slash)).getAddress();
            int prefix = Integer.parseInt(block.substring(slash + 1));
            if (!isLiteral(block.substring(0, slash)) || prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException();
            }
            return new Cidr(network, prefix);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "webhook allow-list entry '" + block + "' is not a CIDR block like 10.0.0.0/8");
        }
    }

    private static boolean isLiteral(String host) {
        String bare = stripBrackets(host);
        return bare.contains(":") || bare.matches("[0-9.]+");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private record Cidr(byte[] network, int prefix) {}
}

package io.vbo.policy.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that prove an action came from a console page. Browsers resend basic credentials to any site's request,
 * so a forged form could act as a logged-in admin; the console's script sends the page's token in a header, which a
 * cross-site form cannot set. The token is an HMAC of the user name, so no server-side session is needed.
 */
@ApplicationScoped
public class Csrf {
    public static final String HEADER = "X-VBO-CSRF";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    @Inject
    public Csrf(ConsoleConfig config) {
        byte[] bytes = config.csrfKey().map(k -> {
            if (k.length() < 16) {
                throw new IllegalArgumentException("vbo.console.csrf-key must be at least 16 characters");
            }
            return k.getBytes(StandardCharsets.UTF_8);
        }).orElseGet(() -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The token of this user's pages. */
    public String token(String user) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("vbo-console:" + user).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code presented} is this user's token (compared in constant time). */
    public boolean valid(String user, String presented) {
        return presented != null && MessageDigest.isEqual(token(user).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}

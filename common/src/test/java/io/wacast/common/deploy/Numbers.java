package io.wacast.common.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the business-number files (infra/numbers/, k8s/…/numbers/) the deployment tests compare. */
final class Numbers {

    private static final Pattern REFERENCE = Pattern.compile("^[^#].*\\$\\{([A-Z0-9_]+)}", Pattern.MULTILINE);
    private static final Pattern TOKEN_REF = Pattern.compile("^wacast\\.campaign\\.numbers\\.\"(\\d+)\"\\.access-token-ref=([A-Z0-9_]+)$",
            Pattern.MULTILINE);
    private static final Pattern NUMBER = Pattern.compile("^wacast\\.campaign\\.numbers\\.\"(\\d+)\"\\.", Pattern.MULTILINE);

    private Numbers() {
    }

    /** The environment variables a properties file references ({@code ${NAME}}) outside comments. */
    static Set<String> references(String properties) {
        return all(REFERENCE.matcher(properties), 1);
    }

    /** The token variables the campaign-service's registry names ({@code access-token-ref}). */
    static Set<String> tokenRefs(String registry) {
        return all(TOKEN_REF.matcher(registry), 2);
    }

    /** The phone-number ids of the campaign-service's registry. */
    static Set<String> registered(String registry) {
        return all(NUMBER.matcher(registry), 1);
    }

    private static Set<String> all(Matcher matcher, int group) {
        Set<String> found = new TreeSet<>();
        while (matcher.find()) {
            found.add(matcher.group(group));
        }
        return found;
    }
}

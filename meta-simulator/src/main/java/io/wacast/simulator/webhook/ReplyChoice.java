package io.wacast.simulator.webhook;

import io.wacast.simulator.config.SimulationSettings;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a replying user sends, by the {@code replies} settings: which quick-reply button of the
 * template they press, if any, and whether a text (or STOP) quotes our message. Meta reports a press
 * as {@code type: "button"} with {@code button {payload, text}} and {@code context}, and a text typed in
 * the chat as {@code type: "text"} without {@code context}.
 */
final class ReplyChoice {

    private ReplyChoice() {
    }

    /** The label of the button pressed, or null when the user writes a text instead. */
    static String pressedButton(List<String> quickReplies, SimulationSettings.Replies replies, RandomGenerator random) {
        if (quickReplies.isEmpty() || random.nextDouble() >= replies.buttonPress()) {
            return null;
        }
        double[] weights = new double[quickReplies.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            for (SimulationSettings.ButtonShare share : replies.buttons()) {
                if (share.text().equals(quickReplies.get(i))) {
                    weights[i] += share.share();
                }
            }
            total += weights[i];
        }
        if (total <= 0) {
            return quickReplies.get(random.nextInt(quickReplies.size()));
        }
        double roll = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0 && weights[i] > 0) {
                return quickReplies.get(i);
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return quickReplies.get(i);
            }
        }
        return null;
    }

    /** Whether a text or STOP quotes our message (carries {@code context}). */
    static boolean quotes(SimulationSettings.Replies replies, RandomGenerator random) {
        return random.nextDouble() >= replies.unquoted();
    }
}

package io.wacast.simulator.webhook;

import io.wacast.simulator.config.SimulationSettings;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a replying user sends, by the {@code replies} settings: which quick-reply button of the
 * template they press, if any, and whether a text (or STOP) quotes our message. Meta reports a press
 * as {@code type: "button"} with {@code button {payload, text}} and {@code context}: {@code text} is the
 * label, {@code payload} the one the send gave the button (docs/META.md, "Quick-reply buttons"), here
 * else the one {@code replies.buttons} configures for the label, else the label itself. A text typed in
 * the chat is {@code type: "text"} without {@code context}.
 */
final class ReplyChoice {

    private ReplyChoice() {
    }

    /** A pressed button as Meta reports it. */
    record Pressed(String text, String payload) {
    }

    /** The button pressed, or null when the user writes a text instead. */
    static Pressed pressedButton(List<AcceptedMessage.QuickReply> quickReplies, SimulationSettings.Replies replies,
            RandomGenerator random) {
        Integer index = pressedIndex(quickReplies.stream().map(AcceptedMessage.QuickReply::text).toList(), replies, random);
        if (index == null) {
            return null;
        }
        AcceptedMessage.QuickReply button = quickReplies.get(index);
        String payload = button.sentPayload() != null ? button.sentPayload()
                : replies.buttons().stream().filter(b -> b.text().equals(button.text()) && b.payload() != null)
                        .map(SimulationSettings.ButtonShare::payload).findFirst().orElse(button.text());
        return new Pressed(button.text(), payload);
    }

    private static Integer pressedIndex(List<String> quickReplies, SimulationSettings.Replies replies, RandomGenerator random) {
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
            return random.nextInt(quickReplies.size());
        }
        double roll = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0 && weights[i] > 0) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return null;
    }

    /** Whether a text or STOP quotes our message (carries {@code context}). */
    static boolean quotes(SimulationSettings.Replies replies, RandomGenerator random) {
        return random.nextDouble() >= replies.unquoted();
    }
}

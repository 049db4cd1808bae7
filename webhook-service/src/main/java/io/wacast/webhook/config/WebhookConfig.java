package io.wacast.webhook.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Everything the webhook endpoint needs to know, under {@code wacast.webhook}. */
@ConfigMapping(prefix = "wacast.webhook")
public interface WebhookConfig {

    /**
     * The Meta app secrets that may have signed a delivery: the current one first, the previous one
     * while a rotation is under way (Meta signs with whichever secret the app has at send time).
     */
    List<String> appSecrets();

    /** The {@code hub.verify_token} entered in the Meta app's webhook subscription. */
    String verifyToken();

    /** Bodies above this size are refused with 413 before they are verified or parsed. */
    @WithDefault("3M")
    MemorySize maxBodySize();

    /** How long Meta waits at most for an answer: past it the request fails with 503 and Meta retries. */
    @WithDefault("5s")
    Duration publishTimeout();

    Keywords keywords();

    Timestamps timestamps();

    Http http();

    /**
     * Sizes refused before routing, with a problem body (Vert.x's codec limits are set higher, see
     * {@code application.properties}).
     */
    interface Http {

        /** The longest request URI, in characters (Meta's are short: path and handshake query). */
        @WithDefault("8192")
        int maxUriLength();

        /** The most bytes of all header names and values together. */
        @WithDefault("20K")
        MemorySize maxHeaderSize();
    }

    Dedupe dedupe();

    /**
     * Whole-message replies that change a user's marketing consent. A message matches when, trimmed,
     * case-folded, with Latin accents and surrounding punctuation removed, it equals a keyword. Words
     * that often mean something else in a shop conversation (CANCEL, END, QUIT) are left out on purpose.
     */
    interface Keywords {

        @WithDefault("stop,stop all,stopall,unsubscribe,stop promotions,opt out,opt-out,optout,"
                + "parar,baja,darme de baja,cancelar suscripcion,sair,descadastrar,cancelar inscricao,"
                + "arreter,arret,desabonner,se desabonner,desinscrire,stopp,abmelden,abbestellen,"
                + "disiscrivimi,berhenti,стоп,отписаться,रुकें,रोकें,बंद करें,बंद करो,अनसब्सक्राइब,"
                + "إيقاف,توقف,الغاء الاشتراك")
        List<String> optOut();

        @WithDefault("start,unstop,subscribe,resume,opt in,opt-in,reanudar,suscribirme,retomar,reprendre,"
                + "शुरू,शुरू करें")
        List<String> optIn();
    }

    /**
     * The window around a delivery's arrival inside which Meta's timestamps are believed. Meta
     * redelivers for up to 7 days, so an honest timestamp is at most that old (plus a day of slack,
     * the same 192 h the campaign-service keeps processed event ids); clocks differ by seconds, not
     * days. An entry dated outside the window is acknowledged, counted and not published.
     */
    interface Timestamps {

        /** How far before the arrival a Meta timestamp may lie. */
        @WithDefault("192h")
        Duration maxAge();

        /** How far after the arrival a Meta timestamp may lie. */
        @WithDefault("24h")
        Duration maxAhead();
    }

    /**
     * The per-replica memory of events already published. It absorbs the quick redeliveries (Meta
     * retrying a request whose 200 it did not see); older duplicates reach Kafka with the same
     * deterministic event id and are dropped by the consumers.
     */
    interface Dedupe {

        @WithDefault("200000")
        long maxEntries();

        @WithDefault("6h")
        Duration ttl();
    }
}

package io.wacast.common.status;

import static io.wacast.common.status.RecipientStatus.CANCELLED;
import static io.wacast.common.status.RecipientStatus.DELIVERED;
import static io.wacast.common.status.RecipientStatus.FAILED;
import static io.wacast.common.status.RecipientStatus.OPTED_OUT;
import static io.wacast.common.status.RecipientStatus.PENDING;
import static io.wacast.common.status.RecipientStatus.QUEUED;
import static io.wacast.common.status.RecipientStatus.READ;
import static io.wacast.common.status.RecipientStatus.RESPONDED;
import static io.wacast.common.status.RecipientStatus.RETRY;
import static io.wacast.common.status.RecipientStatus.SENDING;
import static io.wacast.common.status.RecipientStatus.SENT;
import static io.wacast.common.status.RecipientStatus.UNKNOWN;
import static io.wacast.common.status.RecipientStatus.advance;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wacast.common.QuarkusJson;
import io.wacast.common.testing.Generated;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RecipientStatusTest {

    private static final Set<RecipientStatus> WEBHOOK_STATUSES = EnumSet.of(SENT, DELIVERED, READ, FAILED);

    @ParameterizedTest(name = "{0} then {1} gives {2}")
    @CsvSource({
        "PENDING,   QUEUED,    QUEUED",
        "QUEUED,    PENDING,   QUEUED",
        "QUEUED,    SENT,      SENT",
        "SENDING,   RETRY,     RETRY",
        "RETRY,     SENDING,   SENDING",
        "SENDING,   UNKNOWN,   UNKNOWN",
        "RETRY,     UNKNOWN,   UNKNOWN",
        "UNKNOWN,   RETRY,     UNKNOWN",
        "UNKNOWN,   SENDING,   UNKNOWN",
        "UNKNOWN,   SENT,      SENT",
        "UNKNOWN,   FAILED,    FAILED",
        "UNKNOWN,   DELIVERED, DELIVERED",
        "SENT,      DELIVERED, DELIVERED",
        "SENT,      FAILED,    FAILED",
        "FAILED,    SENT,      FAILED",
        "FAILED,    DELIVERED, DELIVERED",
        "FAILED,    READ,      READ",
        "DELIVERED, FAILED,    DELIVERED",
        "READ,      FAILED,    READ",
        "READ,      DELIVERED, READ",
        "DELIVERED, READ,      READ",
        "READ,      RESPONDED, RESPONDED",
        "RESPONDED, READ,      RESPONDED",
        "QUEUED,    CANCELLED, CANCELLED",
        "RETRY,     CANCELLED, CANCELLED",
        "SENT,      CANCELLED, SENT",
        "CANCELLED, RETRY,     CANCELLED",
        "CANCELLED, SENT,      SENT",
        "CANCELLED, OPTED_OUT, CANCELLED",
        "RETRY,     OPTED_OUT, OPTED_OUT",
        "OPTED_OUT, RETRY,     OPTED_OUT",
        "OPTED_OUT, QUEUED,    OPTED_OUT",
        "OPTED_OUT, CANCELLED, OPTED_OUT",
        "DELIVERED, OPTED_OUT, DELIVERED",
    })
    void advancesOnlyForward(RecipientStatus current, RecipientStatus incoming, RecipientStatus expected) {
        assertThat(advance(current, incoming)).isEqualTo(expected);
    }

    @Test
    void readBeforeDeliveredCountsAsRead() {
        assertThat(advance(advance(SENT, READ), DELIVERED)).isEqualTo(READ);
    }

    @Test
    void deliveredAfterFailedWinsBecauseAnotherDeviceGotTheMessage() {
        assertThat(advance(advance(SENT, FAILED), DELIVERED)).isEqualTo(DELIVERED);
    }

    @Test
    void ranksFollowTheDeliveryFunnel() {
        assertThat(List.of(PENDING, QUEUED, SENDING, SENT, DELIVERED, READ, RESPONDED))
                .isSortedAccordingTo(Comparator.comparingInt(RecipientStatus::rank))
                .extracting(RecipientStatus::rank)
                .doesNotHaveDuplicates();
        assertThat(RETRY.rank()).isEqualTo(SENDING.rank());
        assertThat(UNKNOWN.rank()).isEqualTo(SENDING.rank());
    }

    @Test
    void failedOptedOutAndCancelledAreTerminal() {
        assertThat(EnumSet.allOf(RecipientStatus.class)).filteredOn(RecipientStatus::isTerminal)
                .containsExactlyInAnyOrder(FAILED, OPTED_OUT, CANCELLED);
    }

    @Test
    void doneMeansNoMoreSendingWillHappen() {
        assertThat(EnumSet.allOf(RecipientStatus.class)).filteredOn(RecipientStatus::isDone)
                .containsExactlyInAnyOrder(UNKNOWN, SENT, DELIVERED, READ, RESPONDED, FAILED, OPTED_OUT, CANCELLED);
    }

    @Test
    void travelsAsItsLowercaseName() throws JsonProcessingException {
        assertThat(QuarkusJson.MAPPER.writeValueAsString(OPTED_OUT)).isEqualTo("\"opted_out\"");
        assertThat(QuarkusJson.MAPPER.readValue("\"opted_out\"", RecipientStatus.class)).isEqualTo(OPTED_OUT);
    }

    @ParameterizedTest
    @MethodSource("startsAndSequences")
    void rankNeverDecreases(RecipientStatus start, List<RecipientStatus> incoming) {
        RecipientStatus current = start;
        for (RecipientStatus next : incoming) {
            RecipientStatus advanced = advance(current, next);
            assertThat(advanced.rank()).isGreaterThanOrEqualTo(current.rank());
            current = advanced;
        }
    }

    @ParameterizedTest
    @MethodSource("everyPair")
    void applyingTheSameStatusTwiceChangesNothing(RecipientStatus current, RecipientStatus incoming) {
        RecipientStatus once = advance(current, incoming);

        assertThat(advance(once, incoming)).isEqualTo(once);
    }

    @ParameterizedTest
    @MethodSource("startsAndSequences")
    void aDoneRecipientStaysDone(RecipientStatus start, List<RecipientStatus> incoming) {
        RecipientStatus current = start;
        for (RecipientStatus next : incoming) {
            boolean wasDone = current.isDone();
            current = advance(current, next);
            if (wasDone) {
                assertThat(current.isDone()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("beforeRead")
    void readBeforeDeliveredEndsAtRead(RecipientStatus start) {
        assertThat(advance(advance(start, READ), DELIVERED)).isEqualTo(READ);
    }

    @ParameterizedTest
    @MethodSource("notYetDeliveredAndWebhooks")
    void webhooksInAnyOrderEndAtTheHighestRank(RecipientStatus start, List<RecipientStatus> webhooks) {
        RecipientStatus current = start;
        for (RecipientStatus webhook : webhooks) {
            current = advance(current, webhook);
        }

        assertThat(current).isEqualTo(webhooks.stream().max(Comparator.comparingInt(RecipientStatus::rank)).orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void anUnknownSendIsNeverMadeRetryableAgain(List<RecipientStatus> incoming) {
        RecipientStatus current = UNKNOWN;
        for (RecipientStatus next : incoming) {
            current = advance(current, next);
            assertThat(current).isNotIn(SENDING, RETRY, QUEUED, PENDING);
        }
    }

    private static final List<RecipientStatus> ALL = List.of(RecipientStatus.values());

    /** A status, then up to 255 statuses arriving in any order (jqwik's default list sizes). */
    static Stream<Arguments> startsAndSequences() {
        return Generated.cases(20_401, g -> Arguments.of(g.oneOf(ALL), g.listOf(0, 255, () -> g.oneOf(ALL))));
    }

    static Stream<Arguments> sequences() {
        return Generated.cases(20_402, g -> Arguments.of(g.listOf(0, 255, () -> g.oneOf(ALL))));
    }

    /** Every (current, incoming) pair: fewer than the generated cases, so all of them. */
    static Stream<Arguments> everyPair() {
        return ALL.stream().flatMap(current -> ALL.stream().map(incoming -> Arguments.of(current, incoming)));
    }

    static Stream<RecipientStatus> beforeRead() {
        return ALL.stream().filter(s -> s.rank() < READ.rank());
    }

    static Stream<Arguments> notYetDeliveredAndWebhooks() {
        List<RecipientStatus> notYetDelivered = ALL.stream().filter(s -> s.rank() <= SENT.rank()).toList();
        List<RecipientStatus> webhooks = List.copyOf(WEBHOOK_STATUSES);
        return Generated.cases(20_403, g -> Arguments.of(g.oneOf(notYetDelivered), g.listOf(1, 8, () -> g.oneOf(webhooks))));
    }
}

package io.wacast.common.status;

import static io.wacast.common.status.CampaignStatus.CANCELLED;
import static io.wacast.common.status.CampaignStatus.COMPLETED;
import static io.wacast.common.status.CampaignStatus.DRAFT;
import static io.wacast.common.status.CampaignStatus.PAUSED;
import static io.wacast.common.status.CampaignStatus.SCHEDULED;
import static io.wacast.common.status.CampaignStatus.SENDING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wacast.common.QuarkusJson;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CampaignStatusTest {

    private static final Map<CampaignStatus, Set<CampaignStatus>> LIFECYCLE = Map.of(
            DRAFT, EnumSet.of(SCHEDULED, SENDING, CANCELLED),
            SCHEDULED, EnumSet.of(DRAFT, SENDING, CANCELLED),
            SENDING, EnumSet.of(PAUSED, COMPLETED, CANCELLED),
            PAUSED, EnumSet.of(SENDING, COMPLETED, CANCELLED),
            COMPLETED, EnumSet.noneOf(CampaignStatus.class),
            CANCELLED, EnumSet.noneOf(CampaignStatus.class));

    @ParameterizedTest
    @EnumSource(CampaignStatus.class)
    void onlyTheLifecycleTransitionsAreAllowed(CampaignStatus from) {
        for (CampaignStatus to : CampaignStatus.values()) {
            assertThat(from.canTransitionTo(to))
                    .as("%s -> %s", from, to)
                    .isEqualTo(LIFECYCLE.get(from).contains(to));
        }
    }

    @Test
    void completedAndCancelledAreTerminal() {
        assertThat(EnumSet.allOf(CampaignStatus.class)).filteredOn(CampaignStatus::isTerminal)
                .containsExactlyInAnyOrder(COMPLETED, CANCELLED);
    }

    @Test
    void aPausedCampaignCanStillCompleteWhenItsLastJobsSettle() {
        assertThat(PAUSED.canTransitionTo(COMPLETED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CampaignStatus.class)
    void travelsAsItsLowercaseName(CampaignStatus status) throws JsonProcessingException {
        String json = QuarkusJson.MAPPER.writeValueAsString(status);

        assertThat(json).isEqualTo("\"" + status.name().toLowerCase() + "\"");
        assertThat(QuarkusJson.MAPPER.readValue(json, CampaignStatus.class)).isEqualTo(status);
        assertThat(CampaignStatus.fromString(status.name())).isEqualTo(status);
    }
}

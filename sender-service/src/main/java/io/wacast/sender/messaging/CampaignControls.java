package io.wacast.sender.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.common.Topics;
import io.wacast.common.event.CampaignControl;
import io.wacast.sender.service.LatestControls;

/**
 * The latest {@link CampaignControl} of every campaign, read by this replica from the whole
 * compacted {@code wacast.campaign-control} (no consumer group: every replica needs every
 * campaign). Stale versions are ignored, so a reordered or replayed message never un-pauses a campaign.
 */
@ApplicationScoped
public class CampaignControls implements LatestControls {

    private static final Logger LOG = Logger.getLogger(CampaignControls.class);

    private final Map<Long, CampaignControl> latest = new ConcurrentHashMap<>();
    private final WholeTopicReader<CampaignControl> reader;
    private volatile boolean caughtUp;

    public CampaignControls(KafkaSettings settings, ObjectMapper json) {
        this.reader = new WholeTopicReader<>(new WholeTopicReader.Source(Topics.CAMPAIGN_CONTROL,
                "wacast-sender-control-", "campaign-control-reader", Duration.ofMillis(200), "campaign control reader",
                "campaign control message"), settings, json, CampaignControl.class, this::apply, () -> {
                    caughtUp = true;
                    LOG.infof("campaign control read up to date: %d campaigns", latest.size());
                });
    }

    public void start() {
        reader.start();
    }

    /** Null when this replica has never heard of the campaign. */
    @Override
    public CampaignControl of(long campaignId) {
        return latest.get(campaignId);
    }

    /** Applies one control message unless it is older than what this replica holds. */
    public void apply(CampaignControl control) {
        latest.merge(control.campaignId(), control, (held, incoming) -> incoming.supersedes(held) ? incoming : held);
    }

    /** True once the topic was read up to where it ended when this replica started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    @PreDestroy
    void stop() {
        reader.stop();
    }
}

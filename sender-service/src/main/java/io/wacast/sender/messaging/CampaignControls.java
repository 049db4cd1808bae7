package io.wacast.sender.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.common.Topics;
import io.wacast.common.event.CampaignControl;
import io.wacast.sender.service.LatestControls;
import io.wacast.sender.service.ProcessIdentity;

/**
 * The latest {@link CampaignControl} of every campaign, read by this replica from the whole
 * compacted {@code wacast.campaign-control} (no consumer group: every replica needs every
 * campaign). Stale versions are ignored, so a reordered or replayed message never un-pauses a campaign.
 */
@ApplicationScoped
public class CampaignControls implements LatestControls {

    private static final Logger LOG = Logger.getLogger(CampaignControls.class);

    private final Map<Long, CampaignControl> latest = new ConcurrentHashMap<>();
    private final KafkaSettings settings;
    private final ObjectMapper json;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public CampaignControls(KafkaSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "campaign-control-reader");
        thread.setDaemon(true);
        thread.start();
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

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                    settings.consumer("wacast-sender-control-" + ProcessIdentity.ID, null, "earliest"))) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.CAMPAIGN_CONTROL, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                        read(record);
                    }
                    if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        LOG.infof("campaign control read up to date: %d campaigns", latest.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("campaign control reader restarts after: %s", e.toString());
            }
        }
    }

    private void read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        try {
            apply(json.readValue(record.value(), CampaignControl.class));
        } catch (Exception e) {
            LOG.warnf("ignored an unreadable campaign control message at %s-%d@%d: %s", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}

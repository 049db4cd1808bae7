package io.wacast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wacast.common.Topics.TopicSpec;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicIsListedWithItsPartitionsAndCompaction() {
        assertThat(Topics.ALL)
                .extracting(TopicSpec::name, TopicSpec::partitions, TopicSpec::compacted)
                .containsExactly(
                        tuple("wacast.send-jobs", 12, false),
                        tuple("wacast.outcomes", 6, false),
                        tuple("wacast.events", 6, false),
                        tuple("wacast.orders", 3, false),
                        tuple("wacast.campaign-control", 3, true),
                        tuple("wacast.account-signals", 3, false),
                        tuple("wacast.audit", 1, false),
                        tuple("wacast.attributions", 3, false));
    }

    @Test
    void constantsNameTheListedTopics() {
        assertThat(Topics.ALL).extracting(TopicSpec::name).containsExactly(
                Topics.SEND_JOBS, Topics.OUTCOMES, Topics.EVENTS, Topics.ORDERS, Topics.CAMPAIGN_CONTROL,
                Topics.ACCOUNT_SIGNALS, Topics.AUDIT, Topics.ATTRIBUTIONS);
    }
}

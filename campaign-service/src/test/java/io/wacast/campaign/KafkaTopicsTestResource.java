package io.wacast.campaign;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Creates test-only topics on the real broker before the application starts: the local broker
 * runs with auto-creation off, and a consumer of a missing topic would stall its first poll.
 */
public class KafkaTopicsTestResource implements QuarkusTestResourceLifecycleManager {

    static final String INFRA_SMOKE_TOPIC = "wacast.test.infra-smoke";

    @Override
    public Map<String, String> start() {
        String bootstrap = ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class)
                .orElse("localhost:9092");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            if (!existing.contains(INFRA_SMOKE_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(INFRA_SMOKE_TOPIC, 1, (short) 1))).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create test topics on " + bootstrap, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}

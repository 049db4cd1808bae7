package io.wacast.sender.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the send-jobs consumer runs. Deliberately independent of the Graph API: an unreachable
 * Meta is an answer (retries, breaker), not a reason for Kubernetes to pull the replica.
 */
@Readiness
@ApplicationScoped
public class SenderReadiness implements HealthCheck {

    private final SendJobConsumer consumer;
    private final CampaignControls controls;

    public SenderReadiness(SendJobConsumer consumer, CampaignControls controls) {
        this.consumer = consumer;
        this.controls = controls;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("send-jobs consumer")
                .status(consumer.isHealthy())
                .withData("assignedPartitions", consumer.assignedPartitions())
                .withData("campaignControlCaughtUp", controls.caughtUp())
                .build();
    }
}

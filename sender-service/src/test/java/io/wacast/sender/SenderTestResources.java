package io.wacast.sender;

import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock as the Graph API (until meta-simulator lands) and a consumer group of this test run's
 * own, starting at the end of the shared topic so jobs other modules' tests left behind stay theirs.
 */
public class SenderTestResources implements QuarkusTestResourceLifecycleManager {

    /** Numbers the tests send from; separate ones for tests that stop or slow their number. */
    public static final String NUMBER = "100000000000001";
    public static final String STOPPED_NUMBER = "100000000000002";
    public static final String THROTTLED_NUMBER = "100000000000003";

    static WireMockServer wireMock;

    @Override
    public Map<String, String> start() {
        wireMock = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .containerThreads(64).asynchronousResponseEnabled(true).asynchronousResponseThreads(16));
        wireMock.start();
        return Map.of(
                "wacast.meta.graph-url", "http://127.0.0.1:" + wireMock.port(),
                "wacast.meta.call-timeout", "1500ms",
                "wacast.sender.consumer-group", "wacast-sender-test-" + UUID.randomUUID(),
                "wacast.sender.auto-offset-reset", "latest",
                "wacast.sender.phone-number-ids", String.join(",", NUMBER, STOPPED_NUMBER, THROTTLED_NUMBER),
                "wacast.sender.default-throughput", "400",
                "wacast.sender.retry-scan-interval", "200ms");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(wireMock, new TestInjector.MatchesType(WireMockServer.class));
    }

    @Override
    public void stop() {
        if (wireMock != null) {
            wireMock.stop();
        }
    }
}

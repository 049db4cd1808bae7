package io.wacast.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.wacast.common.ops.OperationsEndpointsContract;

@QuarkusTest
class OperationsEndpointsTest extends OperationsEndpointsContract {
}

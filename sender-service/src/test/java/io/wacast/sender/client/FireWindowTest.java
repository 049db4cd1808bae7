package io.wacast.sender.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FireWindowTest {

    @Test
    void countsTheBusiestSlidingSecondNotTheCalendarSecond() {
        FireWindow window = new FireWindow();
        // 10 calls at the end of one second and 10 at the start of the next: 20 within 200 ms
        for (int i = 0; i < 10; i++) {
            window.fired(900_000_000L + i * 10_000_000L);
        }
        for (int i = 0; i < 10; i++) {
            window.fired(1_000_000_000L + i * 10_000_000L);
        }
        assertThat(window.max()).isEqualTo(20);
    }

    @Test
    void callsOneIntervalApartNeverExceedTheRate() {
        FireWindow window = new FireWindow();
        long intervalNanos = 1_000_000; // 1,000 per second
        for (int i = 0; i < 5_000; i++) {
            window.fired(i * intervalNanos);
        }
        assertThat(window.max()).isEqualTo(1_000);
    }

    @Test
    void growsBeyondItsFirstBufferWithoutLosingCalls() {
        FireWindow window = new FireWindow();
        for (int i = 0; i < 3_000; i++) {
            window.fired(i);
        }
        assertThat(window.max()).isEqualTo(3_000);
        window.fired(2_000_000_000L);
        assertThat(window.max()).isEqualTo(3_000);
    }
}

package io.wacast.console.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinksTest {

    @Test
    void going_back_stays_on_this_console() {
        assertThat(Links.back("/campaigns/4", "/campaigns")).isEqualTo("/campaigns/4");
        assertThat(Links.back("https://evil.example/", "/campaigns")).isEqualTo("/campaigns");
        assertThat(Links.back("//evil.example/x", "/campaigns")).isEqualTo("/campaigns");
        assertThat(Links.back("/\\evil.example", "/campaigns")).isEqualTo("/campaigns");
        assertThat(Links.back(null, "/campaigns")).isEqualTo("/campaigns");
        assertThat(Links.back("/campaigns?notice=sent", "/campaigns")).as("no stacked notices").isEqualTo("/campaigns");
    }

    @Test
    void one_more_parameter_joins_with_the_right_separator() {
        assertThat(Links.with("/campaigns", "notice=paused")).isEqualTo("/campaigns?notice=paused");
        assertThat(Links.with("/campaigns?page=2", "notice=paused")).isEqualTo("/campaigns?page=2&notice=paused");
    }

    @Test
    void copies_are_named_and_fit_the_api_limit() {
        assertThat(CampaignsPage.copyName("Diwali")).isEqualTo("Copy of Diwali");
        assertThat(CampaignsPage.copyName("x".repeat(200))).hasSize(200);
    }
}

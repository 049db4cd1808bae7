package io.wacast.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.wacast.simulator.config.SettingsStore;
import io.wacast.simulator.config.SimulationSettings;
import io.wacast.simulator.service.SimulatorControl;
import io.wacast.simulator.template.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The simulator's own control surface for tests, benchmarks and the demo. */
@Path("/sim")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator control")
public class SimulatorResource {

    private final SimulatorControl control;
    private final SettingsStore settings;

    public SimulatorResource(SimulatorControl control, SettingsStore settings) {
        this.control = control;
        this.settings = settings;
    }

    @GET
    @Path("/stats")
    @Operation(summary = "The truth: calls, rejections, busiest windows, webhooks, per-campaign outcomes, duplicates")
    public Object stats(@QueryParam("campaignId") Long campaignId) {
        return campaignId == null ? control.stats() : control.campaign(campaignId);
    }

    @POST
    @Path("/reset")
    @Operation(summary = "Clear counters, windows and queued webhooks (settings and templates stay)")
    public Response reset() {
        control.reset();
        return Response.noContent().build();
    }

    @GET
    @Path("/config")
    @Operation(summary = "The current simulation settings")
    public SimulationSettings config() {
        return settings.get();
    }

    @PUT
    @Path("/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change settings: the body is merged over the current ones, then validated whole")
    public SimulationSettings updateConfig(JsonNode patch) {
        return settings.update(patch);
    }

    @POST
    @Path("/templates")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a template, or replace the one with the same name and language")
    public Template putTemplate(Template template) {
        return control.putTemplate(template);
    }
}

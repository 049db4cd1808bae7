package io.wacast.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wacast.common.problem.Problem;
import io.wacast.simulator.signal.AccountSignalTrigger;
import java.util.List;
import io.wacast.simulator.config.SettingsStore;
import io.wacast.simulator.config.SimulationSettings;
import io.wacast.simulator.service.SimulatorControl;
import io.wacast.simulator.template.Template;
import io.wacast.simulator.trace.CallTrace;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The simulator's own control surface for tests, benchmarks and the demo. */
@Path("/sim")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator control")
public class SimulatorResource {

    private final SimulatorControl control;
    private final SettingsStore settings;
    private final AccountSignalTrigger signals;
    private final CallTrace trace;

    public SimulatorResource(SimulatorControl control, SettingsStore settings, AccountSignalTrigger signals,
            CallTrace trace) {
        this.control = control;
        this.settings = settings;
        this.signals = signals;
        this.trace = trace;
    }

    @GET
    @Path("/stats")
    @Operation(summary = "The truth: calls, rejections, busiest windows, webhooks, per-campaign outcomes, duplicates")
    public Object stats(@QueryParam("campaignId") Long campaignId) {
        return campaignId == null ? control.stats() : control.campaign(campaignId);
    }

    @GET
    @Path("/endpoints")
    @Operation(summary = "Calls per send endpoint (messages, marketing_messages), in all and per campaign")
    public Object endpoints(@QueryParam("campaignId") Long campaignId) {
        return control.endpoints(campaignId);
    }

    @GET
    @Path("/trace")
    @Produces("text/csv")
    @Operation(summary = "Every traced send call since the last reset, as CSV (wacast.sim.trace-calls; 404 when off)")
    public Response trace() {
        if (!trace.enabled()) {
            return Response.status(404).type(Problem.MEDIA_TYPE).entity(Problem.of("not-found", "No call trace", 404,
                    "the simulator keeps no call trace: start it with WACAST_SIM_TRACE_CALLS=<rows>", "/sim/trace",
                    List.of())).build();
        }
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
            trace.write(writer);
            writer.flush();
        };
        return Response.ok(csv, "text/csv").build();
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
    @Operation(summary = "Change settings: the body is merged over the current ones, then validated whole;"
            + " \"signals\" sends or arms account-level webhooks (template status/quality/category, number, account)")
    public SimulationSettings updateConfig(JsonNode patch) {
        if (patch != null && patch.isObject() && patch.has("signals")) {
            ObjectNode rest = ((ObjectNode) patch).deepCopy();
            JsonNode requested = rest.remove("signals");
            SimulationSettings updated = rest.isEmpty() ? settings.get() : settings.update(rest);
            signals.submit(requested);
            return updated;
        }
        return settings.update(patch);
    }

    @GET
    @Path("/signals")
    @Operation(summary = "Account-level webhooks armed or sent through /sim/config since the last reset")
    public List<AccountSignalTrigger.Armed> signals() {
        return signals.armed();
    }

    @POST
    @Path("/templates")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a template, or replace the one with the same name and language")
    public Template putTemplate(Template template) {
        return control.putTemplate(template);
    }
}
